import assert from "node:assert/strict";
import { test } from "node:test";
import type { ComponentIR } from "../src/model/ir.ts";
import { errorRegistry, serverEntry } from "../src/emit/server-entry.ts";
import { nodeCheck, param, route, service } from "./helpers/sample-plan.ts";

const components: Record<string, ComponentIR> = {
  Event: { name: "Event", type: { kind: "object", properties: [{ name: "at", type: { kind: "date" }, optional: false }] } },
};

test("serverEntry: the program's names win; generated names ($startService, args, $c, v) step aside", () => {
  const s = service("clash", [
    route("args", [param("result", { kind: "ref", name: "Event" })], { kind: "date" }),
    route("$startService", [], null),
    route("v", [param("$c", { kind: "bigint" })], { kind: "string" }, { exportName: "default" }),
  ]);
  const text = serverEntry(s, components, true);
  assert.match(text, /^import "tsc-micro:errors\/clash";$/m);
  assert.match(text, /^import \{ startService as \$startService_2 \} from "@tsc-micro\/runtime\/server";$/m);
  assert.match(text, /^import \{ args \} from "\.\/src\/args\.ts";$/m);
  assert.match(text, /^import \{ default as v \} from "\.\/src\/v\.ts";$/m);
  assert.match(text, /invoke: \(args_2\) => args\(args_2\["result"\]\)/);
  assert.match(text, /returnsVoid: true,/);
  assert.match(text, /^import \* as \$c from "@tsc-micro\/runtime\/codec";$/m);
  assert.match(text, /^function decode\$Event\(v_2\) \{$/m);
  assert.match(text, /^await \$startService_2\(\{$/m);
  nodeCheck(text);
});

test("errorRegistry: each class imported once, under a free local name; the module parses", () => {
  const text = errorRegistry([
    { name: "registerErrorClasses", exportName: "registerErrorClasses", file: "src/a.ts" },
    { name: "NotFound", exportName: "default", file: "src/b.ts" },
    { name: "NotFound", exportName: "NotFound", file: "src/c.ts" },
  ]);
  assert.match(text, /^import \{ registerErrorClasses as registerErrorClasses_2 \} from "@tsc-micro\/runtime\/client";$/m);
  assert.equal(text.match(/NotFound \}? ?from|as NotFound/g)?.length, 1, text);
  assert.match(text, /^registerErrorClasses_2\(\{ registerErrorClasses, NotFound \}\);$/m);
  nodeCheck(text);
});

test("serverEntry: concurrency= reaches startService; without it the entry sets none", () => {
  const limited = { ...service("busy", [route("work", [], { kind: "number" })]), options: { concurrency: 3 } };
  const text = serverEntry(limited, components);
  assert.match(text, /^  concurrency: 3,$/m);
  nodeCheck(text);
  assert.doesNotMatch(serverEntry(service("free", [route("work", [], { kind: "number" })]), components), /concurrency/);
});

test("serverEntry: a service the plan proved context-free runs its functions outside the call context", () => {
  const leaf = service("leaf", [route("work", [], { kind: "number" })], { callContext: false });
  const text = serverEntry(leaf, components);
  assert.match(text, /^  callContext: false,$/m);
  nodeCheck(text);
  assert.doesNotMatch(serverEntry(service("caller", [route("work", [], { kind: "number" })], { dependencies: ["leaf"] }), components), /callContext/);
});
