// The schema comparer's promise, tested on random schema pairs: when it finds
// nothing narrower, every value the previous request schema admits passes the
// new one (and, when it finds nothing wider, the other way round), as Ajv 2020 —
// the services' validator — judges them. Pairs are the request schemas of a
// random signature (model IR through the real emitter, recursive components
// included) and of a mutation of it (a field added or dropped, made optional,
// a union member or an enum value changed, a constraint moved…), so that both
// verdicts occur often.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { Ajv2020 } from "ajv/dist/2020.js";
import { diffSchemas } from "../src/check/diff-schemas.ts";
import { componentSchemas, requestSchema, validatorDialect } from "../src/emit/json-schema.ts";
import { documentKeys } from "../src/emit/openapi.ts";
import { referencedComponents } from "../src/model/ir.ts";
import type { ComponentIR, Constraints, ParameterModel, TypeIR } from "../src/model/ir.ts";
import { valuesOf } from "./helpers/schema-values.ts";

interface Signature {
  params: ParameterModel[];
  components: Record<string, ComponentIR>;
}

const PATTERNS = ["^sku-[\\s\\S]*$", "^[a-z]+$", "^[a-c]*$"];
const NAMES = ["a", "b", "c", "d"];

const leaf: fc.Arbitrary<TypeIR> = fc.oneof(
  fc.constant<TypeIR>({ kind: "string" }),
  fc.constantFrom(...PATTERNS).map((pattern): TypeIR => ({ kind: "string", pattern })),
  fc.constant<TypeIR>({ kind: "number" }),
  fc.constant<TypeIR>({ kind: "boolean" }),
  fc.constantFrom<TypeIR>({ kind: "date" }, { kind: "bigint" }, { kind: "bytes" }),
  fc.constantFrom("a", "b", "c", 1, 2, true).map((value): TypeIR => ({ kind: "literal", value })),
);

const constraintsFor = (t: TypeIR): fc.Arbitrary<Constraints | undefined> => {
  if (t.kind === "string" && !t.pattern) return fc.option(fc.record({ minLength: fc.integer({ min: 0, max: 3 }), maxLength: fc.integer({ min: 3, max: 8 }) }), { nil: undefined });
  if (t.kind === "number") return fc.option(fc.record({ minimum: fc.integer({ min: -5, max: 5 }), maximum: fc.integer({ min: 5, max: 20 }) }, { requiredKeys: [] }), { nil: undefined });
  return fc.constant(undefined);
};

const { type } = fc.letrec<{ type: TypeIR; object: TypeIR; union: TypeIR; tagged: TypeIR }>((tie) => ({
  type: fc.oneof(
    { depthSize: "small", maxDepth: 3 },
    leaf,
    tie("object"),
    tie("union"),
    tie("tagged"),
    tie("type").map((items): TypeIR => ({ kind: "array", items })),
    fc.tuple(tie("type"), tie("type"), fc.boolean()).map(([x, y, opt]): TypeIR => ({ kind: "tuple", elements: [{ type: x, optional: false }, { type: y, optional: opt }] })),
    fc.constantFrom<TypeIR>({ kind: "set", items: { kind: "string" } }, { kind: "map", key: { kind: "string" }, value: { kind: "number" } }, { kind: "ref", name: "Node" }, { kind: "ref", name: "Leaf" }),
  ),
  object: fc
    .uniqueArray(fc.record({ name: fc.constantFrom(...NAMES), type: tie("type"), optional: fc.boolean() }), { selector: (p) => p.name, maxLength: 3 })
    .chain((props) => fc.tuple(...props.map((p) => constraintsFor(p.type).map((constraints) => ({ ...p, ...(constraints ? { constraints } : {}) })))))
    .map((properties): TypeIR => ({ kind: "object", properties })),
  union: fc.uniqueArray(leaf, { minLength: 2, maxLength: 3, selector: (t) => JSON.stringify(t) }).map((members): TypeIR => ({ kind: "union", members })),
  tagged: fc.uniqueArray(fc.constantFrom("x", "y", "z"), { minLength: 2, maxLength: 3 }).chain((tags) =>
    fc.tuple(...tags.map(() => tie("type"))).map(
      (types): TypeIR => ({
        kind: "union",
        members: tags.map((tag, i) => ({ kind: "object", properties: [{ name: "kind", type: { kind: "literal", value: tag }, optional: false }, { name: "v", type: types[i]!, optional: false }] })),
        discriminator: { property: "kind", tags, mapping: {} },
      }),
    ),
  ),
}));

