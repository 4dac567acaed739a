// The output depends on the program only: not on whether TypeScript checked
// it first (which creates the checker's types in another order), nor on the
// build before it. Compared file by file (bundles included).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { build } from "../packages/tsc-micro/src/index.ts";
import { filesUnder } from "./helpers/emitted-checks.ts";
import { FIXTURES, tempOutDir } from "./helpers/paths.ts";

async function output(fixture: string, typeCheck: boolean): Promise<Record<string, string>> {
  const outDir = tempOutDir(`deterministic-${fixture}`);
  const result = await build({ project: path.join(FIXTURES, fixture, "tsconfig.json"), outDir, typeCheck });
  assert.ok(result.success, JSON.stringify(result.diagnostics));
  return Object.fromEntries(filesUnder(outDir).map((f) => [path.relative(outDir, f), readFileSync(f, "utf8")]));
}

describe("deterministic output", () => {
  for (const fixture of ["types-enums", "types-unions", "types-recursive", "types-special"]) {
    test(`${fixture}: the same files with and without the type check first`, async () => {
      const checked = await output(fixture, true);
      const unchecked = await output(fixture, false);
      assert.deepEqual(Object.keys(unchecked).sort(), Object.keys(checked).sort());
      for (const file of Object.keys(checked)) assert.equal(unchecked[file], checked[file], file);
    });
  }
});
