/**
 * The wire-type IR: what a TypeScript type looks like on the wire, as plain data.
 * The JSON Schemas (OpenAPI, validators), the client's TypeScript declarations
 * and the codecs that revive non-JSON values are all derived from it, so they
 * can never disagree.
 */
export type TypeIR =
  /** `pattern` and `template` (its TypeScript text) come from template literal types (`user-${string}`). */
  | { kind: "string"; pattern?: string; template?: string }
  | { kind: "number" }
  | { kind: "boolean" }
  | { kind: "null" }
  /** `any` / `unknown`, only with the `allowAny` build option: any JSON value. */
  | { kind: "any" }
  | { kind: "literal"; value: string | number | boolean }
  /** `readonly` (ReadonlyArray, `readonly T[]`) only shapes the client's typings. */
  | { kind: "array"; items: TypeIR; readonly?: boolean }
  | { kind: "tuple"; elements: TupleElementIR[]; rest?: TypeIR; readonly?: boolean }
  /**
   * `additional` is the value type of an index signature or `Record<string, V>`;
   * `patterns` are index signatures keyed by template literals (`[k: \`data-${string}\`]: V`);
   * `additionalOrUndefined` keeps a declared `| undefined` on the index signature for the typings.
   */
  | { kind: "object"; properties: PropertyIR[]; additional?: TypeIR; additionalOrUndefined?: boolean; patterns?: PatternPropertyIR[] }
  | { kind: "union"; members: TypeIR[]; discriminator?: DiscriminatorIR }
  | { kind: "ref"; name: string }
  // Values JSON has no type for, each with an explicit wire form (see emit/codec.ts):
  /** ISO 8601 string (`toISOString()`). */
  | { kind: "date" }
  /** String of digits, optionally signed. */
  | { kind: "bigint" }
  /** `Uint8Array` as a base64 string. */
  | { kind: "bytes" }
  /** `URL` as its `href`. */
  | { kind: "url" }
  /** `Map` (or `ReadonlyMap`) as an array of `[key, value]` pairs. */
  | { kind: "map"; key: TypeIR; value: TypeIR; readonly?: boolean }
  /** `Set` (or `ReadonlySet`) as an array. */
  | { kind: "set"; items: TypeIR; readonly?: boolean };

export interface PatternPropertyIR {
  /** Regular expression for the keys, e.g. `^data-[\s\S]*$`. */
  pattern: string;
  /** The key type's TypeScript text, for declarations. */
  keyType: string;
  type: TypeIR;
}

export interface TupleElementIR {
  type: TypeIR;
  optional: boolean;
  /** Label of a named tuple member (`[x: number]`). */
  name?: string;
}

/** A union of objects told apart by one literal property (OpenAPI `discriminator`). */
export interface DiscriminatorIR {
  property: string;
  /** Every member's tag value, in member order. */
  tags: (string | number)[];
  /** Tag value → component name, when every member is a named component. */
  mapping: Record<string, string>;
}

/** JSDoc constraints and annotations on a property or parameter, as JSON Schema keywords. */
export interface Constraints {
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
  deprecated?: boolean;
  examples?: unknown[];
}

export interface PropertyIR {
  name: string;
  type: TypeIR;
  /** May be missing on the wire (`p?: T`, or `p: T | undefined`). */
  optional: boolean;
  /** Declared `p: T | undefined` without `?`: the typings keep it that way. */
  orUndefined?: boolean;
  readonly?: boolean;
  description?: string;
  constraints?: Constraints;
}

/** A named type (interface, type alias, enum) that becomes an OpenAPI component. */
export interface ComponentIR {
  name: string;
  type: TypeIR;
  description?: string;
}

export interface ParameterModel {
  name: string;
  /** May be missing from a request: `p?: T`, `p = d`, or `p: T | undefined` (see `orUndefined`). */
  optional: boolean;
  /** Declared `p: T | undefined` (not `p?`): the typings keep it so, the wire leaves it out when undefined. */
  orUndefined?: boolean;
  type: TypeIR;
  description?: string;
  constraints?: Constraints;
}

/**
 * One overload signature of an overloaded service function, as the client's
 * typings declare it. The wire follows the implementation's signature.
 */
export interface OverloadModel {
  /** Its own parameter names and types; `description` from its own `@param`. */
  params: ParameterModel[];
  /** Its result with `Promise` unwrapped; `null` for `void`. */
  result: TypeIR | null;
}

/** A tagged function's wire signature. */
export interface FunctionModel {
  id: string;
  params: ParameterModel[];
  /** The result type with `Promise` unwrapped; `null` for `void` (answered with 204). */
  result: TypeIR | null;
  /** The overload signatures, in source order, when the function is overloaded. */
  overloads?: OverloadModel[];
}

/** Calls `visit` on every type directly inside `t` (not through refs). */
export function childTypes(t: TypeIR): TypeIR[] {
  switch (t.kind) {
    case "array":
      return [t.items];
    case "set":
      return [t.items];
    case "map":
      return [t.key, t.value];
    case "tuple":
      return [...t.elements.map((e) => e.type), ...(t.rest ? [t.rest] : [])];
    case "object":
      return [...t.properties.map((p) => p.type), ...(t.additional ? [t.additional] : []), ...(t.patterns ?? []).map((p) => p.type)];
    case "union":
      return t.members;
    default:
      return [];
  }
}

/** Names of the components a type refers to directly or through other components. */
export function referencedComponents(types: readonly TypeIR[], components: Readonly<Record<string, ComponentIR>>): string[] {
  const seen = new Set<string>();
  const visit = (t: TypeIR): void => {
    if (t.kind === "ref") {
      if (seen.has(t.name)) return;
      seen.add(t.name);
      if (components[t.name]) visit(components[t.name]!.type);
      return;
    }
    childTypes(t).forEach(visit);
  };
  types.forEach(visit);
  return [...seen].sort();
}
