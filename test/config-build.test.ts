// tsc-micro.config.ts drives a build: colocation, monolith mode, service options, entry points,
// and explicit build options win over it.
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { build, formatDiagnostics } from "../packages/tsc-micro/src/index.ts";
import { EXAMPLES, REPO, TMP } from "./helpers/paths.ts";

function parityWithConfig(config: string): string {
  const dir = mkdtempSync(path.join(TMP, "config-build-"));
  cpSync(path.join(EXAMPLES, "parity/src"), path.join(dir, "src"), { recursive: true });
  cpSync(path.join(EXAMPLES, "parity/tsconfig.json"), path.join(dir, "tsconfig.json"));
  writeFileSync(path.join(dir, "tsc-micro.config.ts"), config);
  return dir;
}

test("colocate, service options and an entry point from the config", async () => {
  const dir = parityWithConfig(`import { defineConfig } from "tsc-micro";
export default defineConfig({
  colocate: [["is-even", "is-odd"]],
  services: { fib: { timeout: "5s", retry: 4, idempotent: true, replicas: 3, tags: ["math"] } },
  entry: "src/main.ts",
});
`);
  const result = await build({ project: path.join(dir, "tsconfig.json") });
  assert.ok(result.success, formatDiagnostics(result.diagnostics));
  assert.deepEqual(result.services.map((s) => [s.name, s.routes, s.dependencies]), [
    ["factorial", ["POST /factorial"], []],
    ["fib", ["POST /fib"], []],
    ["is-even", ["POST /isEven", "POST /isOdd"], []],
  ]);
  const fib = result.plan!.services.find((s) => s.name === "fib")!;
  assert.deepEqual(fib.options, { replicas: 3, tags: ["math"] });
  assert.equal(fib.routes[0]!.options.timeoutMs, 5000);
  assert.deepEqual([fib.routes[0]!.options.retry, fib.routes[0]!.options.idempotent], [4, true]);
  assert.match(readFileSync(path.join(result.outDir, "clients/fib.js"), "utf8"), /\.call\("fib", \{ .* \}, \{ timeoutMs: 5000, retry: 4, idempotent: true \}\)/);
  // isOdd now lives in service is-even: the entry calls three services.
  const mainBytes = statSync(path.join(result.outDir, "entries/main/index.mjs")).size;
  assert.deepEqual(result.entries, [{ name: "main", file: "src/main.ts", dependencies: ["factorial", "fib", "is-even"], bundleBytes: mainBytes }]);
});

test("monolith mode from the config, and build options win over it", async () => {
  const dir = parityWithConfig(`export default { mode: "monolith", monolithName: "parity" };\n`);
  const mono = await build({ project: path.join(dir, "tsconfig.json") });
  assert.ok(mono.success, formatDiagnostics(mono.diagnostics));
  assert.deepEqual(mono.services.map((s) => [s.name, s.routes.length]), [["parity", 4]]);
  const split = await build({ project: path.join(dir, "tsconfig.json"), mode: "split", outDir: path.join(dir, "split") });
  assert.deepEqual(split.services.map((s) => s.name), ["factorial", "fib", "is-even", "is-odd"]);
});

test("a bad config is a diagnostic, and nothing is built", async () => {
  const dir = parityWithConfig(`export default { colocate: [["is-even", "nope"]], services: { fib: { timeout: "soon" } } };\n`);
  const result = await build({ project: path.join(dir, "tsconfig.json") });
  assert.equal(result.success, false);
  const text = formatDiagnostics(result.diagnostics);
  assert.match(text, /TSM5002/);
  assert.match(text, /services\.fib\.timeout/);
});