const signature: fc.Arbitrary<Signature> = fc
  .record({
    params: fc.uniqueArray(fc.record({ name: fc.constantFrom(...NAMES), type, optional: fc.boolean() }), { selector: (p) => p.name, minLength: 1, maxLength: 3 }),
    node: type,
    leafType: leaf,
  })
  .map(({ params, node, leafType }) => ({
    params,
    components: {
      // A recursive component: a list of values.
      Node: { name: "Node", type: { kind: "object", properties: [{ name: "value", type: node, optional: false }, { name: "next", type: { kind: "ref", name: "Node" }, optional: true }] } },
      Leaf: { name: "Leaf", type: leafType },
    },
  }));

/** Every type node of a signature, in a fixed order, with a way to replace it. */
function slots(sig: Signature): { get: () => TypeIR; set: (t: TypeIR) => void }[] {
  const out: { get: () => TypeIR; set: (t: TypeIR) => void }[] = [];
  const visit = (get: () => TypeIR, set: (t: TypeIR) => void): void => {
    out.push({ get, set });
    const t = get();
    if (t.kind === "array" || t.kind === "set") visit(() => t.items, (x) => (t.items = x));
    if (t.kind === "tuple") t.elements.forEach((e) => visit(() => e.type, (x) => (e.type = x)));
    if (t.kind === "object") t.properties.forEach((p) => visit(() => p.type, (x) => (p.type = x)));
    if (t.kind === "union" && !t.discriminator) t.members.forEach((m, i) => visit(() => m, (x) => (t.members[i] = x)));
    if (t.kind === "map") visit(() => t.value, (x) => (t.value = x));
  };
  sig.params.forEach((p) => visit(() => p.type, (x) => (p.type = x)));
  for (const c of Object.values(sig.components)) visit(() => c.type, (x) => (c.type = x));
  return out;
}

const REPLACEMENTS: TypeIR[] = [{ kind: "string" }, { kind: "number" }, { kind: "null" }, { kind: "literal", value: "a" }, { kind: "string", pattern: PATTERNS[1]! }, { kind: "date" }];

/** A union as the model makes it: nested unions flattened, no member twice, never of one member. */
function tidy(t: TypeIR): TypeIR {
  if (t.kind !== "union" || t.discriminator) return t;
  const members = t.members.flatMap((m) => (m.kind === "union" && !m.discriminator ? m.members : [m]));
  const unique = members.filter((m, i) => members.findIndex((n) => JSON.stringify(n) === JSON.stringify(m)) === i);
  return unique.length === 1 ? unique[0]! : { kind: "union", members: unique };
}

/** One change to a copy of `sig`, chosen by `op` at type node `at` (both taken modulo what exists). */
function mutate(sig: Signature, at: number, op: number): Signature {
  const copy = change(sig, at, op);
  for (const slot of slots(copy)) slot.set(tidy(slot.get()));
  return copy;
}

function change(sig: Signature, at: number, op: number): Signature {
  const copy = structuredClone(sig);
  if (op % 9 === 0 && copy.params.length > 1) {
    copy.params.splice(at % copy.params.length, 1);
    return copy;
  }
  if (op % 9 === 1) {
    copy.params.push({ name: "extra", type: REPLACEMENTS[at % REPLACEMENTS.length]!, optional: at % 2 === 0 });
    return copy;
  }
  if (op % 9 === 2) {
    const p = copy.params[at % copy.params.length]!;
    p.optional = !p.optional;
    return copy;
  }
  const all = slots(copy);
  const slot = all[at % all.length]!;
  const t = slot.get();
  switch (op % 9) {
    case 3:
      slot.set(REPLACEMENTS[op % REPLACEMENTS.length]!);
      break;
    case 4:
      slot.set(t.kind === "union" && !t.discriminator ? { kind: "union", members: t.members.slice(1).length > 1 ? t.members.slice(1) : [...t.members, { kind: "null" }] } : { kind: "union", members: [t, { kind: "null" }] });
      break;
    case 5:
      if (t.kind === "object" && t.properties.length > 0) t.properties.splice(op % t.properties.length, 1);
      else if (t.kind === "object") t.properties.push({ name: "e", type: { kind: "boolean" }, optional: op % 2 === 0 });
      else if (t.kind === "string") slot.set(t.pattern ? { kind: "string" } : { kind: "string", pattern: PATTERNS[op % PATTERNS.length]! });
      else if (t.kind === "literal") slot.set({ kind: "literal", value: t.value === "a" ? "b" : "a" });
      break;
    case 6:
      if (t.kind === "object") for (const p of t.properties) p.optional = !p.optional;
      else if (t.kind === "array" && ["string", "number", "boolean", "literal"].includes(t.items.kind)) slot.set({ kind: "set", items: t.items });
      else if (t.kind === "set") slot.set({ kind: "array", items: t.items });
      break;
    default: {
      // Move a constraint: tighter or looser.
      const owners = [...copy.params, ...all.flatMap((s) => (s.get().kind === "object" ? (s.get() as Extract<TypeIR, { kind: "object" }>).properties : []))];
      const owner = owners[at % owners.length];
      if (!owner) break;
      const c: Constraints = { ...(owner.constraints ?? {}) };
      const delta = op % 2 === 0 ? 1 : -1;
      if (owner.type.kind === "number") c.minimum = (c.minimum ?? 0) + delta;
      if (owner.type.kind === "string" && !owner.type.pattern) c.maxLength = Math.max(0, (c.maxLength ?? 4) + delta);
      owner.constraints = c;
    }
  }
  return copy;
}

