// `tsc-micro check` and `tsc-micro inspect` on the command line (main() with its output
// captured): exit 0 with a summary when nothing breaks callers of the previous build, 1 on a
// breaking change (or when there is nothing to compare), 2 for a bad command line; --json.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import path from "node:path";
import { before, describe, test } from "node:test";
import { main } from "../packages/tsc-micro/src/cli/cli.ts";
import { TMP } from "./helpers/paths.ts";
import { writePreviousBuild } from "./helpers/previous-build.ts";

const TSCONFIG = {
  compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, skipLibCheck: true, types: [] },
  include: ["src"],
};

function project(label: string, source: string): string {
  const dir = mkdtempSync(path.join(TMP, `check-cli-${label}-`));
  mkdirSync(path.join(dir, "src"));
  writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(TSCONFIG));
  writeFileSync(path.join(dir, "src/greet.ts"), source);
  return dir;
}

async function run(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, { cwd, isTTY: false, env: {}, stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}

const OLD = `/** @microservice service=greeter */\nexport function greet(name: string): string {\n  return "hi " + name;\n}\n`;
const COMPATIBLE = `/** @microservice service=greeter */\nexport function greet(name: string, punctuation?: string): string {\n  return "hi " + name + (punctuation ?? "");\n}\n`;
const BREAKING = `/** @microservice service=greeter */\nexport function greet(name: string, times: number): string {\n  return ("hi " + name).repeat(times);\n}\n`;

let previous: string;
// The hooks below belong to this file's tests only, so the file can share a process
// (scripts/test-processes.mjs).
describe("check-cli", () => {
  before(async () => {
    previous = await writePreviousBuild(project("old", OLD), path.join(mkdtempSync(path.join(TMP, "check-cli-previous-")), "dist"));
  });

  describe("tsc-micro check", () => {
    test("no breaking change: exit 0, the compatible changes and the deploy order on stdout", async () => {
      const dir = project("compatible", COMPATIBLE);
      const r = await run(["check", "--against", previous], dir);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, "");
      assert.match(r.stdout, /^Compatible with callers built before this change \(1\):\n  src\/greet\.ts\(2,37\): Argument 'punctuation' of 'greet' was added, optional/);
      assert.match(r.stdout, /deploy greeter before the services and programs that call it\./);
      assert.match(r.stdout, /No breaking change \(1 compatible\): 1 service, 1 function checked against .*dist\/openapi\.json\.\n$/);
    });

    test("a breaking change: exit 1, a tsc-style error at the new argument", async () => {
      const dir = project("breaking", BREAKING);
      const r = await run(["check", "-p", "tsconfig.json", "--against", path.join(previous, "openapi.json")], dir);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /^src\/greet\.ts\(2,37\): error TSM7001: Argument 'times' of 'greet' was added, required: callers built before this change do not send it\.\n/);
      assert.match(r.stderr, /\n {2}hint: Make it optional/);
      assert.match(r.stderr, /\nFound 1 error\.\n$/);
      assert.match(r.stdout, /^1 breaking change, 0 compatible: 1 service, 1 function checked against /);
    });

    test("--json: one document on stdout, same exit codes", async () => {
      const breaking = await run(["check", "--against", previous, "--json"], project("json-breaking", BREAKING));
      assert.equal(breaking.code, 1);
      assert.equal(breaking.stderr, "");
      const report = JSON.parse(breaking.stdout) as { checked: boolean; compatible: boolean; changes: { function: string; path: string; kind: string; breaking: boolean; location: { file: string; line: number } }[] };
      assert.equal(report.checked, true);
      assert.equal(report.compatible, false);
      assert.deepEqual(
        report.changes.map((c) => [c.function, c.path, c.kind, c.breaking, c.location.file, c.location.line]),
        [["greet", "times", "required-argument-added", true, "src/greet.ts", 2]],
      );
      const compatible = await run(["check", "--against", previous, "--json"], project("json-compatible", COMPATIBLE));
      assert.equal(compatible.code, 0);
      assert.equal((JSON.parse(compatible.stdout) as { compatible: boolean }).compatible, true);
    });

    test("nothing to compare with: exit 1 and why", async () => {
      const dir = project("missing", OLD);
      const r = await run(["check", "--against", "no-such-dist"], dir);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /^error TSM7002: Cannot find the previous build '.*no-such-dist'\.\n {2}hint: Pass the openapi\.json of the build that is deployed/);
      assert.equal(r.stdout, "");
    });

    test("a bad command line: exit 2", async () => {
      const dir = project("bad", OLD);
      const cases: [string[], RegExp][] = [
        [["check"], /^error: 'tsc-micro check' needs --against/],
        [["build", "--against", previous], /^error: option '--against' belongs to 'tsc-micro check'/],
        [["build", "--json"], /^error: option '--json' belongs to 'tsc-micro check' and 'tsc-micro inspect'/],
        [["inspect", "--outDir", "out"], /^error: option '--outDir' belongs to 'tsc-micro build': 'inspect' writes nothing/],
        [["check", "--against"], /^error: /],
        [["check", "--againts", previous], /^error: unknown option '--againts'\nDid you mean '--against'\?/],
      ];
      for (const [args, message] of cases) {
        const r = await run(args, dir);
        assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
        assert.match(r.stderr, message, args.join(" "));
      }
    });
  });

  describe("tsc-micro inspect", () => {
    test("prints the plan (exit 0), --json the same as data", async () => {
      const dir = project("inspect", OLD);
      const text = await run(["inspect"], dir);
      assert.equal(text.code, 0, text.stderr);
      assert.equal(
        text.stdout,
        [
          `${path.basename(dir)} 0.0.0: 1 service, 0 entry points (the plan of a build; nothing written)`,
          "",
          "service greeter  http://greeter:8080 (TSC_MICRO_GREETER_URL)",
          "  functions",
          "    src/greet.ts(2,17)  greet(name: string): string",
          "  calls",
          "    none",
          "  made async",
          "    none",
          "",
        ].join("\n"),
      );
      const json = await run(["inspect", "--json"], dir);
      assert.equal(json.code, 0);
      const view = JSON.parse(json.stdout) as { services: { name: string; functions: { signature: string; request: unknown }[] }[] };
      assert.deepEqual(view.services.map((s) => [s.name, s.functions.map((f) => f.signature)]), [["greeter", ["greet(name: string): string"]]]);
      assert.deepEqual(view.services[0]!.functions[0]!.request, { type: "object", properties: { name: { type: "string" } }, required: ["name"], additionalProperties: false });
    });

    test("a project with errors: exit 1 with the diagnostics, no plan", async () => {
      const dir = project("inspect-bad", `/** @microservice retries=3 */\nexport function greet(name: string): string {\n  return name;\n}\n`);
      const r = await run(["inspect"], dir);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /^src\/greet\.ts\(1,19\): error TSM1003: Unknown @microservice option 'retries'\./);
      assert.equal(r.stdout, "");
    });
  });
});
