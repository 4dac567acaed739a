// Breaking-change check fixtures: every fixtures/check-<case>/ holds the previous build's
// project (old/) and the new one (new/). The previous build's output (old/dist: its
// openapi.json and clients/, as `tsc-micro build` writes them, without bundles) is made
// from old/, then `check` runs on new/ against it, as a pipeline runs it against the
// deployed build's artifact; its report (text and --json) must match expected/ exactly.
// UPDATE_GOLDEN=1 rewrites expected/ on purpose.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { check } from "../packages/tsc-micro/src/index.ts";
import { checkExitCode, formatCheckJson, formatCheckReport } from "../packages/tsc-micro/src/check/report.ts";
import { FIXTURES } from "./helpers/paths.ts";
import { writePreviousBuild } from "./helpers/previous-build.ts";

const UPDATE = process.env.UPDATE_GOLDEN === "1";
const cases = readdirSync(FIXTURES)
  .filter((d) => d.startsWith("check-") && existsSync(path.join(FIXTURES, d, "old/tsconfig.json")))
  .sort();

describe("check fixtures", () => {
  assert.ok(cases.length > 0, "fixtures/check-* exist");
  for (const name of cases) {
    test(name, async () => {
      const dir = path.join(FIXTURES, name);
      await writePreviousBuild(path.join(dir, "old"));
      const result = await check({ cwd: dir, project: "new/tsconfig.json", against: "old/dist" });
      const text = formatCheckReport(result, { cwd: dir });
      const actual: Record<string, string> = {
        "report.txt": `exit ${checkExitCode(result)}\n${text.diagnostics}${text.diagnostics && text.summary ? "\n" : ""}${text.summary}`,
        "report.json": formatCheckJson(result, dir),
      };
      const expectedDir = path.join(dir, "expected");
      if (UPDATE) {
        rmSync(expectedDir, { recursive: true, force: true });
        mkdirSync(expectedDir, { recursive: true });
        for (const [file, body] of Object.entries(actual)) writeFileSync(path.join(expectedDir, file), body);
      }
      assert.ok(existsSync(expectedDir), `no expected report for ${name}; run with UPDATE_GOLDEN=1 to create it`);
      for (const [file, body] of Object.entries(actual)) assert.equal(body, readFileSync(path.join(expectedDir, file), "utf8"), `${name}/expected/${file}`);
    });
  }
});
