/**
 * Carries plain data a build keeps (the scan's findings, the model, the plan)
 * over a change of one file's text: every offset into that file moves with
 * the text around it (text-change.ts). The data name their offsets by a few
 * keys, the same in every phase: spans (`start`/`end`, `start`/`length`, the
 * call graph's `calleeStart`…), and function ids `file:offset` under `id`,
 * `parentId`, `contextId`, `calleeId` and `functionId`. An offset is in the
 * file when the nearest object with a `file` names it (ids name their file
 * themselves). Anything that starts or ends inside the changed text cannot be
 * carried over: undefined, and the caller builds in full.
 */
import { movedEnd, movedStart } from "./text-change.js";
import type { TextChange } from "./text-change.js";

const STARTS = new Set(["start", "calleeStart", "callStart", "firstArgStart", "rightStart", "asyncAt"]);
const ENDS = new Set(["end", "calleeEnd", "callEnd", "receiverEnd"]);
const IDS = new Set(["id", "parentId", "contextId", "calleeId", "functionId"]);

class Unmovable extends Error {}

/** `value` with every offset into `file` moved over `change`, or undefined if one lies in the changed text. */
export function moveOffsets<T>(value: T, file: string, change: TextChange): T | undefined {
  const idPrefix = `${file}:`;
  const moveId = (id: string): string => {
    if (!id.startsWith(idPrefix) || !/^\d+$/.test(id.slice(idPrefix.length))) return id;
    const moved = movedStart(change, Number(id.slice(idPrefix.length)));
    if (moved === undefined) throw new Unmovable();
    return `${idPrefix}${moved}`;
  };
  const visit = function visitValue(v: unknown, inFile: boolean): unknown {
    if (Array.isArray(v)) return v.map((x) => visitValue(x, inFile));
    if (v === null || typeof v !== "object") return v;
    const object = v as Record<string, unknown>;
    const here = typeof object.file === "string" ? object.file === file : inFile;
    const out: Record<string, unknown> = {};
    for (const [key, x] of Object.entries(object)) {
      if (typeof x === "string" && IDS.has(key)) out[key] = moveId(x);
      else if (key === "scopes" && Array.isArray(x)) out[key] = x.map((s) => (typeof s === "string" ? moveId(s) : s));
      else out[key] = visitValue(x, here);
    }
    if (here) moveSpan(out, change);
    return out;
  };
  try {
    return visit(value, false) as T;
  } catch (e) {
    if (e instanceof Unmovable) return undefined;
    throw e;
  }
}

/** Moves an object's own offsets (in place, on the copy). */
function moveSpan(object: Record<string, unknown>, change: TextChange): void {
  const start = object.start;
  const end = object.end;
  // An empty span (an insertion) right where text was inserted: before or after it? Cannot tell.
  if (typeof start === "number" && start === end && change.hunks.some((h) => h.oldStart === start)) throw new Unmovable();
  const empty = typeof start === "number" && start === end;
  const originalStart = typeof start === "number" ? start : undefined;
  for (const key of Object.keys(object)) {
    const x = object[key];
    if (typeof x !== "number") continue;
    const moved = STARTS.has(key) || (empty && key === "end") ? movedStart(change, x) : ENDS.has(key) ? movedEnd(change, x) : x;
    if (moved === undefined) throw new Unmovable();
    object[key] = moved;
  }
  // `length` goes with `start`: the span's end moves as an end does.
  if (originalStart !== undefined && typeof object.length === "number") {
    const movedEndOffset = movedEnd(change, originalStart + object.length);
    if (movedEndOffset === undefined) throw new Unmovable();
    object.length = movedEndOffset - (object.start as number);
  }
  if (typeof object.start === "number" && typeof object.end === "number" && object.start > object.end) throw new Unmovable();
}

/** Plain data without `line` and `column` (derived from offsets; a rescan has them right, moved data cannot). */
export function withoutLines<T>(value: T): unknown {
  if (Array.isArray(value)) return value.map(withoutLines);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([k]) => k !== "line" && k !== "column").map(([k, v]) => [k, withoutLines(v)]));
}
