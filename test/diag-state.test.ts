// diag-state-*: state and arguments a split cannot share, and casts at a
// network boundary. The shop of issue 8 (a Map filled by one service and read
// by another; a remote callee changing its argument) fails with exactly those
// two errors, where they are; colocating it or building a monolith is clean;
// the warnings of the aliasing and cast cases do not fail the build and are
// printed by the CLI the way tsc prints diagnostics.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { build } from "../packages/tsc-micro/src/index.ts";
import type { BuildOptions, Diagnostic } from "../packages/tsc-micro/src/index.ts";
import { main } from "../packages/tsc-micro/src/cli/cli.ts";
import { FIXTURES, REPO, tempOutDir, TMP } from "./helpers/paths.ts";

const SHOP = path.join(FIXTURES, "diag-state-shop");
const SHOP_SERVICES = ["orders", "lookup", "billing", "checkout"];

/** 1-based line and column of `mark` inside the one occurrence of `at` in a fixture file. */
function locate(file: string, at: string, mark = at): { line: number; column: number } {
  const text = readFileSync(file, "utf8");
  const start = text.indexOf(at);
  assert.ok(start >= 0 && text.indexOf(at, start + 1) < 0, `'${at}' occurs once in ${file}`);
  const before = text.slice(0, start + at.indexOf(mark)).split("\n");
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

const brief = (d: Diagnostic) => `${d.file}(${d.line},${d.column}) ${d.category} TSM${d.code}`;

describe("diag-state-shop: the shop of issue 8", () => {
  test("the split build fails with the shared Map (TSM3101) at its declaration and the changed argument (TSM3102) at the call, and nothing else", async () => {
    const result = await build({ project: path.join(SHOP, "tsconfig.json"), outDir: tempOutDir("diag-state-shop") });
    assert.equal(result.success, false);
    const file = path.join(SHOP, "src/shop.ts");
    const orders = locate(file, "const orders = new Map", "orders");
    const call = locate(file, "markPaid(order);");
    assert.deepEqual(result.diagnostics.map(brief), [
      `src/shop.ts(${orders.line},${orders.column}) error TSM3101`,
      `src/shop.ts(${call.line},${call.column}) error TSM3102`,
    ]);
    const [shared, argument] = result.diagnostics;
    assert.match(shared!.message, /'orders'.*service 'orders': createOrder changes it \(orders\.set\(id, order\).*service 'lookup': findOrder reads it/);
    assert.match(shared!.hint!, /service=.*colocate.*store.*@perProcess/);
    assert.match(argument!.message, /'markPaid' changes its parameter 'order'.*'order' is read afterwards \(order\.id/);
    assert.match(argument!.hint!, /Return the changed value/);
  });

  const ways: [string, Partial<BuildOptions>][] = [
    ["monolith mode", { mode: "monolith" }],
    ["colocated by configuration", { colocate: [SHOP_SERVICES] }],
  ];
  for (const [way, options] of ways) {
    test(`${way}: the build is clean`, async () => {
      const result = await build({ project: path.join(SHOP, "tsconfig.json"), outDir: tempOutDir("diag-state-shop-ok"), ...options });
      assert.deepEqual(result.diagnostics.map(brief), []);
      assert.equal(result.success, true);
    });
  }
});

describe("diag-state warnings", () => {
  test("a build that fails while bundling still reports the warnings found before", async () => {
    const dir = mkdtempSync(path.join(TMP, "diag-state-bundle-fail-"));
    writeFileSync(path.join(dir, "tsconfig.json"), readFileSync(path.join(FIXTURES, "diag-state-cast/tsconfig.json")));
    mkdirSync(path.join(dir, "src"));
    writeFileSync(
      path.join(dir, "src/index.ts"),
      'import { thing } from "./missing.js";\n/** @microservice service=a */\nexport function a(x: number): number {\n  return x + thing;\n}\n/** @microservice service=b */\nexport function b(raw: string): number {\n  return a(raw as unknown as number);\n}\n',
    );
    // Declared, so the program type-checks; only the bundler finds there is no module.
    writeFileSync(path.join(dir, "src/missing.d.ts"), "export declare const thing: number;\n");
    const result = await build({ project: path.join(dir, "tsconfig.json"), outDir: path.join(dir, "dist") });
    assert.equal(result.success, false);
    // One TSM6001 per bundle that imports the missing module; the warning once.
    assert.deepEqual([...new Set(result.diagnostics.map((d) => `${d.category} TSM${d.code}`))].sort(), ["error TSM6001", "warning TSM3104"]);
    assert.equal(result.diagnostics.filter((d) => d.code === 3104).length, 1);
  });

  test("the CLI prints warnings like tsc ('warning TSM3104') and the build still succeeds", async () => {
    let stderr = "";
    let stdout = "";
    const code = await main(["build", "-p", path.join(FIXTURES, "diag-state-cast"), "--outDir", tempOutDir("diag-state-cli")], {
      stdout: (t) => void (stdout += t),
      stderr: (t) => void (stderr += t),
      cwd: REPO,
      isTTY: false,
    });
    assert.equal(code, 0, stderr);
    const lines = stderr.split("\n").filter((l) => / TSM\d{4}: /.test(l));
    const cast = locate(path.join(FIXTURES, "diag-state-cast/src/payments.ts"), "JSON.parse(raw) as Payment");
    const bang = locate(path.join(FIXTURES, "diag-state-cast/src/payments.ts"), "note!)");
    assert.deepEqual(
      lines.map((l) => l.replace(/: '.*$/, "")),
      [`fixtures/diag-state-cast/src/payments.ts(${cast.line},${cast.column}): warning TSM3104`, `fixtures/diag-state-cast/src/payments.ts(${bang.line},${bang.column}): warning TSM3104`],
    );
    assert.doesNotMatch(stderr, /Found \d+ error/, "warnings are not counted as errors");
    assert.match(stdout, /Built 2 services/);
  });
});
