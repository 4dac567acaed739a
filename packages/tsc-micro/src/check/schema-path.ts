/**
 * Where in a request or a result a change is, as a reader names it:
 * `order.items[].price`, `pair[1]`, `scores.*`, `shape[kind="circle"].radius`,
 * `prices.<value>` (a Map's values).
 */
export type Segment =
  /** A property (an argument, at the top of a request). */
  | { prop: string }
  /** Every element of an array (a Set, a Map's pairs). */
  | { items: true }
  /** One position of a tuple. */
  | { index: number }
  /** The values of an index signature (`Record<string, V>`). */
  | { rest: true }
  /** The values of keys matching a pattern (`[k: \`data-${string}\`]: V`). */
  | { pattern: string }
  /** One member of a union of objects, told apart by a tag property. */
  | { tag: string; value: unknown }
  /** The keys of a Map. */
  | { mapKey: true }
  /** The values of a Map. */
  | { mapValue: true };

const IDENTIFIER = /^[\p{L}_$][\p{L}\p{N}_$]*$/u;

/** `[{prop: "order"}, {prop: "items"}, {items: true}, {prop: "price"}]` → `order.items[].price`. */
export function formatPath(path: readonly Segment[]): string {
  let out = "";
  for (const s of path) {
    if ("prop" in s) out += IDENTIFIER.test(s.prop) ? `${out ? "." : ""}${s.prop}` : `[${JSON.stringify(s.prop)}]`;
    else if ("items" in s) out += "[]";
    else if ("index" in s) out += `[${s.index}]`;
    else if ("rest" in s) out += `${out ? "." : ""}*`;
    else if ("pattern" in s) out += `[/${s.pattern}/]`;
    else if ("tag" in s) out += `[${s.tag}=${JSON.stringify(s.value)}]`;
    else out += `${out ? "." : ""}<${"mapKey" in s ? "key" : "value"}>`;
  }
  return out;
}
