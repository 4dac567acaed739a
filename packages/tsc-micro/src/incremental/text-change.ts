/**
 * How a file's text changed, and where the offsets of what the change did
 * not touch moved to. Everything a build keeps about a file (the plan's
 * rewrite edits, function ids `file:offset`, the call graph's spans) is
 * offsets into its text: after an edit of one function's body, those before
 * the edit stay, those after it move by the length difference, and those
 * inside replaced text cannot be carried over at all.
 *
 * The change is the span between the texts' common prefix and suffix, made
 * finer by a character diff (Myers, bounded) into hunks, so that text kept
 * inside the span still maps: wrapping `f(x)` in `g(f(x), y)` keeps `f(x)`.
 */
export interface TextChange {
  /** First offset whose character differs. */
  start: number;
  /** End of the changed span in the old text (exclusive). */
  oldEnd: number;
  /** End of the changed span in the new text (exclusive). */
  newEnd: number;
  /** newEnd − oldEnd: how far everything after the change moved. */
  delta: number;
  /** The replaced pieces inside the span, in order (one covering it all when the diff is too large to make). */
  hunks: Hunk[];
}

/** Old text [oldStart, oldEnd) replaced by new text [newStart, newEnd). */
export interface Hunk {
  oldStart: number;
  oldEnd: number;
  newStart: number;
  newEnd: number;
}

/** Past this many differing characters, the span is one hunk (the diff's cost grows with their number). */
const MAX_DIFFERENCES = 256;

/** The change turning `before` into `after`, or undefined when they are equal. */
export function textChange(before: string, after: string): TextChange | undefined {
  if (before === after) return undefined;
  const shorter = Math.min(before.length, after.length);
  let start = 0;
  while (start < shorter && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let suffix = 0;
  while (suffix < shorter - start && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  const oldEnd = before.length - suffix;
  const newEnd = after.length - suffix;
  const whole: Hunk = { oldStart: start, oldEnd, newStart: start, newEnd };
  const gaps = diff(before.slice(start, oldEnd), after.slice(start, newEnd), start);
  if (!gaps) return { start, oldEnd, newEnd, delta: newEnd - oldEnd, hunks: [whole] };
  // Slid over the common suffix too: it may hold the end of what an insertion wrapped.
  const hunks = gaps.map((gap, i) => slid(gap, before, after, gaps[i + 1]));
  const last = hunks.at(-1)!;
  return { start: hunks[0]!.oldStart, oldEnd: last.oldEnd, newEnd: last.newEnd, delta: last.newEnd - last.oldEnd, hunks };
}

/**
 * Where an offset that starts something (a node, a span, an insertion)
 * moved, or undefined when it lies in replaced text. At a pure insertion a
 * thing starting there follows the inserted text.
 */
export function movedStart(change: TextChange, offset: number): number | undefined {
  let shift = 0;
  for (const h of change.hunks) {
    if (offset < h.oldStart) return offset + shift;
    if (offset < h.oldEnd) return undefined;
    shift += h.newEnd - h.newStart - (h.oldEnd - h.oldStart);
  }
  return offset + shift;
}

/**
 * Where an offset that ends something (exclusive) moved, or undefined when
 * the thing ends inside replaced text. A span ending where a hunk starts is
 * untouched by it.
 */
export function movedEnd(change: TextChange, offset: number): number | undefined {
  let shift = 0;
  for (const h of change.hunks) {
    if (offset <= h.oldStart) return offset + shift;
    if (offset <= h.oldEnd) return undefined;
    shift += h.newEnd - h.newStart - (h.oldEnd - h.oldStart);
  }
  return offset + shift;
}

/**
 * The hunks turning `a` into `b` (offsets from `at`), by Myers' O(ND)
 * algorithm (https://doi.org/10.1007/BF01840446); undefined past
 * MAX_DIFFERENCES differing characters.
 */
function diff(a: string, b: string, at: number): Hunk[] | undefined {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, MAX_DIFFERENCES);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = -1;
  search: for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a.charCodeAt(x) === b.charCodeAt(y)) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break search;
      }
    }
  }
  if (found < 0) return undefined;
  // Walk back from the end: the matched characters, last first.
  const same: [number, number][] = [];
  let x = n;
  let y = m;
  for (let d = found; d > 0; d--) {
    const back = trace[d]!;
    const k = x - y;
    const previous = k === -d || (k !== d && back[offset + k - 1]! < back[offset + k + 1]!) ? k + 1 : k - 1;
    const px = back[offset + previous]!;
    const py = px - previous;
    while (x > px && y > py) same.push([--x, --y]);
    x = px;
    y = py;
  }
  while (x > 0 && y > 0) same.push([--x, --y]);
  same.reverse();
  // The hunks are the gaps between matched characters.
  const gaps: Hunk[] = [];
  let ai = 0;
  let bi = 0;
  for (const [sa, sb] of [...same, [n, m] as [number, number]]) {
    if (sa > ai || sb > bi) gaps.push({ oldStart: ai, oldEnd: sa, newStart: bi, newEnd: sb });
    ai = sa + 1;
    bi = sb + 1;
  }
  return gaps.map((h) => ({ oldStart: at + h.oldStart, oldEnd: at + h.oldEnd, newStart: at + h.newStart, newEnd: at + h.newEnd }));
}

/**
 * An insertion or a deletion moved as far right as the text allows (up to
 * the next hunk): of `g(f(x), y)` from `f(x)`, the diff may insert `), y`
 * before the old `)` or `, y)` after it; after it keeps `f(x)` whole, as the
 * one who typed it sees it.
 */
function slid(h: Hunk, a: string, b: string, next: Hunk | undefined): Hunk {
  const limitA = next?.oldStart ?? a.length;
  const limitB = next?.newStart ?? b.length;
  let { oldStart, oldEnd, newStart, newEnd } = h;
  if (oldStart === oldEnd) {
    while (oldStart < limitA && newEnd < limitB && b.charCodeAt(newStart) === a.charCodeAt(oldStart)) {
      oldStart++;
      newStart++;
      newEnd++;
    }
    oldEnd = oldStart;
  } else if (newStart === newEnd) {
    while (oldEnd < limitA && newStart < limitB && a.charCodeAt(oldStart) === b.charCodeAt(newStart)) {
      oldStart++;
      oldEnd++;
      newStart++;
    }
    newEnd = newStart;
  }
  return { oldStart, oldEnd, newStart, newEnd };
}
