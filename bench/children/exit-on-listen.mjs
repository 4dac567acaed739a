// Preload for section 5's instruction count (`node --import ./exit-on-listen.mjs index.mjs`): the
// process exits the moment it writes its "listening on" line, so callgrind counts exactly the
// start-up, from Node's own to the port being bound, and nothing after.
const write = process.stdout.write;
process.stdout.write = function exitOnceListening(chunk, ...rest) {
  const written = write.call(process.stdout, chunk, ...rest);
  if (String(chunk).includes(" listening on ")) process.exit(0);
  return written;
};
