import type { ComponentIR, PropertyIR, TypeIR } from "../model/ir.js";
import { jsdoc } from "./header.js";

/** The built-in types client declarations name; a user type of the same name must not capture them. */
export const GLOBAL_TYPES = ["Array", "ReadonlyArray", "Date", "Uint8Array", "URL", "Map", "ReadonlyMap", "Set", "ReadonlySet", "Promise"] as const;
export type GlobalType = (typeof GLOBAL_TYPES)[number];

/**
 * How a declaration file spells names: the user's types (possibly under an
 * import alias) and the built-ins (as `globalThis.Date` where a user type
 * named `Date` is in scope).
 */
export interface TypeNames {
  ref(component: string): string;
  global(name: GlobalType): string;
}

/** Names as they are: for files where no user type shadows a built-in. */
export const PLAIN_NAMES: TypeNames = { ref: (c) => c, global: (g) => g };

/** Names for a module declaring the user's `components` itself: built-ins they shadow go through `globalThis`. */
export function namesBeside(components: Iterable<string>): TypeNames {
  const shadowed = new Set<string>(components);
  return { ref: (c) => c, global: (g) => (shadowed.has(g) ? `globalThis.${g}` : g) };
}

/** Wire IR → TypeScript type text, for the clients' declarations (the values callers pass and get). */
export function toTsType(type: TypeIR, names: TypeNames = PLAIN_NAMES): string {
  const sub = (t: TypeIR) => toTsType(t, names);
  const g = names.global;
  switch (type.kind) {
    case "string":
      return type.template ?? "string";
    case "number":
    case "boolean":
    case "null":
    case "bigint":
      return type.kind;
    case "any":
      return "unknown";
    case "literal":
      return JSON.stringify(type.value);
    case "array":
      if (type.readonly) return `${g("ReadonlyArray")}<${sub(type.items)}>`;
      return type.items.kind === "union" ? `${g("Array")}<${sub(type.items)}>` : `${sub(type.items)}[]`;
    case "tuple": {
      const named = type.elements.every((e) => e.name);
      const parts = type.elements.map((e) => (named ? `${e.name}${e.optional ? "?" : ""}: ${sub(e.type)}` : `${sub(e.type)}${e.optional ? "?" : ""}`));
      if (type.rest) parts.push(named ? `...rest: ${g("Array")}<${sub(type.rest)}>` : `...${g("Array")}<${sub(type.rest)}>`);
      return `${type.readonly ? "readonly " : ""}[${parts.join(", ")}]`;
    }
    case "ref":
      return names.ref(type.name);
    case "union":
      return type.members.map(sub).join(" | ");
    case "object": {
      const members = type.properties.map((p) => `${member(p, names)};`);
      if (type.additional) members.push(`[key: string]: ${indexValue(type, names)};`);
      for (const p of type.patterns ?? []) members.push(`[key: ${p.keyType}]: ${sub(p.type)};`);
      return members.length === 0 ? "{}" : `{ ${members.join(" ")} }`;
    }
    case "date":
      return g("Date");
    case "bytes":
      return g("Uint8Array");
    case "url":
      return g("URL");
    case "map":
      return `${g(type.readonly ? "ReadonlyMap" : "Map")}<${sub(type.key)}, ${sub(type.value)}>`;
    case "set":
      return `${g(type.readonly ? "ReadonlySet" : "Set")}<${sub(type.items)}>`;
  }
}


function member(p: PropertyIR, names: TypeNames): string {
  const optional = p.optional && !p.orUndefined ? "?" : "";
  return `${p.readonly ? "readonly " : ""}${propertyKey(p.name)}${optional}: ${toTsType(p.type, names)}${p.orUndefined ? " | undefined" : ""}`;
}

function indexValue(t: Extract<TypeIR, { kind: "object" }>, names: TypeNames): string {
  return `${toTsType(t.additional!, names)}${t.additionalOrUndefined ? " | undefined" : ""}`;
}

/** A component as an `export interface` (object types) or `export type` declaration. */
export function componentDeclaration(component: ComponentIR, names: TypeNames = PLAIN_NAMES): string {
  const doc = jsdoc([component.description]);
  const t = component.type;
  if (t.kind === "object") {
    const lines = t.properties.map((p) => `${jsdoc([p.description, p.constraints?.deprecated ? "@deprecated" : undefined], "  ")}  ${member(p, names)};`);
    if (t.additional) lines.push(`  [key: string]: ${indexValue(t, names)};`);
    for (const p of t.patterns ?? []) lines.push(`  [key: ${p.keyType}]: ${toTsType(p.type, names)};`);
    return `${doc}export interface ${component.name} {\n${lines.join("\n")}${lines.length ? "\n" : ""}}\n`;
  }
  return `${doc}export type ${component.name} = ${toTsType(t, names)};\n`;
}

function propertyKey(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : JSON.stringify(name);
}
