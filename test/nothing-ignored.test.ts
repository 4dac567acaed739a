// Nothing silently ignored (issue 9): a tagged file the tsconfig leaves out is an error naming
// the file, and options the config file sets for a service the build does not have point at the key.
import assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { build } from "../packages/tsc-micro/src/index.ts";
import { EXAMPLES, REPO, TMP } from "./helpers/paths.ts";

function parityCopy(): string {
  const dir = mkdtempSync(path.join(TMP, "nothing-ignored-"));
  cpSync(path.join(EXAMPLES, "parity/src"), path.join(dir, "src"), { recursive: true });
  cpSync(path.join(EXAMPLES, "parity/tsconfig.json"), path.join(dir, "tsconfig.json"));
  return dir;
}

test("a tagged function in a .ts file the tsconfig does not include is an error at the tag", async () => {
  const dir = parityCopy();
  mkdirSync(path.join(dir, "scripts"));
  writeFileSync(path.join(dir, "scripts/extra.ts"), "// extra\n/** @microservice */\nexport function extra(): number {\n  return 1;\n}\n");
  // Not looked at: declarations, node_modules, and files without the tag.
  writeFileSync(path.join(dir, "scripts/types.d.ts"), "/** @microservice */\nexport declare function typed(): number;\n");
  writeFileSync(path.join(dir, "scripts/plain.ts"), "export const plain = 1;\n");
  mkdirSync(path.join(dir, "node_modules/dep"), { recursive: true });
  writeFileSync(path.join(dir, "node_modules/dep/index.ts"), "/** @microservice */\nexport function dep(): number {\n  return 1;\n}\n");
  const result = await build({ project: path.join(dir, "tsconfig.json"), outDir: path.join(dir, "dist") });
  assert.equal(result.success, false);
  const found = result.diagnostics.filter((d) => d.code === 1009);
  assert.deepEqual(
    found.map((d) => [d.category, d.file, d.line, d.column, d.message]),
    [["error", "scripts/extra.ts", 2, 5, "'extra' in scripts/extra.ts is tagged @microservice, but tsconfig.json does not include scripts/extra.ts: no service is built for it."]],
  );
  assert.match(found[0]!.hint!, /Add "scripts" to "include" in tsconfig\.json/);
});

test("options for a service the build does not have point at the key in the config file", async () => {
  const dir = parityCopy();
  writeFileSync(
    path.join(dir, "tsc-micro.config.ts"),
    `import { defineConfig } from "tsc-micro";\nexport default defineConfig({\n  services: {\n    fib: { replicas: 2 },\n    "fibonacci": { replicas: 3 },\n  },\n});\n`,
  );
  const result = await build({ project: path.join(dir, "tsconfig.json"), outDir: path.join(dir, "dist") });
  assert.equal(result.success, false);
  const found = result.diagnostics.filter((d) => d.message.includes("sets options for service"));
  assert.deepEqual(
    found.map((d) => [d.file, d.line, d.column, d.length]),
    [["tsc-micro.config.ts", 5, 5, 11]],
  );
});
