import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

/** What a build owns in its output folder; anything else there is the user's. */
const OWNED = new Set(["services", "entries", "clients", "deploy", "openapi.json"]);

/**
 * Why the output folder must not be used, or undefined when it is safe: it
 * must not be the project itself or hold anything a build did not make,
 * because a build replaces it whole.
 */
export function unsafeOutDir(outDir: string, rootDir: string): string | undefined {
  const rel = path.relative(outDir, rootDir);
  if (rel === "" || !rel.startsWith("..")) return `the output folder ${outDir} contains the project itself`;
  if (!existsSync(outDir)) return undefined;
  const foreign = readdirSync(outDir).filter((entry) => !OWNED.has(entry));
  return foreign.length > 0 ? `the output folder ${outDir} holds files tsc-micro did not make (${foreign.slice(0, 3).join(", ")})` : undefined;
}

/**
 * The sibling folder a build assembles its output in before it replaces
 * `outDir`. The bundle phase has esbuild write the bundles straight into it
 * (bundle/bundle.ts); {@link writeOutput} adds the other files and swaps it in.
 * Whoever makes it removes it when the build fails.
 */
export function stagingDir(outDir: string): string {
  return `${outDir}.tsc-micro-${process.pid}-${Date.now()}`;
}

/**
 * Phase 6: writes the whole output at once. Files go to a sibling folder first
 * (where the bundles already are), which then replaces the old output, so a
 * failed or interrupted build never leaves a half-written folder and stale
 * services do not linger.
 */
export function writeOutput(outDir: string, files: Readonly<Record<string, string | Uint8Array>>, staging = stagingDir(outDir)): void {
  const old = `${staging}.old`;
  try {
    for (const [rel, text] of Object.entries(files).sort(([a], [b]) => a.localeCompare(b))) {
      const file = path.join(staging, rel);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, text);
    }
    mkdirSync(staging, { recursive: true });
    if (existsSync(outDir)) renameSync(outDir, old);
    renameSync(staging, outDir);
  } finally {
    rmSync(staging, { recursive: true, force: true });
    rmSync(old, { recursive: true, force: true });
  }
}
