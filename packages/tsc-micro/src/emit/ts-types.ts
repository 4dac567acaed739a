import type { ComponentIR, TypeIR } from "../model/ir.js";
import { jsdoc } from "./header.js";

/** Wire IR → TypeScript type text, for the clients' declarations. */
export function toTsType(type: TypeIR): string {
  switch (type.kind) {
    case "string":
    case "number":
    case "boolean":
    case "null":
      return type.kind;
    case "literal":
      return JSON.stringify(type.value);
    case "array": {
      const inner = toTsType(type.items);
      return type.items.kind === "union" ? `Array<${inner}>` : `${inner}[]`;
    }
    case "ref":
      return type.name;
    case "union":
      return type.members.map(toTsType).join(" | ");
    case "object":
      if (type.properties.length === 0) return "{}";
      return `{ ${type.properties.map((p) => `${propertyKey(p.name)}${p.optional ? "?" : ""}: ${toTsType(p.type)};`).join(" ")} }`;
  }
}

/** A component as an `export interface` (object types) or `export type` declaration. */
export function componentDeclaration(component: ComponentIR): string {
  const doc = jsdoc([component.description]);
  const t = component.type;
  if (t.kind === "object") {
    const body = t.properties
      .map((p) => `${jsdoc([p.description], "  ")}  ${propertyKey(p.name)}${p.optional ? "?" : ""}: ${toTsType(p.type)};`)
      .join("\n");
    return `${doc}export interface ${component.name} {\n${body}${body ? "\n" : ""}}\n`;
  }
  return `${doc}export type ${component.name} = ${toTsType(t)};\n`;
}

function propertyKey(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : JSON.stringify(name);
}
