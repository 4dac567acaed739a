import { ts } from "ts-morph";
import type { Type } from "ts-morph";
import type { TypeIR } from "./ir.js";

/** Built-in types with an explicit wire form, by their global name. */
export const SPECIAL_TYPES = ["Date", "Uint8Array", "URL", "Map", "ReadonlyMap", "Set", "ReadonlySet"] as const;

/** Hints for built-ins that cannot cross the wire. */
export function libraryHint(name: string): string {
  switch (name) {
    case "Promise":
      return "Await it first: only a function's result may be a Promise.";
    case "WeakMap":
    case "WeakSet":
    case "WeakRef":
      return "Weak collections hold object identities, which do not survive the wire: send the data itself (a Map or an array).";
    case "RegExp":
      return "Send the pattern as a string.";
    case "Error":
      return "Return data describing the failure, or throw: errors reach the caller with their name and message.";
    default:
      return "Convert it to plain data (strings, numbers, booleans, arrays, objects, Date, bigint, Map, Set, Uint8Array, URL).";
  }
}

/**
 * A regular expression for the strings a template literal type allows,
 * e.g. `user-${string}` → `^user-.*$`, `${number}px` → `^-?…px$`.
 * Undefined when a placeholder has a type we cannot express.
 */
export function templatePattern(type: Type | ts.Type): string | undefined {
  const t = ("compilerType" in type ? type.compilerType : type) as ts.TemplateLiteralType;
  let out = "^" + escape(t.texts[0]!);
  for (let i = 0; i < t.types.length; i++) {
    const part = placeholder(t.types[i]!);
    if (part === undefined) return undefined;
    out += part + escape(t.texts[i + 1]!);
  }
  return out + "$";
}

const DECIMAL = "[+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?";
const NUMERIC_TEXT = `\\s*(?:${DECIMAL}|0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO][0-7]+)\\s*`;

function placeholder(t: ts.Type): string | undefined {
  // Any text, newlines included.
  if (t.flags & ts.TypeFlags.String) return "[\\s\\S]*";
  // What TypeScript accepts for `${number}`: any text whose `+text` is finite
  // (signs, exponents, hex/binary/octal, surrounding white space).
  if (t.flags & ts.TypeFlags.Number) return NUMERIC_TEXT;
  if (t.flags & ts.TypeFlags.BigInt) return "-?\\d+";
  if (t.flags & ts.TypeFlags.Boolean) return "(?:true|false)";
  if (t.flags & ts.TypeFlags.StringLiteral) return escape((t as ts.StringLiteralType).value);
  if (t.flags & ts.TypeFlags.NumberLiteral) return escape(String((t as ts.NumberLiteralType).value));
  if (t.flags & ts.TypeFlags.StringMapping) return "[\\s\\S]*";
  if (t.flags & ts.TypeFlags.Union) {
    const parts = (t as ts.UnionType).types.map(placeholder);
    return parts.every((p) => p !== undefined) ? `(?:${parts.join("|")})` : undefined;
  }
  if (t.flags & ts.TypeFlags.TemplateLiteral) {
    const tl = t as ts.TemplateLiteralType;
    let out = escape(tl.texts[0]!);
    for (let i = 0; i < tl.types.length; i++) {
      const p = placeholder(tl.types[i]!);
      if (p === undefined) return undefined;
      out += p + escape(tl.texts[i + 1]!);
    }
    return `(?:${out})`;
  }
  return undefined;
}

function escape(text: string): string {
  // Only syntax characters: with the `u` flag (Ajv's default), `\-` would be an invalid escape.
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
}

/** The wire kind a special built-in maps to; the caller converts type arguments. */
export function specialKind(name: string): TypeIR["kind"] | undefined {
  switch (name) {
    case "Date":
      return "date";
    case "Uint8Array":
      return "bytes";
    case "URL":
      return "url";
    case "Map":
    case "ReadonlyMap":
      return "map";
    case "Set":
    case "ReadonlySet":
      return "set";
    default:
      return undefined;
  }
}
