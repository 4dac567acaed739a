// The vocabulary of generated programs: the types, declarations and functions
// of one small tagged TypeScript program, after its random spec has been
// turned into names that are legal and unique (see realize.ts). Printing
// (print.ts) and argument values (values.ts) read only this.

/** A type written in the program: parameter, result, property, alias or element type. */
export type TypeExpr =
  | { k: "number" }
  | { k: "string" }
  | { k: "boolean" }
  | { k: "date" }
  | { k: "bigint" }
  /** A literal type, or a union of literal types (`"a" | 3 | true`). */
  | { k: "literals"; values: readonly Literal[] }
  | { k: "array"; item: TypeExpr }
  | { k: "tuple"; items: readonly TypeExpr[] }
  /** An inline object type (`{ a: number; b?: string }`). */
  | { k: "object"; props: readonly Prop[] }
  /** A declared type, by its (program-unique) name. */
  | { k: "ref"; name: string };

export type Literal = string | number | boolean;

export interface Prop {
  key: string;
  optional: boolean;
  type: TypeExpr;
  doc?: string;
}

export interface EnumMember {
  name: string;
  /** Written as `= value`; numeric members without it count on from the previous one. */
  init?: string | number;
  /** The member's runtime value. */
  value: string | number;
  doc?: string;
}

/** A type declared at the top level of a file (always exported). */
export type TypeDecl =
  | { kind: "enum"; name: string; file: number; members: readonly EnumMember[]; doc?: string }
  | { kind: "interface"; name: string; file: number; props: readonly Prop[]; doc?: string }
  | { kind: "alias"; name: string; file: number; type: TypeExpr; doc?: string }
  /** `type U = { tag: "a"; … } | { tag: "b"; … }`: a discriminated union of inline objects. */
  | { kind: "union"; name: string; file: number; tag: string; members: readonly { tagValue: string; props: readonly Prop[] }[]; doc?: string };

export interface Param {
  name: string;
  type: TypeExpr;
  /** `p?: T` (only ever the last parameters). */
  optional: boolean;
  doc?: string;
}

/** How a tagged function is written. */
export type FnForm = "function" | "async function" | "arrow" | "async arrow" | "function expression";

export interface FnDecl {
  name: string;
  file: number;
  form: FnForm;
  params: readonly Param[];
  /** `null`: returns void. */
  result: TypeExpr | null;
  /** `service=` on the tag. */
  service?: string;
  /** Text on the tag line after the options (a deliberate defect, see Defect). */
  extraOption?: string;
  doc?: string;
  returnsDoc?: string;
  /** Not exported (a deliberate defect). */
  notExported?: boolean;
  /** The body, as statements (filled in by bodies.ts). */
  body: string[];
}

/** A deliberate defect, put in on purpose: the tool must refuse the program with its diagnostic. */
export interface Defect {
  kind: "bad-service-name" | "unknown-option" | "not-exported";
  code: number;
}

/** Something in a program the tool must refuse, and the diagnostic code it must refuse it with. */
export interface Refusal {
  code: number;
  reason: string;
}

export interface ProgramFile {
  /** Path relative to the project, `src/<name>.ts`. */
  path: string;
  /** The module specifier other files import it with (`./<name>.js`). */
  specifier: string;
}

export interface Program {
  files: readonly ProgramFile[];
  types: readonly TypeDecl[];
  functions: readonly FnDecl[];
  defect?: Defect;
  /** What the tool must refuse in this program (empty: it must build). */
  refusals: readonly Refusal[];
  /** Printed sources by project-relative path (print.ts). */
  sources: Record<string, string>;
}

/** The declared type of that name. */
export function declOf(types: readonly TypeDecl[], name: string): TypeDecl {
  const d = types.find((t) => t.name === name);
  if (!d) throw new Error(`generator bug: no declared type ${name}`);
  return d;
}

export function isAsyncFn(f: FnDecl): boolean {
  return f.form === "async function" || f.form === "async arrow";
}
