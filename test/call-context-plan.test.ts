// Which services keep the call context (AsyncLocalStorage, whose promise hooks cost every promise of
// the process): those that call another service, and every service of a program that names
// @tsc-micro/runtime (a leaf reading callSignal()). The others run their functions without it.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { cachedBuild } from "./helpers/build-cache.ts";
import { REPO, TMP } from "./helpers/paths.ts";

test("parity: is-odd calls is-even and keeps the context; the leaves do without", async () => {
  const result = await cachedBuild({ project: path.join(REPO, "examples/parity/tsconfig.json") }, "call-context-plan");
  assert.ok(result.success);
  const kept = Object.fromEntries(result.plan!.services.map((s) => [s.name, s.callContext]));
  assert.deepEqual(kept, { factorial: false, fib: false, "is-even": false, "is-odd": true });
});

test("a program that imports @tsc-micro/runtime keeps the context in every service, leaves included", async () => {
  const dir = mkdtempSync(path.join(TMP, "call-context-plan-"));
  mkdirSync(path.join(dir, "src"));
  writeFileSync(
    path.join(dir, "src", "work.ts"),
    `import { callTimeRemaining } from "@tsc-micro/runtime";
/** @microservice */
export function budget(): number { return callTimeRemaining() ?? -1; }
/** @microservice */
export function plain(x: number): number { return x + 1; }
`,
  );
  writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true }, include: ["src"] }));
  const result = await cachedBuild({ project: path.join(dir, "tsconfig.json"), typeCheck: false }, "call-context-plan-runtime");
  assert.ok(result.success, JSON.stringify(result.diagnostics));
  assert.deepEqual(result.plan!.services.map((s) => [s.name, s.callContext]), [["budget", true], ["plain", true]]);
});
