/**
 * A schema fragment in a few words, TypeScript-like, for messages:
 * `string`, `"a" | "b"`, `Date`, `number ≥ 0`, `Item[]`, `string matching /^x/`.
 * Reports also carry the exact fragments; this is only their reading.
 */
import { NUMBER_WORDS } from "@tsc-micro/runtime/codec";
import { isNode } from "./normalize.js";
import { wireFormOf } from "./wire-forms.js";

const MAX = 80;

export function describeSchema(schema: unknown): string {
  const text = describe(schema, 0);
  return text.length > MAX ? `${text.slice(0, MAX - 1)}…` : text;
}

function describe(s: unknown, depth: number): string {
  if (s === undefined || s === true) return "any value";
  if (s === false) return "nothing";
  if (!isNode(s)) return JSON.stringify(s);
  if (depth > 3) return "…";
  if (typeof s.$ref === "string") return decodeURIComponent(s.$ref.slice(s.$ref.lastIndexOf("/") + 1));
  const form = wireFormOf(s, {});
  if (form) return form;
  if (Array.isArray(s.enum)) return s.enum.map((v) => JSON.stringify(v)).join(" | ");
  if ("const" in s) return JSON.stringify(s.const);
  const members = Array.isArray(s.anyOf) ? s.anyOf : Array.isArray(s.oneOf) ? s.oneOf : undefined;
  if (members) return members.filter((m) => !numberWords(m)).map((m) => describe(m, depth + 1)).join(" | ");
  const types = Array.isArray(s.type) ? s.type : s.type === undefined ? [] : [s.type];
  if (types.length > 1) return types.map((t) => describe({ ...s, type: t }, depth + 1)).join(" | ");
  switch (types[0]) {
    case "string": {
      const length = lengthOf(s, "minLength", "maxLength", "character");
      return ["string", typeof s.pattern === "string" ? `matching /${s.pattern}/` : "", length ? `of ${length}` : ""].filter(Boolean).join(" ");
    }
    case "number":
    case "integer":
      return [types[0], rangeOf(s)].filter(Boolean).join(" ");
    case "array": {
      if (Array.isArray(s.prefixItems)) return `[${s.prefixItems.map((p) => describe(p, depth + 1)).join(", ")}${s.items === false ? "" : `, ...${describe(s.items, depth + 1)}[]`}]`;
      const item = describe(s.items, depth + 1);
      return `${item.includes(" ") ? `(${item})` : item}[]`;
    }
    case "object": {
      const names = isNode(s.properties) ? Object.keys(s.properties) : [];
      const required = new Set(Array.isArray(s.required) ? s.required : []);
      const rest = s.additionalProperties !== undefined && s.additionalProperties !== false ? [`[key: string]: ${describe(s.additionalProperties, depth + 1)}`] : [];
      const fields = [...names.map((n) => `${n}${required.has(n) ? "" : "?"}`), ...rest];
      return fields.length === 0 ? "{}" : `{ ${fields.join("; ")} }`;
    }
    case undefined:
      return "any value";
    default:
      return String(types[0]);
  }
}

/** The words a number's wire form uses for NaN and ±Infinity: part of `number`, not a type of their own. */
function numberWords(s: unknown): boolean {
  return isNode(s) && s.type === "string" && Array.isArray(s.enum) && s.enum.every((v) => (NUMBER_WORDS as readonly unknown[]).includes(v));
}

/** `1–10 characters`, `at most 1 character`, or nothing: `unit` is singular. */
export function lengthOf(s: unknown, minKey: string, maxKey: string, unit: string): string {
  if (!isNode(s)) return "";
  const min = typeof s[minKey] === "number" ? (s[minKey] as number) : undefined;
  const max = typeof s[maxKey] === "number" ? (s[maxKey] as number) : undefined;
  const units = (n: number) => `${unit}${n === 1 ? "" : "s"}`;
  if (min !== undefined && max !== undefined) return min === max ? `${min} ${units(min)}` : `${min}–${max} ${units(max)}`;
  if (min !== undefined) return `at least ${min} ${units(min)}`;
  if (max !== undefined) return `at most ${max} ${units(max)}`;
  return "";
}

/** `≥ 0 < 10`, `multiple of 5`, `whole`, or nothing. */
export function rangeOf(s: unknown): string {
  if (!isNode(s)) return "";
  const parts: string[] = [];
  if (typeof s.minimum === "number") parts.push(`≥ ${s.minimum}`);
  if (typeof s.exclusiveMinimum === "number") parts.push(`> ${s.exclusiveMinimum}`);
  if (typeof s.maximum === "number") parts.push(`≤ ${s.maximum}`);
  if (typeof s.exclusiveMaximum === "number") parts.push(`< ${s.exclusiveMaximum}`);
  if (typeof s.multipleOf === "number") parts.push(`multiple of ${s.multipleOf}`);
  return parts.join(" ");
}
