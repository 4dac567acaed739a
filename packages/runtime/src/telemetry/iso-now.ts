/** The time as `new Date().toISOString()` gives it, for log lines: at a line per call, the cost of one Date per line showed. */
let isoSecond = NaN;
let isoPrefix = "";
const isoPrefixBytes = Buffer.alloc(20);
/** `000Z` … `999Z`: the milliseconds and the zone, by table rather than a division per digit. */
const MS_Z = Buffer.from(Array.from({ length: 1000 }, (_, n) => `${String(n).padStart(3, "0")}Z`).join(""), "latin1");

/** The second of `now`; the ISO text up to it (`2026-12-01T12:00:01.`, as a string and as bytes) made once a second. */
function secondOf(now: number): number {
  const second = Math.floor(now / 1000);
  if (second !== isoSecond) {
    isoSecond = second;
    isoPrefix = new Date(second * 1000).toISOString().slice(0, 20);
    isoPrefixBytes.write(isoPrefix, "latin1");
  }
  return second;
}

/** `new Date(now).toISOString()`. */
export function isoNow(now: number = Date.now()): string {
  const ms = now - secondOf(now) * 1000;
  return `${isoPrefix}${ms < 10 ? "00" : ms < 100 ? "0" : ""}${ms}Z`;
}

/** Writes `isoNow(now)` (24 ASCII bytes) into `buffer` at `at`; returns the end. For the line per call, which is built without strings. */
export function writeIsoNow(buffer: Uint8Array, at: number, now: number = Date.now()): number {
  const ms = (now - secondOf(now) * 1000) * 4;
  buffer.set(isoPrefixBytes, at);
  buffer[at + 20] = MS_Z[ms]!;
  buffer[at + 21] = MS_Z[ms + 1]!;
  buffer[at + 22] = MS_Z[ms + 2]!;
  buffer[at + 23] = MS_Z[ms + 3]!;
  return at + 24;
}
