// The random part of a generated program, as fast-check arbitraries. A spec
// only says what to try (names, type shapes, forms, a tape of choices for the
// bodies); realize.ts turns any spec into a legal program, so every spec,
// and every value fast-check shrinks it to, is a program. Shrinking goes
// towards fewer files, types, functions and parameters, default names,
// `number` types and the first choice of every body decision.
import fc from "fast-check";
import type { Literal } from "./model.ts";
import { LETTERS, NAME_PREFIXES, NAME_SUFFIXES, SPECIAL_NAMES } from "./names.ts";

/** A type before its references are resolved: `ref` points at an earlier declared type by index. */
export type TypeShape =
  | { k: "number" | "string" | "boolean" | "date" | "bigint" }
  | { k: "literals"; values: Literal[] }
  | { k: "array"; item: TypeShape }
  | { k: "tuple"; items: TypeShape[] }
  | { k: "object"; props: PropSpec[] }
  | { k: "ref"; index: number }
  /** The result type of an earlier function (by index), so that calls chain: only for parameters and results. */
  | { k: "like"; index: number };

/** `undefined`: the default name of its position (`f1`, `p1`, `T1`, …). */
export type NameSpec = string | undefined;

export interface PropSpec {
  key: NameSpec;
  optional: boolean;
  type: TypeShape;
  doc?: string | undefined;
}

export type TypeSpec =
  | { kind: "enum"; name: NameSpec; numeric: boolean; members: { name: NameSpec; value: string | number | null; doc?: string | undefined }[]; doc?: string | undefined }
  | { kind: "interface"; name: NameSpec; props: PropSpec[]; doc?: string | undefined }
  | { kind: "alias"; name: NameSpec; type: TypeShape; doc?: string | undefined }
  | { kind: "union"; name: NameSpec; tag: NameSpec; members: { tagValue: string; props: PropSpec[] }[]; doc?: string | undefined };

export interface ParamSpec {
  name: NameSpec;
  type: TypeShape;
  optional: boolean;
  doc?: string | undefined;
}

export type Form = "function" | "async function" | "arrow" | "async arrow" | "function expression";

export interface FnSpec {
  name: NameSpec;
  file: number;
  form: Form;
  params: ParamSpec[];
  /** `null`: void. */
  result: TypeShape | null;
  service?: string | undefined;
  doc?: string | undefined;
  returnsDoc?: string | undefined;
  /** Choices for the body, read in order (see bodies.ts); exhausted, every choice is the first. */
  tape: number[];
}

export type DefectKind = "bad-service-name" | "unknown-option" | "not-exported";

export interface ProgramSpec {
  files: string[];
  types: TypeSpec[];
  fns: FnSpec[];
  defect?: DefectKind | undefined;
  /** Import functions under another local name (`import { f as f_1 }`). */
  aliasImports: boolean;
}

// ---------------------------------------------------------------- text

/** Pieces of text that break naive escaping: quotes, backticks, `${`, comment ends, line separators, backslashes, emoji. */
export const TRICKY_FRAGMENTS: readonly string[] = [
  '"', "'", "`", "${", "${x}", "*/", "/*", "\u2028", "\u2029", "\\", "\\u0041", "\\n", "🙂", "👩‍👩‍👧", "é", "中文", "\n", "\r\n", "\t",
  "</script>", "-->", "$&", "$1", "%s", "\u0000", "\u200b", "\u200e", "null", "{}", "a b", "#", "?", "&amp;", "\ud83d\ude00",
];

const fragment = fc.constantFrom(...TRICKY_FRAGMENTS);
/** Strings for string literals and enum values. */
export const trickyString: fc.Arbitrary<string> = fc
  .array(fc.oneof({ weight: 3, arbitrary: fragment }, { weight: 1, arbitrary: fc.string({ maxLength: 3, unit: "grapheme" }) }), { maxLength: 4 })
  .map((parts) => parts.join(""));
/** Doc comments: the same, minus `@` (it would start a tag) and with words around. */
const docText: fc.Arbitrary<string> = fc
  .array(fc.oneof({ weight: 2, arbitrary: fragment }, { weight: 2, arbitrary: fc.constantFrom("Adds", "the", "value", "ünïcode", "Ω", "it's", "x < y") }), { minLength: 1, maxLength: 6 })
  .map((parts) => parts.join(" "));
const doc = fc.option(docText, { freq: 2, nil: undefined });

// ---------------------------------------------------------------- names

const composedName: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(...NAME_PREFIXES), fc.array(fc.constantFrom(...LETTERS), { minLength: 1, maxLength: 5 }), fc.constantFrom(...NAME_SUFFIXES))
  .map(([p, letters, s]) => p + letters.join("") + s);
const name: fc.Arbitrary<NameSpec> = fc.option(fc.oneof(fc.constantFrom(...SPECIAL_NAMES), composedName), { freq: 2, nil: undefined });
/** Property keys: names, or keys that are not identifiers at all. */
const key: fc.Arbitrary<NameSpec> = fc.oneof({ weight: 4, arbitrary: name }, { weight: 1, arbitrary: fc.constantFrom("a b", "0", "x-y", "", "🙂", "1e3", "\u2028") });

// ---------------------------------------------------------------- types

