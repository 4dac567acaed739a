import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { defineConfig } from "../src/config/define-config.ts";
import type { TscMicroConfig } from "../src/config/define-config.ts";
import { loadConfig } from "../src/config/load-config.ts";
import { formatDiagnostics } from "../src/diagnostics/format.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
const scratch = path.resolve(here, "../../../.tmp");
const defineConfigSource = path.resolve(here, "../src/config/define-config.ts");
const made: string[] = [];
// The hooks below belong to this file's tests only, so the file can share a process
// (scripts/test-processes.mjs).
describe("config", () => {
  after(() => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });

  /** A fresh project folder holding `files` (path → contents). */
  function project(files: Record<string, string>): string {
    mkdirSync(scratch, { recursive: true });
    const dir = mkdtempSync(path.join(scratch, "config-"));
    made.push(dir);
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), text);
    }
    return dir;
  }

  /** Loads the config of a project made of `files`, expecting no diagnostics. */
  async function loadOk(files: Record<string, string>): Promise<TscMicroConfig> {
    const result = await loadConfig(project(files));
    assert.deepEqual(result.diagnostics, []);
    return result.config;
  }

  /** Messages of the diagnostics of a project whose config is `config` (a JS expression). */
  async function problems(config: string, files: Record<string, string> = {}): Promise<{ message: string; hint?: string }[]> {
    const result = await loadConfig(project({ "tsc-micro.config.ts": `export default ${config};\n`, ...files }));
    assert.deepEqual(result.config, {}, "an invalid config is not used");
    for (const d of result.diagnostics) {
      assert.equal(d.code, 5002);
      assert.equal(d.category, "error");
      assert.equal(d.file, "tsc-micro.config.ts");
    }
    return result.diagnostics.map((d) => ({ message: d.message, ...(d.hint ? { hint: d.hint } : {}) }));
  }

  describe("finding and loading", () => {
    for (const ext of ["ts", "mts", "js", "mjs"]) {
      test(`loads tsc-micro.config.${ext}`, async () => {
        const dir = project({ [`tsc-micro.config.${ext}`]: `export default { mode: "monolith", monolithName: "${ext}" };\n` });
        const result = await loadConfig(dir);
        assert.deepEqual(result, { config: { mode: "monolith", monolithName: ext }, file: `tsc-micro.config.${ext}`, diagnostics: [] });
      });
    }

    test("a relative project folder is resolved from the working directory", async () => {
      const dir = project({ "tsc-micro.config.ts": `export default { mode: "monolith" };\n` });
      assert.deepEqual(await loadConfig(path.relative(process.cwd(), dir)), { config: { mode: "monolith" }, file: "tsc-micro.config.ts", diagnostics: [] });
    });

    test("a CommonJS .js config's module.exports is its default export", async () => {
      assert.deepEqual(await loadOk({ "tsc-micro.config.js": `module.exports = { allowAny: true };\n` }), { allowAny: true });
    });

    test("TypeScript syntax loads: types, annotations, satisfies, as const, a relative import of defineConfig", async () => {
      const dir = project({});
      const importPath = path.relative(dir, defineConfigSource).split(path.sep).join("/");
      writeFileSync(
        path.join(dir, "tsc-micro.config.ts"),
        [
          `import { defineConfig, type TscMicroConfig } from "${importPath}";`,
          `type Mode = NonNullable<TscMicroConfig["mode"]>;`,
          `interface Limits { timeout: string }`,
          `const mode: Mode = "split";`,
          `const limits = { timeout: "2s" } satisfies Limits;`,
          `const groups = [["is-even", "is-odd"]] as const;`,
          `function replicas<T extends number>(n: T): T { return n; }`,
          `export default defineConfig({ mode, colocate: groups.map((g) => [...g]), services: { "is-even": { ...limits, replicas: replicas(3)! } } });`,
        ].join("\n"),
      );
      const result = await loadConfig(dir);
      assert.deepEqual(result.diagnostics, []);
      assert.deepEqual(result.config, { mode: "split", colocate: [["is-even", "is-odd"]], services: { "is-even": { timeout: "2s", replicas: 3 } } });
    });

    test("a default export that is a function, sync or async, is called", async () => {
      assert.deepEqual(await loadOk({ "tsc-micro.config.ts": `export default () => ({ outDir: "out" });\n` }), { outDir: "out" });
      assert.deepEqual(
        await loadOk({ "tsc-micro.config.mts": `export default async function config(): Promise<object> { await new Promise((r) => setTimeout(r, 1)); return { baseImage: "node:22-slim" }; }\n` }),
        { baseImage: "node:22-slim" },
      );
    });

    test("no config file: empty config, no diagnostics", async () => {
      assert.deepEqual(await loadConfig(project({ "tsconfig.json": "{}" })), { config: {}, diagnostics: [] });
    });

    test("an explicit file is loaded relative to the project; a missing one is an error", async () => {
      const dir = project({ "config/micro.ts": `export default { mode: "monolith" };\n`, "tsc-micro.config.ts": `export default { mode: "split" };\n` });
      assert.deepEqual(await loadConfig(dir, { file: "config/micro.ts" }), { config: { mode: "monolith" }, file: "config/micro.ts", diagnostics: [] });
      const missing = await loadConfig(dir, { file: "nope.config.ts" });
      assert.deepEqual(missing.config, {});
      assert.deepEqual(
        missing.diagnostics.map((d) => [d.code, d.file, d.message]),
        [[5002, "nope.config.ts", "Config file 'nope.config.ts' does not exist."]],
      );
    });

    test("two config files: the first in order wins, with a warning naming the other", async () => {
      const result = await loadConfig(project({ "tsc-micro.config.ts": `export default { mode: "monolith" };\n`, "tsc-micro.config.mjs": `export default { mode: "split" };\n` }));
      assert.deepEqual(result.config, { mode: "monolith" });
      assert.equal(result.file, "tsc-micro.config.ts");
      assert.deepEqual(
        result.diagnostics.map((d) => [d.category, d.code, d.file, d.message]),
        [["warning", 5002, "tsc-micro.config.mjs", "Ignoring tsc-micro.config.mjs: tsc-micro.config.ts is loaded instead."]],
      );
    });

    test("edits are seen on the next load (no stale module cache)", async () => {
      const dir = project({ "tsc-micro.config.ts": `export default { mode: "monolith" };\n` });
      assert.deepEqual((await loadConfig(dir)).config, { mode: "monolith" });
      writeFileSync(path.join(dir, "tsc-micro.config.ts"), `export default { mode: "split" };\n`);
      assert.deepEqual((await loadConfig(dir)).config, { mode: "split" });
    });
  });

  describe("files that do not load", () => {
    test("a syntax error is one diagnostic naming the file, with its position and no absolute path", async () => {
      const dir = project({ "tsc-micro.config.ts": `export default {\n  mode: "split",,\n};\n` });
      const result = await loadConfig(dir);
      assert.deepEqual(result.config, {});
      assert.equal(result.file, "tsc-micro.config.ts");
      assert.equal(result.diagnostics.length, 1);
      const [d] = result.diagnostics;
      assert.equal(d!.code, 5002);
      assert.equal(d!.file, "tsc-micro.config.ts");
      assert.match(d!.message, /^Could not load tsc-micro\.config\.ts: /);
      assert.equal(d!.line, 2);
      assert.ok(d!.column! > 1);
      assert.ok(!d!.message.includes(dir), d!.message);
      const printed = formatDiagnostics(result.diagnostics);
      assert.match(printed, /^tsc-micro\.config\.ts\(2,\d+\): error TSM5002: Could not load/);
    });

    test("a config that throws, or whose function throws, is one diagnostic each", async () => {
      for (const source of [`throw new Error("no network here");\nexport default {};\n`, `export default () => { throw new Error("no network here"); };\n`]) {
        const { config, diagnostics } = await loadConfig(project({ "tsc-micro.config.ts": source }));
        assert.deepEqual(config, {});
        assert.equal(diagnostics.length, 1, source);
        assert.equal(diagnostics[0]!.file, "tsc-micro.config.ts");
        assert.match(diagnostics[0]!.message, /no network here/);
      }
    });

    test("no default export is a diagnostic", async () => {
      const { diagnostics } = await loadConfig(project({ "tsc-micro.config.ts": `export const config = { mode: "split" };\n` }));
      assert.deepEqual(
        diagnostics.map((d) => [d.code, d.file, d.message]),
        [[5002, "tsc-micro.config.ts", "tsc-micro.config.ts has no default export."]],
      );
    });
  });

  describe("validation", () => {
    test("every bad field is reported at once, by path, with a hint", async () => {
      const found = await problems(`{
        mode: "micro",
        allowAny: "yes",
        typeCheck: "off",
        monolithName: "My App",
        services: { "is-even": { timeout: "2 seconds", retry: 11 }, Bad_Name: {}, "is-odd": { tags: ["ok", "not ok"], replicas: 1.5 } },
        colocate: [["is-even", "IsOdd"], []],
        entry: ["", 3],
      }`);
      const messages = found.map((p) => p.message).sort();
      assert.deepEqual(messages, [
        `allowAny: must be boolean (got "yes").`,
        `colocate[0][1]: must match pattern "^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$" (got "IsOdd").`,
        `colocate[1]: must NOT have fewer than 1 items (got an array).`,
        `entry[0]: must NOT have fewer than 1 characters (got "").`,
        `entry[1]: must be string (got 3).`,
        `mode: must be one of "split", "monolith" (got "micro").`,
        `monolithName: must match pattern "^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$" (got "My App").`,
        `services.Bad_Name: the key must match pattern "^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$".`,
        `services.is-even.retry: must be <= 10 (got 11).`,
        `services.is-even.timeout: must match pattern "^\\d+(\\.\\d+)?(ms|s|m)$" (got "2 seconds").`,
        `services.is-odd.replicas: must be integer or string (got 1.5).`,
        `services.is-odd.tags[1]: must match pattern "^[A-Za-z0-9][-A-Za-z0-9_.]*$" (got "not ok").`,
        `typeCheck: must be boolean (got "off").`,
      ]);
      assert.ok(found.every((p) => p.hint), "each problem has a hint");
      const timeout = found.find((p) => p.message.startsWith("services.is-even.timeout"));
      assert.match(timeout!.hint!, /"500ms", "2s" or "1m"/);
      const key = found.find((p) => p.message.startsWith("services.Bad_Name"));
      assert.match(key!.hint!, /DNS label/);
    });

    test("a default export that is not an object", async () => {
      for (const [value, got] of [["42", "42"], ["[]", "an array"], ["null", "null"]]) {
        const found = await problems(value!);
        assert.deepEqual(found.map((p) => p.message), [`config: must be object (got ${got}).`]);
        assert.match(found[0]!.hint!, /^The default export of tsc-micro\.config\.ts is an object/);
      }
    });

    test("unknown keys suggest the closest known one", async () => {
      const found = await problems(`{ servces: {}, outdir: "out", "base-image": "node", "out dir": "x", services: { "is-even": { retries: 3, timeoutMs: 5 } }, zzz: 1 }`);
      const byMessage = Object.fromEntries(found.map((p) => [p.message, p.hint!.split("?")[0]]));
      assert.deepEqual(byMessage, {
        "servces: unknown key.": "Did you mean 'services'",
        "outdir: unknown key.": "Did you mean 'outDir'",
        "base-image: unknown key.": "Did you mean 'baseImage'",
        '["out dir"]: unknown key.': "Did you mean 'outDir'",
        "services.is-even.retries: unknown key.": "Did you mean 'retry'",
        "services.is-even.timeoutMs: unknown key.": "Did you mean 'timeout'",
        "zzz: unknown key.": "Known keys: mode, colocate, services, entry, monolithName, outDir, baseImage, allowAny, typeCheck, deploy.",
      });
      assert.match(found.find((p) => p.message.startsWith("services.is-even.retries"))!.hint!, /Known keys of services\.is-even: retry, timeout, idempotent, concurrency, replicas, tags\./);
    });

    test("a service in two colocate groups, or twice in one, is an error", async () => {
      assert.deepEqual(
        (await problems(`{ colocate: [["is-even", "is-odd"], ["fib", "is-odd"], ["fib"], ["a", "b", "a"]] }`)).map((p) => p.message),
        [
          "colocate[1][1]: service 'is-odd' is already colocated at colocate[0][1].",
          "colocate[2][0]: service 'fib' is already colocated at colocate[1][0].",
          "colocate[3][2]: service 'a' is already colocated at colocate[3][0].",
        ],
      );
    });

    test("entry files must exist, relative to the project", async () => {
      const files = { "src/main.ts": "console.log(1);\n", "src/cli/index.ts": "" };
      assert.deepEqual((await loadConfig(project({ "tsc-micro.config.ts": `export default { entry: ["src/main.ts", "src/cli/index.ts"] };\n`, ...files }))).diagnostics, []);
      assert.deepEqual((await problems(`{ entry: "src/mian.ts" }`, files)).map((p) => p.message), [`entry: "src/mian.ts" does not exist.`]);
      assert.deepEqual(
        (await problems(`{ entry: ["src/main.ts", "src/cli", "src/gone.ts"] }`, files)).map((p) => p.message),
        [`entry[1]: "src/cli" is not a file.`, `entry[2]: "src/gone.ts" does not exist.`],
      );
    });

    test("timeouts are 1ms to 1h in whole milliseconds, as on the tag", async () => {
      assert.deepEqual(
        (await problems(`{ services: { a: { timeout: "0ms" }, b: { timeout: "61m" }, c: { timeout: "1.5ms" }, d: { timeout: "2h" }, ok: { timeout: "1.5s" } } }`)).map((p) => p.message),
        [
          `services.d.timeout: must match pattern "^\\d+(\\.\\d+)?(ms|s|m)$" (got "2h").`,
          `services.a.timeout: must be from 1ms to 1h, in whole milliseconds (got "0ms").`,
          `services.b.timeout: must be from 1ms to 1h, in whole milliseconds (got "61m").`,
          `services.c.timeout: must be from 1ms to 1h, in whole milliseconds (got "1.5ms").`,
        ],
      );
    });

    test("idempotent is true or false, with the same advice as on the tag", async () => {
      assert.deepEqual(await problems(`{ services: { a: { idempotent: "yes" }, b: { idempotent: 1 } } }`), [
        { message: `services.a.idempotent: must be boolean (got "yes").`, hint: "idempotent is true or false." },
        { message: `services.b.idempotent: must be boolean (got 1).`, hint: "idempotent is true or false." },
      ]);
    });

    test("a good config round-trips unchanged", async () => {
      const config: TscMicroConfig = {
        mode: "split",
        colocate: [["is-even", "is-odd"], ["fib"]],
        services: { "is-even": { retry: 3, timeout: "500ms", idempotent: true, concurrency: 16, replicas: 2, tags: ["math", "core.v1"] }, fib: { timeout: "1m", idempotent: false } },
        entry: "src/main.ts",
        monolithName: "app",
        outDir: "build",
        baseImage: "node:22-slim",
        allowAny: false,
        typeCheck: false,
      };
      const dir = project({ "tsc-micro.config.ts": `export default ${JSON.stringify(config)};\n`, "src/main.ts": "" });
      assert.deepEqual(await loadConfig(dir), { config, file: "tsc-micro.config.ts", diagnostics: [] });
    });
  });

  test("defineConfig returns its argument", () => {
    const config = { mode: "monolith" as const };
    assert.equal(defineConfig(config), config);
  });
});
