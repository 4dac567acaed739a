/**
 * The wire-type IR: what a TypeScript type looks like on the wire, as plain data.
 * Both the JSON Schemas (OpenAPI, validators) and the client's TypeScript
 * declarations are derived from it, so they can never disagree.
 */
export type TypeIR =
  | { kind: "string" }
  | { kind: "number" }
  | { kind: "boolean" }
  | { kind: "null" }
  | { kind: "literal"; value: string | number | boolean }
  | { kind: "array"; items: TypeIR }
  | { kind: "object"; properties: PropertyIR[] }
  | { kind: "union"; members: TypeIR[] }
  | { kind: "ref"; name: string };

export interface PropertyIR {
  name: string;
  type: TypeIR;
  optional: boolean;
  description?: string;
}

/** A named type (interface or type alias) that becomes an OpenAPI component. */
export interface ComponentIR {
  name: string;
  type: TypeIR;
  description?: string;
}

export interface ParameterModel {
  name: string;
  optional: boolean;
  type: TypeIR;
  description?: string;
}

/** A tagged function's wire signature. */
export interface FunctionModel {
  id: string;
  params: ParameterModel[];
  /** The result type with `Promise` unwrapped; `null` for `void` (answered with 204). */
  result: TypeIR | null;
}

/** Names of the components a type refers to directly or through other components. */
export function referencedComponents(types: readonly TypeIR[], components: Readonly<Record<string, ComponentIR>>): string[] {
  const seen = new Set<string>();
  const visit = (t: TypeIR): void => {
    switch (t.kind) {
      case "ref":
        if (seen.has(t.name)) return;
        seen.add(t.name);
        if (components[t.name]) visit(components[t.name]!.type);
        return;
      case "array":
        return visit(t.items);
      case "object":
        return t.properties.forEach((p) => visit(p.type));
      case "union":
        return t.members.forEach(visit);
      default:
        return;
    }
  };
  types.forEach(visit);
  return [...seen].sort();
}
