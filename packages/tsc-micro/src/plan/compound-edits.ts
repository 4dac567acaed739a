import type { CompoundAssignment } from "../scan/types.js";
import type { TextEdit } from "./types.js";

/**
 * The edits that make `target op= right` read its target after the await its
 * right side now holds. `total += (await f(x))` would read `total` before the
 * await, and callers running concurrently would lose updates the monolith kept;
 * so the old value is read after it:
 *
 * - `total += f(x)` → `total = ((v$) => total + v$)((await f(x)))`
 * - `box().total += f(x)` → `((o$, v$) => o$.total = o$.total + v$)(box(), (await f(x)))`
 * - `a[k()] *= f(x)` → `((o$, k$, v$) => o$[k$] = o$[k$] * v$)(a, k(), (await f(x)))`
 *
 * The object and key stay where they were, as arguments: each is evaluated
 * exactly once, before the right side, as JS evaluates them, and other edits
 * inside them (a remote call in the key) still apply. Only the text between
 * them is replaced, so no edit here overlaps another.
 */
export function compoundEdits(c: CompoundAssignment): TextEdit[] {
  const span = c.end - c.start;
  const close: TextEdit = { start: c.end, end: c.end, text: ")", order: span };
  if (c.captures.length === 0) {
    return [{ start: c.start, end: c.rightStart, text: `${c.access} = ((${c.value}) => ${c.access} ${c.operator} ${c.value})(`, order: -span }, close];
  }
  const params = [...c.captures.map((k) => k.name), c.value].join(", ");
  const head = `((${params}) => ${c.access} = ${c.access} ${c.operator} ${c.value})(`;
  const edits: TextEdit[] = [{ start: c.start, end: c.captures[0]!.start, text: head, order: -span }];
  c.captures.forEach((capture, i) => {
    const next = c.captures[i + 1]?.start ?? c.rightStart;
    edits.push({ start: capture.end, end: next, text: ", ", order: 0 });
  });
  edits.push(close);
  return edits;
}
