// The validators of a build are compiled as one Ajv document, each function a module of its own
// that services re-export (emit/validators.ts, emit/validator-modules.ts). Held to a reference:
// each route's schema compiled on its own by Ajv with the same options, its components under its
// own `$defs` (what every service's module held before). Both must answer every value alike,
// errors included (paths, schema paths, messages, params).
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import type { ComponentIR, PropertyIR, TypeIR } from "../src/model/ir.ts";
import { referencedComponents } from "../src/model/ir.ts";
import type { ServicePlan } from "../src/plan/types.ts";
import { componentSchemas, requestSchema, toJsonSchema, validatorDialect } from "../src/emit/json-schema.ts";
import { documentKeys } from "../src/emit/openapi.ts";
import { ValidatorCompiler, validatorAjv, validatorExports } from "../src/emit/validators.ts";
import { param, route, service } from "./helpers/sample-plan.ts";

const str: TypeIR = { kind: "string" };
const num: TypeIR = { kind: "number" };
const ref = (name: string): TypeIR => ({ kind: "ref", name });
const prop = (name: string, type: TypeIR, extra: Partial<PropertyIR> = {}): PropertyIR => ({ name, type, optional: false, ...extra });
const object = (...properties: PropertyIR[]): TypeIR => ({ kind: "object", properties });

const components: Record<string, ComponentIR> = {
  Address: { name: "Address", type: object(prop("street", str), prop("zip", str, { constraints: { pattern: "^[0-9]{4}$" } })) },
  Customer: { name: "Customer", type: object(prop("email", str, { constraints: { format: "email" } }), prop("address", ref("Address")), prop("since", { kind: "date" }, { optional: true })) },
  // Text that reads like Ajv's own names (validate0, schema12, func0) must stay as the program wrote it.
  schema1: { name: "schema1", type: object(prop("validate0", num), prop("func0", str), prop("schema12", { kind: "literal", value: "validate3" })) },
  Tree: { name: "Tree", type: object(prop("value", num), prop("children", { kind: "array", items: ref("Tree") })) },
  Shape: {
    name: "Shape",
    type: {
      kind: "union",
      members: [object(prop("kind", { kind: "literal", value: "circle" }), prop("r", num)), object(prop("kind", { kind: "literal", value: "square" }), prop("side", num))],
      discriminator: { property: "kind", tags: ["circle", "square"], mapping: {} },
    },
  },
};

const kinds: ((n: string) => ServicePlan)[] = [
  (n) => service(n, [route(n, [param("customer", ref("Customer")), param("factor", num)], ref("Address"))]),
  (n) => service(n, [route(n, [param("tree", ref("Tree"))], null)]),
  (n) => service(n, [route(n, [param("s", ref("schema1")), param("shape", ref("Shape"))], { kind: "array", items: ref("Shape") })]),
  // Two routes in one service, as colocation makes them.
  (n) => service(n, [route(`${n}A`, [param("a", str)], num), route(`${n}B`, [param("b", ref("Address"), true)], str)]),
  // A component named as the result: a bare `$ref` result keeps its own function and paths.
  (n) => service(n, [route(n, [param("tag", { kind: "literal", value: "request:svc28" })], ref("Tree"))]),
  // Non-ASCII names get `_Request`-style export names.
  (n) => service(n, [route(`π${n}`, [param("x", num)], num)]),
];

/** `count` services, the kinds in turn, names of every length. */
function services(count: number): ServicePlan[] {
  return Array.from({ length: count }, (_, i) => kinds[i % kinds.length]!(`svc${i * 7}`));
}

const address = { street: "Main 1", zip: "1234" };
const customer = { email: "a@example.com", address, since: "2024-02-29T12:00:00.000Z" };
const tree = { value: 1, children: [{ value: 2, children: [] }] };
/** Values every validator is asked about: valid for some, wrong in one or many places for others. */
const probes: unknown[] = [
  { customer, factor: 2 },
  { customer: { ...customer, email: "not-an-email", address: { street: 7, zip: "12" } }, factor: "2", extra: true },
  { customer: null },
  {},
  null,
  [],
  "text",
  3,
  address,
  { street: "x" },
  { zip: 1234, street: "x", more: 1 },
  { tree },
  { tree: { value: "1", children: [{ value: 2, children: [{ children: 0 }] }] } },
  tree,
  { s: { validate0: 1, func0: "f", schema12: "validate3" }, shape: { kind: "circle", r: 1 } },
  { s: { validate0: "1", func0: "f", schema12: "validate0" }, shape: { kind: "square", r: 1 } },
  { s: { validate0: 1, func0: "f", schema12: "validate3" }, shape: { kind: "triangle" } },
  [{ kind: "circle", r: 1 }, { kind: "square", side: 2 }],
  [{ kind: "circle", r: "1" }, { kind: "square" }, {}],
  { a: "x" },
  { a: 1 },
  { b: address },
  { b: { street: "x", zip: "abc" } },
  { tag: "request:svc28" },
  { tag: "request:svc29" },
  { x: 1 },
  { x: "1", y: 2 },
];

