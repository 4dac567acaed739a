/**
 * Arrays and tuples (and the wire forms made of them: Map pairs, Sets): the
 * counts, uniqueness, then each position (`pair[1]`) and the rest (`items[]`).
 */
import type { SchemaNode } from "./normalize.js";
import type { Segment } from "./schema-path.js";
import { report, subSchema } from "./subset.js";
import type { PassContext } from "./subset.js";

interface ArrayShape {
  prefix: unknown[];
  /** The schema of the elements after the prefix; `false` when there are none. */
  rest: unknown;
  min: number;
  max: number;
  unique: boolean;
}

function shapeOf(node: SchemaNode): ArrayShape {
  const prefix = Array.isArray(node.prefixItems) ? node.prefixItems : [];
  const rest = node.items === undefined ? true : node.items;
  const maxItems = typeof node.maxItems === "number" ? node.maxItems : Infinity;
  return {
    prefix,
    rest,
    min: typeof node.minItems === "number" ? node.minItems : 0,
    max: rest === false ? Math.min(maxItems, prefix.length) : maxItems,
    unique: node.uniqueItems === true,
  };
}

export function subArray(aNode: SchemaNode, bNode: SchemaNode, ctx: PassContext, path: readonly Segment[]): void {
  const a = shapeOf(aNode);
  const b = shapeOf(bNode);
  if (a.max < a.min) return; // admits no array at all
  if (b.min > a.min || b.max < a.max) report(ctx, path, { narrower: "items-count-narrowed", wider: "items-count-widened" }, aNode, bNode);
  if (b.unique && !a.unique && a.max > 1) report(ctx, path, { narrower: "unique-items-added", wider: "unique-items-removed" }, aNode, bNode);
  const positions = Math.max(a.prefix.length, b.prefix.length);
  const tuple = a.prefix.length > 0 || b.prefix.length > 0;
  for (let i = 0; i < positions && i < a.max; i++) {
    const ai = i < a.prefix.length ? a.prefix[i] : a.rest;
    const bi = i < b.prefix.length ? b.prefix[i] : b.rest;
    // No element there in `b`: the count above already says so.
    if (ai === false || bi === false) continue;
    subSchema(ai, bi, ctx, [...path, tuple ? { index: i } : { items: true }]);
  }
  if (a.max > positions && a.rest !== false && b.rest !== false) subSchema(a.rest, b.rest, ctx, [...path, { items: true }]);
}