const literal: fc.Arbitrary<Literal> = fc.oneof(trickyString, fc.integer({ min: -5, max: 100 }), fc.constantFrom(0.5, -1.25, 1e21, 2 ** 53), fc.boolean());

function propsOf(depth: number): fc.Arbitrary<PropSpec[]> {
  return fc.array(fc.record({ key, optional: fc.boolean(), type: typeShape(depth - 1), doc }, { requiredKeys: ["key", "optional", "type"] }), { minLength: 1, maxLength: 4 });
}

/** A type shape at most `depth` levels deep; the first alternative (what shrinking goes to) is `number`. */
export function typeShape(depth: number): fc.Arbitrary<TypeShape> {
  const primitive = fc.constantFrom<TypeShape>({ k: "number" }, { k: "string" }, { k: "boolean" }, { k: "date" }, { k: "bigint" });
  const leaves = [
    { weight: 6, arbitrary: primitive },
    { weight: 2, arbitrary: fc.record({ k: fc.constant("literals" as const), values: fc.uniqueArray(literal, { minLength: 1, maxLength: 4 }) }) },
    { weight: 4, arbitrary: fc.record({ k: fc.constant("ref" as const), index: fc.nat({ max: 7 }) }) },
  ];
  if (depth <= 0) return fc.oneof(...leaves);
  return fc.oneof(
    ...leaves,
    { weight: 2, arbitrary: fc.record({ k: fc.constant("array" as const), item: typeShape(depth - 1) }) },
    { weight: 1, arbitrary: fc.record({ k: fc.constant("tuple" as const), items: fc.array(typeShape(depth - 1), { minLength: 1, maxLength: 3 }) }) },
    { weight: 2, arbitrary: fc.record({ k: fc.constant("object" as const), props: propsOf(depth) }) },
  );
}

const enumSpec: fc.Arbitrary<TypeSpec> = fc.boolean().chain((numeric) =>
  fc.record(
    {
      kind: fc.constant("enum" as const),
      name,
      numeric: fc.constant(numeric),
      members: fc.array(
        fc.record(
          {
            name,
            value: numeric ? fc.option(fc.oneof(fc.integer({ min: -3, max: 300 }), fc.constantFrom(0.5, -2.5, 1e21)), { nil: null }) : trickyString,
            doc,
          },
          { requiredKeys: ["name", "value"] },
        ),
        { minLength: 1, maxLength: 4 },
      ),
      doc,
    },
    { requiredKeys: ["kind", "name", "numeric", "members"] },
  ),
);

export const typeSpec: fc.Arbitrary<TypeSpec> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("interface" as const), name, props: propsOf(2), doc }, { requiredKeys: ["kind", "name", "props"] }) },
  { weight: 3, arbitrary: enumSpec },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("alias" as const), name, type: typeShape(2), doc }, { requiredKeys: ["kind", "name", "type"] }) },
  {
    weight: 2,
    arbitrary: fc.record(
      {
        kind: fc.constant("union" as const),
        name,
        tag: key,
        members: fc.uniqueArray(fc.record({ tagValue: trickyString, props: propsOf(1) }), { minLength: 2, maxLength: 3, selector: (m) => m.tagValue }),
        doc,
      },
      { requiredKeys: ["kind", "name", "tag", "members"] },
    ),
  },
);

// ---------------------------------------------------------------- functions

/** A parameter or result type: often an earlier function's result type, so that results feed calls down a chain. */
const signatureType: fc.Arbitrary<TypeShape> = fc.oneof(
  { weight: 3, arbitrary: typeShape(2) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant("like" as const), index: fc.nat({ max: 7 }) }) },
);

const fnSpec: fc.Arbitrary<FnSpec> = fc.record(
  {
    name,
    file: fc.nat({ max: 3 }),
    form: fc.constantFrom<Form>("function", "arrow", "async function", "async arrow", "function expression"),
    params: fc.array(fc.record({ name, type: signatureType, optional: fc.boolean(), doc }, { requiredKeys: ["name", "type", "optional"] }), { maxLength: 3 }),
    // One function in eight returns void (fc.option: nil one time in `freq`).
    result: fc.option(signatureType, { freq: 8, nil: null }),
    // A third of the functions name their service; the same name colocates them.
    service: fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom("alpha", "beta", "svc-2", "a1") }),
    doc,
    returnsDoc: doc,
    tape: fc.array(fc.nat({ max: 0xffff }), { maxLength: 160, size: "max" }),
  },
  { requiredKeys: ["name", "file", "form", "params", "result", "tape"] },
);

/** File names (under src/): plain, kebab, non-ASCII, with a space or a dot. */
const FILE_NAMES = ["main", "util", "a-b", "café", "Ωmega", "my file", "index", "svc.impl", "x_y", "types"];

export const programSpec: fc.Arbitrary<ProgramSpec> = fc.record(
  {
    files: fc.uniqueArray(fc.constantFrom(...FILE_NAMES), { minLength: 1, maxLength: 4 }),
    types: fc.array(typeSpec, { maxLength: 4 }),
    fns: fc.array(fnSpec, { minLength: 1, maxLength: 5 }),
    // One program in fifteen has a defect the tool must refuse.
    defect: fc.oneof({ weight: 14, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom<DefectKind>("bad-service-name", "unknown-option", "not-exported") }),
    aliasImports: fc.boolean(),
  },
  { requiredKeys: ["files", "types", "fns", "aliasImports"] },
);
