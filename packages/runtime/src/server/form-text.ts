/**
 * Short, TypeScript-like names for the forms a value could take — `"auto"`,
 * `number`, `EmailContact`, `{ type: "click", x, y }`, `` `user-${number}` `` —
 * and lists of them that stay short however many forms there are.
 */
import { NUMBER_WORDS } from "../codec.js";
import { wireFormOf } from "../wire-forms.js";
import type { WireForm } from "../wire-forms.js";
import { asSchema, refName } from "./schema-lookup.js";
import type { Schema } from "./schema-lookup.js";

/** Lists at most this many forms or values in full; longer lists are counted, with a few examples. */
export const MAX_LISTED = 10;
const EXAMPLES = 3;

// What the compiler emits for template-literal placeholders
// (packages/tsc-micro/src/model/library-types.ts), read back as TypeScript.
const PLACEHOLDERS: readonly (readonly [string, string])[] = [
  ["\\s*(?:[+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?|0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO][0-7]+)\\s*", "${number}"],
  ["[\\s\\S]*", "${string}"],
  ["(?:true|false)", "${boolean}"],
  ["-?\\d+", "${bigint}"],
];
const SYNTAX = "\\^$.*+?()[]{}|/";

// A union's patterns come back for every bad element of an array: read each once.
const templates = new Map<string, string | undefined>();

/** A pattern the compiler made from a template literal type, as that type: `^usr-…$` → `` `usr-${number}` ``. */
export function templateOf(pattern: string): string | undefined {
  if (templates.has(pattern)) return templates.get(pattern);
  if (templates.size >= 4096) templates.clear();
  const template = readTemplate(pattern);
  templates.set(pattern, template);
  return template;
}

function readTemplate(pattern: string): string | undefined {
  if (!pattern.startsWith("^") || !pattern.endsWith("$") || pattern.length < 2) return undefined;
  const body = pattern.slice(1, -1);
  let text = "";
  scan: for (let i = 0; i < body.length; ) {
    for (const [regex, placeholder] of PLACEHOLDERS) {
      if (body.startsWith(regex, i)) {
        text += placeholder;
        i += regex.length;
        continue scan;
      }
    }
    const char = body[i]!;
    if (char === "\\" && i + 1 < body.length && SYNTAX.includes(body[i + 1]!)) {
      text += body[i + 1];
      i += 2;
    } else if (SYNTAX.includes(char) || char === "`") {
      return undefined; // real regular-expression syntax: not one of ours
    } else {
      text += char;
      i += 1;
    }
  }
  return `\`${text}\``;
}

/**
 * What a string failing `pattern` must be, when the pattern is one the
 * compiler writes: a wire form by name ("must be an ISO 8601 date-time (e.g.
 * …)"), a template literal type as that type. Undefined for a user's own
 * `@pattern`, which is best quoted as written.
 */
export function patternText(pattern: string): string | undefined {
  const wire = wireFormOf(pattern);
  if (wire) return wire.message;
  const template = templateOf(pattern);
  return template === undefined ? undefined : `must match ${template}`;
}

/** The wire form a string schema checks by its pattern (a Date's, a bigint's…), if any. */
export function wireFormIn(schema: Schema): WireForm | undefined {
  return schema.type === "string" && typeof schema.pattern === "string" ? wireFormOf(schema.pattern) : undefined;
}

/**
 * A `number`'s schema, which the compiler writes as `anyOf: [{ type: "number",
 * … }, words]`: the words for the numbers JSON cannot write that it admits, as
 * strings or, boxed, as `{ "$number": word }` (emit/number-schema.ts).
 */
export interface NumberForm {
  words: string[];
  boxed: boolean;
}

export function numberFormOf(value: unknown): NumberForm | undefined {
  const branches = asSchema(value)?.anyOf;
  if (!Array.isArray(branches) || branches.length !== 2 || asSchema(branches[0])?.type !== "number") return undefined;
  const word = asSchema(branches[1]);
  const boxed = word?.type === "object";
  const words = (boxed ? asSchema(asSchema(word.properties)?.$number) : word)?.enum;
  const known: readonly unknown[] = NUMBER_WORDS;
  return Array.isArray(words) && words.length > 0 && words.every((w) => known.includes(w)) ? { words, boxed } : undefined;
}

/** `must be a number (or "NaN", "-0" for the numbers JSON cannot write)`. */
export function numberText({ words, boxed }: NumberForm): string {
  const listed = boxed ? `{ "$number": ${words.map(literal).join(" | ")} }` : words.map(literal).join(", ");
  return `must be a number (or ${listed} for the numbers JSON cannot write)`;
}

/** A JSON value as it would read in TypeScript, cut short if long. */
export function literal(value: unknown): string {
  return clip(JSON.stringify(value) ?? String(value), 40);
}

