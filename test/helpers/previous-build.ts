// The output of a previous build as `check --against` reads it: a project's dist/ without
// its bundles (openapi.json, clients/, services/*/openapi.json…), made from the plan and
// emit phases alone (esbuild adds nothing check reads).
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { emit } from "../../packages/tsc-micro/src/index.ts";
import { planProject } from "../../packages/tsc-micro/src/plan-project.ts";

/** Writes the build output of the project in `project` (its tsconfig.json) into `outDir`; returns `outDir`. */
export async function writePreviousBuild(project: string, outDir = path.join(project, "dist")): Promise<string> {
  const planned = await planProject({ project: path.join(project, "tsconfig.json"), typeCheck: false });
  assert.ok(planned.ok, `the previous build plans: ${JSON.stringify(planned.diagnostics)}`);
  const emitted = emit(planned.plan, (file) => readFileSync(path.join(project, file), "utf8"));
  rmSync(outDir, { recursive: true, force: true });
  for (const [file, text] of Object.entries(emitted.files)) {
    mkdirSync(path.dirname(path.join(outDir, file)), { recursive: true });
    writeFileSync(path.join(outDir, file), text);
  }
  return outDir;
}
