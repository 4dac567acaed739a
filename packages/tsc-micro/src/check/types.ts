import type { Location } from "../diagnostics/diagnostic.js";

/**
 * What changed in one schema, named from the previous build to the new one.
 * Whether it breaks anyone depends on where it is (a request or a result):
 * see {@link Change.breaks}.
 */
export type SchemaChangeKind =
  | "type-changed"
  | "type-narrowed"
  | "type-widened"
  | "union-member-removed"
  | "union-member-added"
  | "enum-member-removed"
  | "enum-member-added"
  | "pattern-added"
  | "pattern-removed"
  | "pattern-changed"
  | "length-narrowed"
  | "length-widened"
  | "length-changed"
  | "range-narrowed"
  | "range-widened"
  | "range-changed"
  | "items-count-narrowed"
  | "items-count-widened"
  | "items-count-changed"
  | "unique-items-added"
  | "unique-items-removed"
  | "wire-form-changed"
  | "property-added"
  | "property-removed"
  | "property-made-required"
  | "property-made-optional"
  | "index-signature-added"
  | "index-signature-removed"
  | "index-signature-changed"
  | "schema-changed";

/** Every kind of change `check` reports. */
export type ChangeKind =
  | "function-removed"
  | "function-added"
  | "function-moved"
  | "result-removed"
  | "result-added"
  | "error-class-removed"
  | "required-argument-added"
  | "optional-argument-added"
  | "argument-removed"
  | "argument-renamed"
  | "argument-made-required"
  | "argument-made-optional"
  | "required-property-added"
  | "optional-property-added"
  | Exclude<SchemaChangeKind, "property-added">;

/**
 * Who a change breaks while a deploy rolls out one service at a time:
 * - `old-callers`: callers still built from the previous build, calling the new
 *   service (their requests must still be accepted, the new answers still read);
 * - `new-callers`: callers already built from the new build, calling an instance
 *   still running the previous build (safe once that service is deployed first).
 */
export type Party = "old-callers" | "new-callers";

/** One change between the previous build and this one, as plain data (`tsc-micro check --json` prints these). */
export interface Change {
  /** The service of the function in the new build (in the previous one when the function is gone). */
  service: string;
  /** The function (its route, `POST /<function>`); empty for changes of the whole program (error classes). */
  function: string;
  /** `request`: its arguments; `response`: its result; `function`: the function itself; `errors`: the program's error classes. */
  position: "function" | "request" | "response" | "errors";
  /** Where in the request or result: `order.items[].price` (argument first); empty for the whole of it. */
  path: string;
  kind: ChangeKind;
  /** It breaks callers built from the previous build: the check fails (exit 1). */
  breaking: boolean;
  /** Who it breaks (see {@link Party}); empty when no caller can tell. */
  breaks: Party[];
  /** The previous build's schema fragment there (assertions only), or another value saying what it was (a service name, an argument). */
  old?: unknown;
  /** The new build's, likewise. */
  new?: unknown;
  /** Where in the new build's source: the declaration of the function, argument or property, as near to the path as can be found. */
  location?: Location;
  /** One sentence: what changed and whom it breaks. */
  message: string;
}
