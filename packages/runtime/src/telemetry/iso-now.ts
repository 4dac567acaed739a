/** The time as `new Date().toISOString()` gives it, for log lines: at a line per call, the cost of one Date per line showed. */
let isoSecond = NaN;
let isoPrefix = "";

/** `new Date(now).toISOString()`, with the part up to the second made once a second. */
export function isoNow(now: number = Date.now()): string {
  const second = Math.floor(now / 1000);
  if (second !== isoSecond) {
    isoSecond = second;
    isoPrefix = new Date(second * 1000).toISOString().slice(0, 20);
  }
  const ms = now - second * 1000;
  return `${isoPrefix}${ms < 10 ? "00" : ms < 100 ? "0" : ""}${ms}Z`;
}


let bytesSecond = NaN;
const bytesPrefix = Buffer.alloc(20);

/** Writes `isoNow(now)` (24 ASCII bytes) into `buffer` at `at`; returns the end. For the line per call, which is built without strings. */
export function writeIsoNow(buffer: Uint8Array, at: number, now: number = Date.now()): number {
  const second = Math.floor(now / 1000);
  if (second !== bytesSecond) {
    bytesSecond = second;
    bytesPrefix.write(new Date(second * 1000).toISOString().slice(0, 20), "latin1");
  }
  for (let i = 0; i < 20; i++) buffer[at + i] = bytesPrefix[i]!;
  const ms = now - second * 1000;
  buffer[at + 20] = 48 + Math.floor(ms / 100);
  buffer[at + 21] = 48 + (Math.floor(ms / 10) % 10);
  buffer[at + 22] = 48 + (ms % 10);
  buffer[at + 23] = 90; // Z
  return at + 24;
}
