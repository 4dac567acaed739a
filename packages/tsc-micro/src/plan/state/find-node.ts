import type { Node, SourceFile } from "ts-morph";

/**
 * The node of a file that starts at `start` (and ends at `end`, when given)
 * and satisfies `test`: how plain data from the scan (function ids, call
 * spans) is found again in the syntax tree.
 */
export function nodeAt<T extends Node>(sf: SourceFile, start: number, test: (n: Node) => n is T, end?: number): T | undefined {
  for (let n: Node | undefined = sf.getDescendantAtPos(start); n; n = n.getParent()) {
    if (n.getStart() < start) return undefined;
    if (n.getStart() === start && (end === undefined || n.getEnd() === end) && test(n)) return n;
  }
  return undefined;
}