type Validate = ((value: unknown) => boolean) & { errors?: unknown };

/** The build's validator modules written as files (generated specifiers turned into relative paths) and imported: each service's exports. */
async function importModules(compiler: ValidatorCompiler, all: readonly ServicePlan[], dir: string): Promise<Record<string, Record<string, Validate>>> {
  // Ajv's code loads its runtime helpers (formats, ucs2length) with `require`, as the bundles' banner provides.
  const shim = `import { createRequire } from "node:module";\nconst require = createRequire(${JSON.stringify(import.meta.url)});\n`;
  const relative = (text: string, prefix: string) => text.replace(/"tsc-micro:validator\/([A-Za-z0-9_$]+)"/g, (_m, fn: string) => JSON.stringify(`${prefix}${fn}.mjs`));
  mkdirSync(path.join(dir, "validator"));
  for (const [specifier, text] of Object.entries(compiler.functionModules())) {
    writeFileSync(path.join(dir, "validator", `${specifier.slice("tsc-micro:validator/".length)}.mjs`), shim + relative(text, "./"));
  }
  const out: Record<string, Record<string, Validate>> = {};
  for (const s of all) {
    const file = path.join(dir, `service-${s.name}.mjs`);
    writeFileSync(file, relative(compiler.module(s), "./validator/"));
    out[s.name] = (await import(pathToFileURL(file).href)) as Record<string, Validate>;
  }
  return out;
}

/** Each route's validators compiled on their own, the components they use under their `$defs`. */
function referenceValidators(s: ServicePlan): Record<string, Validate> {
  const ajv = validatorAjv();
  const dialect = validatorDialect(documentKeys(components));
  const compile = (root: object, types: readonly TypeIR[]): Validate => {
    const refs = referencedComponents(types, components);
    return ajv.compile({ ...root, ...(refs.length > 0 ? { $defs: componentSchemas(refs, components, dialect) } : {}) }) as Validate;
  };
  const names = validatorExports(s);
  const out: Record<string, Validate> = {};
  s.routes.forEach((r, i) => {
    out[names[i]!.request] = compile(requestSchema(r.params, dialect), r.params.map((p) => p.type));
    if (r.result) out[names[i]!.result!] = compile(toJsonSchema(r.result, dialect), [r.result]);
  });
  return out;
}

function answer(validate: Validate, value: unknown): unknown {
  const valid = validate(value);
  return { valid, errors: valid ? null : JSON.parse(JSON.stringify(validate.errors)) };
}

test("validator modules answer every value as each route's schema compiled on its own does, errors included", async () => {
  const all = services(12);
  const compiler = new ValidatorCompiler(components, all);
  const dir = mkdtempSync(path.join(tmpdir(), "tsc-micro-validators-"));
  try {
    const modules = await importModules(compiler, all, dir);
    let valid = 0;
    let invalid = 0;
    for (const s of all) {
      const reference = referenceValidators(s);
      assert.deepEqual(Object.keys(modules[s.name]!).sort(), Object.keys(reference).sort(), `exports of ${s.name}`);
      for (const [name, validate] of Object.entries(reference)) {
        for (const value of probes) {
          const expected = answer(validate, value);
          assert.deepEqual(answer(modules[s.name]![name]!, value), expected, `${s.name}.${name}(${JSON.stringify(value)})`);
          if ((expected as { valid: boolean }).valid) valid++;
          else invalid++;
        }
      }
    }
    // Every kind has values it takes and values it refuses: the comparison is not vacuous.
    assert.ok(valid >= 2 * kinds.length && invalid >= 10 * kinds.length, `${valid} valid, ${invalid} invalid answers`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("validator modules: each function once however many services use it, and the same text on every build", () => {
  const few = new ValidatorCompiler(components, services(kinds.length));
  const many = new ValidatorCompiler(components, services(10 * kinds.length));
  const again = new ValidatorCompiler(components, services(10 * kinds.length));
  // Equal schemas share one function: ten services of each kind need what one of each needs.
  assert.deepEqual(Object.keys(many.functionModules()), Object.keys(few.functionModules()));
  assert.deepEqual(again.functionModules(), many.functionModules());
  for (const s of services(10 * kinds.length)) assert.equal(again.module(s), many.module(s), `service ${s.name}`);
  // Services of one kind re-export the same functions, under their own export names.
  const exported = (c: ValidatorCompiler, s: ServicePlan) => [...c.module(s).matchAll(/export \{ (\w+)/g)].map((m) => m[1]);
  const [first, second] = [services(10 * kinds.length)[0]!, services(10 * kinds.length)[kinds.length]!];
  assert.deepEqual(exported(many, second), exported(many, first));
});