/** The request schema as the services validate it: `$defs` beside the body, validator dialect. */
function requestOf(sig: Signature): Record<string, unknown> {
  const dialect = validatorDialect(documentKeys(sig.components));
  const names = referencedComponents([...sig.params.map((p) => p.type), ...Object.values(sig.components).map((c) => c.type)], sig.components);
  return { ...requestSchema(sig.params, dialect), $defs: componentSchemas(names, sig.components, dialect) };
}

const ajv = new Ajv2020({ allErrors: false, ownProperties: true, strict: true, strictTuples: false, allowUnionTypes: true, discriminator: true, validateFormats: false });
const compiled = new Map<string, (v: unknown) => boolean>();
function validator(schema: object): (v: unknown) => boolean {
  const key = JSON.stringify(schema);
  let v = compiled.get(key);
  if (!v) {
    const fn = ajv.compile(schema);
    v = (x) => fn(x) as boolean;
    compiled.set(key, v);
  }
  return v;
}

const pairs = fc.tuple(signature, fc.nat(), fc.nat(), fc.nat({ max: 7 })).map(([sig, at, op, times]) => {
  const old = requestOf(sig);
  // Most pairs differ by one or two changes; some are the same schema.
  let next = sig;
  for (let i = 0; i < times % 3; i++) next = mutate(next, at + i * 7, op + i * 5);
  const changed = requestOf(next);
  return { old, changed };
});

test("identical request schemas: no change at all", () => {
  fc.assert(
    fc.property(signature, (sig) => {
      const s = requestOf(sig);
      assert.deepEqual(diffSchemas(s, structuredClone(s), { oldRoot: s, newRoot: structuredClone(s) }), []);
    }),
    { seed: 20261201, numRuns: 200 },
  );
});

for (const direction of ["narrower", "wider"] as const) {
  test(`no ${direction} change found: every value ${direction === "narrower" ? "the previous schema admits passes the new one" : "the new schema admits passed the previous one"}`, () => {
    const seen = { pairs: 0, judgedSafe: 0, values: 0 };
    fc.assert(
      fc.property(
        pairs.chain(({ old, changed }) => {
          const [from, to] = direction === "narrower" ? [old, changed] : [changed, old];
          return fc.tuple(fc.constant({ old, changed, from, to }), fc.array(valuesOf(from, from), { minLength: 1, maxLength: 6 }));
        }),
        ([{ old, changed, from, to }, values]) => {
          seen.pairs++;
          const changes = diffSchemas(old, changed, { oldRoot: old, newRoot: changed });
          if (changes.some((c) => c[direction])) return;
          seen.judgedSafe++;
          const admitted = validator(from);
          const passes = validator(to);
          for (const v of values.filter((x) => admitted(x))) {
            seen.values++;
            assert.ok(passes(v), `judged without a ${direction} change, yet ${JSON.stringify(v)} passes ${JSON.stringify(from)} and not ${JSON.stringify(to)}; changes: ${JSON.stringify(changes)}`);
          }
        },
      ),
      { seed: direction === "narrower" ? 1201 : 1202, numRuns: 400 },
    );
    // Not vacuous: many pairs are judged safe, and many of their values are checked.
    assert.ok(seen.judgedSafe >= seen.pairs / 4, `judged safe ${seen.judgedSafe} of ${seen.pairs} pairs`);
    assert.ok(seen.values >= seen.judgedSafe, `values checked: ${seen.values}`);
  });
}
