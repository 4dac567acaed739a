import type { ComponentIR, PropertyIR, TypeIR } from "../model/ir.js";
import { jsdoc } from "./header.js";

/** Wire IR → TypeScript type text, for the clients' declarations (the values callers pass and get). */
export function toTsType(type: TypeIR): string {
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
      if (type.readonly) return `ReadonlyArray<${toTsType(type.items)}>`;
      return type.items.kind === "union" ? `Array<${toTsType(type.items)}>` : `${toTsType(type.items)}[]`;
    case "tuple": {
      const named = type.elements.every((e) => e.name);
      const parts = type.elements.map((e) => (named ? `${e.name}${e.optional ? "?" : ""}: ${toTsType(e.type)}` : `${toTsType(e.type)}${e.optional ? "?" : ""}`));
      if (type.rest) parts.push(named ? `...rest: Array<${toTsType(type.rest)}>` : `...Array<${toTsType(type.rest)}>`);
      return `${type.readonly ? "readonly " : ""}[${parts.join(", ")}]`;
    }
    case "ref":
      return type.name;
    case "union":
      return type.members.map(toTsType).join(" | ");
    case "object": {
      const members = type.properties.map((p) => `${member(p)};`);
      if (type.additional) members.push(`[key: string]: ${indexValue(type)};`);
      for (const p of type.patterns ?? []) members.push(`[key: ${p.keyType}]: ${toTsType(p.type)};`);
      return members.length === 0 ? "{}" : `{ ${members.join(" ")} }`;
    }
    case "date":
      return "Date";
    case "bytes":
      return "Uint8Array";
    case "url":
      return "URL";
    case "map":
      return `${type.readonly ? "ReadonlyMap" : "Map"}<${toTsType(type.key)}, ${toTsType(type.value)}>`;
    case "set":
      return `${type.readonly ? "ReadonlySet" : "Set"}<${toTsType(type.items)}>`;
  }
}

function member(p: PropertyIR): string {
  const optional = p.optional && !p.orUndefined ? "?" : "";
  return `${p.readonly ? "readonly " : ""}${propertyKey(p.name)}${optional}: ${toTsType(p.type)}${p.orUndefined ? " | undefined" : ""}`;
}

function indexValue(t: Extract<TypeIR, { kind: "object" }>): string {
  return `${toTsType(t.additional!)}${t.additionalOrUndefined ? " | undefined" : ""}`;
}

/** A component as an `export interface` (object types) or `export type` declaration. */
export function componentDeclaration(component: ComponentIR): string {
  const doc = jsdoc([component.description]);
  const t = component.type;
  if (t.kind === "object") {
    const lines = t.properties.map((p) => `${jsdoc([p.description, p.constraints?.deprecated ? "@deprecated" : undefined], "  ")}  ${member(p)};`);
    if (t.additional) lines.push(`  [key: string]: ${indexValue(t)};`);
    for (const p of t.patterns ?? []) lines.push(`  [key: ${p.keyType}]: ${toTsType(p.type)};`);
    return `${doc}export interface ${component.name} {\n${lines.join("\n")}${lines.length ? "\n" : ""}}\n`;
  }
  return `${doc}export type ${component.name} = ${toTsType(t)};\n`;
}

function propertyKey(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : JSON.stringify(name);
}
