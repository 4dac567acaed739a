import { mkdirSync, mkdtempSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const FIXTURES = path.join(REPO, "fixtures");
export const EXAMPLES = path.join(REPO, "examples");

/**
 * A fresh folder for build output inside the repository (ignored by git):
 * the generated clients import @tsc-micro/runtime, which resolves from here.
 */
export function tempOutDir(label: string): string {
  const base = path.join(REPO, ".tmp");
  mkdirSync(base, { recursive: true });
  return path.join(mkdtempSync(path.join(base, `${label}-`)), "dist");
}
