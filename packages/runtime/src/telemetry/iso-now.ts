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
/** `000Z` … `999Z`: the milliseconds and the zone, by table rather than a division per digit. */
const MS_Z = Buffer.from(Array.from({ length: 1000 }, (_, n) => `${String(n).padStart(3, "0")}Z`).join(""), "latin1");

/** Writes `isoNow(now)` (24 ASCII bytes) into `buffer` at `at`; returns the end. For the line per call, which is built without strings. */
export function writeIsoNow(buffer: Uint8Array, at: number, now: number = Date.now()): number {
  const second = Math.floor(now / 1000);
  if (second !== bytesSecond) {
    bytesSecond = second;
    bytesPrefix.write(new Date(second * 1000).toISOString().slice(0, 20), "latin1");
  }
  buffer.set(bytesPrefix, at);
  const ms = (now - second * 1000) * 4;
  buffer[at + 20] = MS_Z[ms]!;
  buffer[at + 21] = MS_Z[ms + 1]!;
  buffer[at + 22] = MS_Z[ms + 2]!;
  buffer[at + 23] = MS_Z[ms + 3]!;
  return at + 24;
}
