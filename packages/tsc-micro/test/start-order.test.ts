import assert from "node:assert/strict";
import { test } from "node:test";
import { startOrder } from "../src/plan/start-order.ts";

const s = (name: string, ...dependencies: string[]) => ({ name, dependencies });
const names = (r: ReturnType<typeof startOrder>) => r.order.map((x) => x.name);

test("dependencies start first; otherwise the given order is kept", () => {
  assert.deepEqual(names(startOrder([s("web", "api", "auth"), s("api", "db"), s("db"), s("auth", "db"), s("lone")])), ["db", "api", "auth", "web", "lone"]);
  assert.deepEqual(startOrder([]), { order: [] });
});

test("unknown dependencies (not built here) are ignored", () => {
  assert.deepEqual(names(startOrder([s("a", "elsewhere")])), ["a"]);
});

test("a cycle gives no order and names the cycle, closed", () => {
  assert.deepEqual(startOrder([s("x", "a"), s("a", "b"), s("b", "c"), s("c", "a")]), { order: [], cycle: ["a", "b", "c", "a"] });
  assert.deepEqual(startOrder([s("self", "self")]), { order: [], cycle: ["self", "self"] });
});
