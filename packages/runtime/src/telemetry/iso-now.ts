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