/** A form a value could take: its name, and the values it allows when it is a list of literals. */
export interface Form {
  name: string;
  /** `name` split into its choices: an enum's values one by one, else just `[name]`. */
  choices: string[];
}

/** The form `schema` describes; refs go by the title of their definition, else by their name. */
export function formOf(value: unknown, definitions?: Record<string, unknown>): Form {
  const schema = asSchema(value);
  if (Array.isArray(schema?.enum)) {
    const choices = schema.enum.map(literal);
    return { name: shortList(choices, " | "), choices };
  }
  const name = formName(value, definitions);
  return { name, choices: [name] };
}

function formName(value: unknown, definitions?: Record<string, unknown>): string {
  const schema = asSchema(value);
  if (value === true || (schema && Object.keys(schema).length === 0)) return "any value";
  if (!schema) return "nothing";
  if (typeof schema.$ref === "string") {
    const name = refName(schema.$ref);
    const title = asSchema(definitions && Object.hasOwn(definitions, name) ? definitions[name] : undefined)?.title;
    return typeof title === "string" ? title : name;
  }
  if ("const" in schema) return literal(schema.const);
  if (Array.isArray(schema.enum)) return shortList(schema.enum.map(literal), " | ");
  if (numberFormOf(schema)) return "number";
  const union = Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : undefined;
  if (union) return shortList(union.map((branch) => formName(branch, definitions)), " | ");
  const wire = wireFormIn(schema);
  if (wire) return wire.name;
  if (typeof schema.format === "string") return `${schema.format} string`;
  if (typeof schema.pattern === "string") return templateOf(schema.pattern) ?? `string matching ${literal(schema.pattern)}`;
  if (schema.type === "object" || asSchema(schema.properties)) return objectForm(schema);
  if (Array.isArray(schema.prefixItems)) return `[${shortList(schema.prefixItems.map((item) => formName(item, definitions)), ", ")}]`;
  if (schema.type === "array") return schema.items === undefined ? "array" : `${wrap(formName(schema.items, definitions))}[]`;
  if (Array.isArray(schema.type)) return schema.type.join(" | ");
  return typeof schema.type === "string" ? schema.type : "value";
}

/** `{ type: "click", x, y?, … }`: the first few properties, tags with their value. */
function objectForm(schema: Schema): string {
  const properties = Object.entries(asSchema(schema.properties) ?? {});
  if (properties.length === 0) return "object";
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  const shown = properties.slice(0, EXAMPLES).map(([key, child]) => {
    const name = /^[A-Za-z_$][\w$]*$/.test(key) ? key : literal(key);
    const tag = asSchema(child);
    if (tag && "const" in tag) return `${name}: ${literal(tag.const)}`;
    return required.has(key) ? name : `${name}?`;
  });
  return `{ ${shown.join(", ")}${properties.length > EXAMPLES ? ", …" : ""} }`;
}

function wrap(form: string): string {
  return form.includes(" ") ? `(${form})` : form;
}

function shortList(items: readonly string[], separator: string): string {
  return items.length <= EXAMPLES ? items.join(separator) : `${items.slice(0, EXAMPLES).join(separator)}${separator}…`;
}

/**
 * "must be one of …": every form when there are few; else their number and
 * the few closest to the value (by how much of its start they share), or the
 * first few when nothing is close.
 */
export function oneOfText(forms: readonly string[], value: unknown, noun = "forms"): string {
  const distinct = [...new Set(forms)];
  if (distinct.length === 1) return forms.length === 1 ? `must be ${distinct[0]}` : `must be ${distinct[0]} (one of ${forms.length} ${noun})`;
  if (forms.length <= MAX_LISTED) return `must be one of ${distinct.join(", ")}`;
  const ranked = distinct.map((form, index) => ({ form, index, score: closeness(form, value) }));
  ranked.sort((a, b) => b.score - a.score || a.index - b.index);
  const examples = ranked.slice(0, EXAMPLES).map((r) => r.form).join(", ");
  return ranked[0]!.score > 0
    ? `must be one of ${forms.length} ${noun}; closest: ${examples}`
    : `must be one of ${forms.length} ${noun}, e.g. ${examples}`;
}

/** How many leading characters a string value shares with a literal or template form's fixed start. */
export function closeness(form: string, value: unknown): number {
  if (typeof value !== "string") return 0;
  let start: string;
  if (form.startsWith("`")) start = form.slice(1, form.includes("${") ? form.indexOf("${") : -1);
  else if (form.startsWith('"')) start = form.slice(1, -1);
  else return 0;
  let n = 0;
  while (n < start.length && n < value.length && start[n] === value[n]) n++;
  return n;
}

/** `text`, cut to at most `max` characters with an ellipsis, never inside a surrogate pair. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}
