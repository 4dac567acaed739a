// Validator modules written from an earlier service's Ajv code (emit/validator-reuse.ts) must be
// exactly what compiling them would have written: compared with a compiler that compiles every module.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { ComponentIR, PropertyIR, TypeIR } from "../src/model/ir.ts";
import type { ServicePlan } from "../src/plan/types.ts";
import { ValidatorCompiler } from "../src/emit/validators.ts";
import { nodeCheck, param, route, service } from "./helpers/sample-plan.ts";

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

/** Services of a few kinds, each kind many times, names of every length (digits shift as names grow). */
function services(): ServicePlan[] {
  const kinds: ((n: string) => ServicePlan)[] = [
    (n) => service(n, [route(n, [param("customer", ref("Customer")), param("factor", num)], ref("Address"))]),
    (n) => service(n, [route(n, [param("tree", ref("Tree"))], null)]),
    (n) => service(n, [route(n, [param("s", ref("schema1")), param("shape", ref("Shape"))], { kind: "array", items: ref("Shape") })]),
    // Two routes in one service, as colocation makes them.
    (n) => service(n, [route(`${n}A`, [param("a", str)], num), route(`${n}B`, [param("b", ref("Address"), true)], str)]),
    // Content that spells a route's $id (the first of this kind's): reuse must not mistake it for the $id.
    (n) => service(n, [route(n, [param("tag", { kind: "literal", value: "request:svc28" })], str)]),
    // Non-ASCII names get `_Request`-style export names.
    (n) => service(n, [route(`π${n}`, [param("x", num)], num)]),
  ];
  return Array.from({ length: 60 }, (_, i) => kinds[i % kinds.length]!(`svc${i * 7}`));
}

test("validator modules reused from an earlier service equal the ones Ajv compiles, byte for byte", () => {
  const all = services();
  const reusing = new ValidatorCompiler(components);
  const compiling = new ValidatorCompiler(components, { reuse: false });
  for (const s of all) assert.equal(reusing.module(s), compiling.module(s), `service ${s.name}`);
  assert.equal(compiling.reused, 0);
  // Each of the 6 kinds (10 services each) compiles at least twice, the samples its template is made
  // from; at most three times when the first two disagree (the kind that spells svc28's $id does).
  assert.ok(reusing.reused >= 6 * (10 - 3) && reusing.reused <= 6 * (10 - 2), `reused ${reusing.reused} of ${all.length}`);
  nodeCheck(reusing.module(service("late", [route("late", [param("customer", ref("Customer")), param("factor", num)], ref("Address"))])));
});

test("validator modules: a service written again is the same text, as Ajv would write it from the functions it compiled", () => {
  const all = services().slice(0, 24);
  const reusing = new ValidatorCompiler(components);
  const compiling = new ValidatorCompiler(components, { reuse: false });
  for (const s of [...all, ...all]) assert.equal(reusing.module(s), compiling.module(s), `service ${s.name}`);
});
