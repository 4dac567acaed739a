import { mkdirSync, mkdtempSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const FIXTURES = path.join(REPO, "fixtures");
export const EXAMPLES = path.join(REPO, "examples");

/**
 * Where tests put their folders: `.tmp/runs/<run>` under scripts/run-tests.mjs, which removes it
 * when the run ends (TSC_MICRO_KEEP_TMP=1 keeps it), else `.tmp`. Inside the repository, on
 * purpose: generated clients import @tsc-micro/runtime, which resolves from here.
 */
export const TMP = testTmp();

function testTmp(): string {
  const run = process.env.TSC_MICRO_TEST_RUN;
  const dir = run && /^[\w-]+$/.test(run) ? path.join(REPO, ".tmp", "runs", run) : path.join(REPO, ".tmp");
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * A fresh folder for build output inside the repository (ignored by git):
 * the generated clients import @tsc-micro/runtime, which resolves from here.
 */
export function tempOutDir(label: string): string {
  return path.join(mkdtempSync(path.join(TMP, `${label}-`)), "dist");
}
