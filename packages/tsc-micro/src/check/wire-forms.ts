/**
 * The TypeScript values JSON has no type for cross in a wire form (emit/codec.ts):
 * a Date as an ISO string, a bigint as digits, a Map as pairs… Recognising the
 * form in a schema lets a report say "Date became string" rather than "a
 * pattern was removed".
 */
import { BASE64_PATTERN, BIGINT_PATTERN, DATE_WIRE_PATTERN } from "@tsc-micro/runtime/wire-forms";
import { deref, isNode } from "./normalize.js";

export type WireForm = "Date" | "bigint" | "Uint8Array" | "URL" | "Map" | "Set";

/** The wire form a schema describes, or undefined for a plain JSON value. */
export function wireFormOf(schema: unknown, root: unknown): WireForm | undefined {
  const s = deref(schema, root);
  if (!isNode(s)) return undefined;
  if (s.type === "string") {
    if (s.pattern === DATE_WIRE_PATTERN) return "Date";
    if (s.pattern === BIGINT_PATTERN) return "bigint";
    if (s.contentEncoding === "base64" || s.pattern === BASE64_PATTERN) return "Uint8Array";
    if (s.format === "uri") return "URL";
  }
  // Maps and Sets are arrays on the wire; the documents say which in their description (an annotation, used for naming only).
  if (s.type === "array" && typeof s.description === "string") {
    if (s.description.startsWith("A Map,")) return "Map";
    if (s.description.startsWith("A Set,")) return "Set";
  }
  return undefined;
}
