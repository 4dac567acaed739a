import assert from "node:assert/strict";
import { test } from "node:test";
import type { ComponentIR } from "../src/model/ir.ts";
import { clientDeclarations, clientModule, typesDeclarations } from "../src/emit/client.ts";
import { nodeCheck, param, route, service, typeCheck } from "./helpers/sample-plan.ts";

const components: Record<string, ComponentIR> = {
  Event: { name: "Event", type: { kind: "object", properties: [{ name: "at", type: { kind: "date" }, optional: false }] } },
};
// A route named ServiceClient, a parameter named $c and one named v: every generated name must avoid them.
const clashing = service("clash", [
  route("ServiceClient", [param("$c", { kind: "date" }), param("v", { kind: "ref", name: "Event" })], { kind: "bigint" }, { docs: { params: {}, description: "Ends */ early?" } }),
  route("plain", [param("x", { kind: "number" }, true)], null, { options: { timeoutMs: 250 } }),
], { components: ["Event"] });

test("clientModule: imports aliased and $c renamed around the user's names; the module parses", () => {
  const text = clientModule(clashing, components);
  assert.match(text, /^import \{ ServiceClient as ServiceClient_2 \} from "@tsc-micro\/runtime\/client";$/m);
  assert.match(text, /^import \* as \$c_2 from "@tsc-micro\/runtime\/codec";$/m);
  assert.match(text, /^export const clashService = new ServiceClient_2\(\{$/m);
  assert.match(text, /^export function ServiceClient\(\$c, v\) \{$/m);
  assert.match(text, /"\$c": \$c_2\.encodeDate\(\$c\)/);
  assert.match(text, /\{ timeoutMs: 250 \}/);
  assert.ok(!/^import \{ ServiceClient \}/m.test(text));
  nodeCheck(text);
});

test("clientModule: a route needing no codec imports no codec helpers", () => {
  const text = clientModule(service("simple", [route("add", [param("a", { kind: "string" })], { kind: "string" })]), {});
  assert.ok(!text.includes("@tsc-micro/runtime/codec"), text);
  assert.match(text, /^import \{ ServiceClient \} from/m);
  nodeCheck(text);
});

test("clientDeclarations: the aliased import and the signatures type-check against types.d.ts", () => {
  const dts = clientDeclarations(clashing);
  assert.match(dts, /import type \{ ServiceClient as ServiceClient_2 \}/);
  assert.match(dts, /export declare function ServiceClient\(\$c: Date, v: Event\): Promise<bigint>;/);
  assert.match(dts, /export declare function plain\(x\?: number\): Promise<void>;/);
  assert.match(dts, /Ends \*\\\/ early\?/);
  const files = { "clash.d.ts": dts, "types.d.ts": typesDeclarations(components, ["Event"]) };
  assert.deepEqual(typeCheck(files), []);
});

test("clientDeclarations: a user type named Date is aliased so the built-in stays reachable", () => {
  const withDate: Record<string, ComponentIR> = { Date: { name: "Date", type: { kind: "object", properties: [{ name: "day", type: { kind: "number" }, optional: false }] } } };
  const s = service("cal", [route("shift", [param("d", { kind: "ref", name: "Date" }), param("at", { kind: "date" })], { kind: "date" })], { components: ["Date"] });
  const dts = clientDeclarations(s);
  assert.match(dts, /import type \{ Date as Date_2 \} from "\.\/types\.js";/);
  assert.match(dts, /shift\(d: Date_2, at: Date\): Promise<Date>;/);
  assert.deepEqual(typeCheck({ "cal.d.ts": dts, "types.d.ts": typesDeclarations(withDate, ["Date"]) }), []);
});
