// The build type-checks the program as `tsc --noEmit` does: TypeScript's own
// errors (TS…) fail it, listed before tsc-micro's findings, unless the type
// check is switched off (`typeCheck: false`, `--no-type-check`).
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { build, formatDiagnostics } from "../packages/tsc-micro/src/index.ts";
import type { Diagnostic } from "../packages/tsc-micro/src/index.ts";
import { REPO, TMP } from "./helpers/paths.ts";

const COMPILER_OPTIONS = { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, skipLibCheck: true, types: [] };

/** A project in the repository's ignored .tmp/, with a tsconfig of `compilerOptions`. */
function project(label: string, files: Record<string, string>, compilerOptions: object = COMPILER_OPTIONS): string {
  const dir = mkdtempSync(path.join(TMP, `type-check-${label}-`));
  writeFileSync(path.join(dir, "tsconfig.json"), `${JSON.stringify({ compilerOptions, include: ["src"] }, null, 2)}\n`);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

const codes = (ds: readonly Diagnostic[]) => ds.map((d) => `${d.source === "ts" ? "TS" : "TSM"}${d.code}`);

const INCLUDES = "/** @microservice */\nexport function has(xs: number[], x: number) {\n  return xs.includes(x);\n}\n";

describe("the build type-checks the program", () => {
  test("a missing lib is reported as TypeScript's TS2550, first, and the 'any' it causes points at it", async () => {
    const dir = project("lib", { "src/index.ts": INCLUDES }, { ...COMPILER_OPTIONS, target: "ES2015", lib: ["es2015"] });
    const outDir = path.join(dir, "out");
    const result = await build({ project: path.join(dir, "tsconfig.json"), outDir });
    assert.equal(result.success, false);
    assert.deepEqual(codes(result.diagnostics), ["TS2550", "TSM2001"], formatDiagnostics(result.diagnostics));
    const [ts2550, any] = result.diagnostics;
    assert.deepEqual([ts2550!.file, ts2550!.line, ts2550!.column, ts2550!.category], ["src/index.ts", 3, 13, "error"]);
    assert.match(ts2550!.message, /Property 'includes' does not exist on type 'number\[\]'.*'es2016' or later/);
    assert.match(any!.hint!, /^TypeScript reports TS2550 at src\/index\.ts\(3,13\)/);
    assert.match(formatDiagnostics(result.diagnostics), /^src\/index\.ts\(3,13\): error TS2550: /);
    assert.equal(existsSync(outDir), false, "a failed build writes nothing");
  });

  test("with the lib it needs, the same program builds", async () => {
    const dir = project("lib-ok", { "src/index.ts": INCLUDES }, { ...COMPILER_OPTIONS, lib: ["es2022"] });
    const result = await build({ project: path.join(dir, "tsconfig.json"), outDir: path.join(dir, "out") });
    assert.ok(result.success, formatDiagnostics(result.diagnostics));
    assert.deepEqual(result.diagnostics, []);
  });

  test("options TypeScript 6 rejects (TS5101, TS5107) are warnings at their key in tsconfig.json: a project whose own tsc is 5.x still builds", async () => {
    const options = { ...COMPILER_OPTIONS, target: "ES5", module: "UMD", moduleResolution: "node", baseUrl: ".", downlevelIteration: true };
    const dir = project("deprecated", { "src/index.ts": "/** @microservice */\nexport function f(x: number): number {\n  return x;\n}\n" }, options);
    const result = await build({ project: path.join(dir, "tsconfig.json"), outDir: path.join(dir, "out") });
    assert.equal(result.success, true, formatDiagnostics(result.diagnostics));
    assert.ok(result.diagnostics.every((d) => d.category === "warning" && /ignoreDeprecations/.test(d.hint ?? "")), formatDiagnostics(result.diagnostics));
    const found = result.diagnostics.map((d) => [d.source, d.code, d.file, d.line, /^Option '([^']+)'/.exec(d.message)?.[1]]);
    const at = (key: string) => 2 + Object.keys(options).indexOf(key) + 1; // `{`, `"compilerOptions": {`, then one key a line
    for (const [option, code, key] of [["target=ES5", 5107, "target"], ["module=UMD", 5107, "module"], ["baseUrl", 5101, "baseUrl"], ["downlevelIteration", 5101, "downlevelIteration"]] as const) {
      assert.ok(found.some(([source, c, file, line, o]) => source === "ts" && c === code && file === "tsconfig.json" && line === at(key) && o === option), `${option}: ${JSON.stringify(found)}`);
    }
  });

  test("typeCheck: false (build option or config key) skips it", async () => {
    const source = "const s: string = 1;\n/** @microservice */\nexport function f(x: number): number {\n  return x + missing;\n}\n";
    const dir = project("off", { "src/index.ts": source });
    const checked = await build({ project: path.join(dir, "tsconfig.json"), outDir: path.join(dir, "out") });
    assert.deepEqual(codes(checked.diagnostics), ["TS2322", "TS2304"]);
    const option = await build({ project: path.join(dir, "tsconfig.json"), outDir: path.join(dir, "out"), typeCheck: false });
    assert.ok(option.success, formatDiagnostics(option.diagnostics));
    writeFileSync(path.join(dir, "tsc-micro.config.ts"), "export default { typeCheck: false };\n");
    const config = await build({ project: path.join(dir, "tsconfig.json"), outDir: path.join(dir, "out2") });
    assert.ok(config.success, formatDiagnostics(config.diagnostics));
    const explicit = await build({ project: path.join(dir, "tsconfig.json"), outDir: path.join(dir, "out3"), typeCheck: true });
    assert.deepEqual(codes(explicit.diagnostics), ["TS2322", "TS2304"], "the build option wins over the config");
  });
});
