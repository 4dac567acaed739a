import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";

/** A built service as the output folder holds it: `services/<name>/index.mjs` and the shared chunks it loads. */
export interface ServiceFiles {
  name: string;
  /** Relative to the output folder, under `services/` (BuiltService.chunks). */
  chunks: readonly string[];
}

/**
 * A short hash of everything the service runs: its bundle and its chunks,
 * path and bytes. Equal hashes, equal code (tsc-micro dev restarts a service
 * only when its hash changed).
 */
export function serviceHash(outDir: string, service: ServiceFiles): string {
  const hash = createHash("sha256");
  for (const rel of [`services/${service.name}/index.mjs`, ...service.chunks]) hash.update(`${rel}\0`).update(readFileSync(path.join(outDir, rel)));
  return hash.digest("hex").slice(0, 12);
}

/**
 * Copies a service's bundle into `<into>/<name>-<hash>/index.mjs` and its
 * chunks beside it at the same relative paths as in dist/services
 * (`<into>/_chunks/…`), so the bundle's `../_chunks/…` imports resolve, and
 * returns the bundle's path. A copy named by content is never rewritten, so a
 * running process keeps its files while a newer copy is staged; chunks are
 * named by content too, so copies of every version share one chunk folder.
 */
export function stageService(outDir: string, service: ServiceFiles, into: string): { file: string; hash: string } {
  const hash = serviceHash(outDir, service);
  const dir = path.join(into, `${service.name}-${hash}`);
  mkdirSync(dir, { recursive: true });
  for (const chunk of service.chunks) {
    if (!chunk.startsWith("services/")) throw new Error(`tsc-micro bug: chunk ${chunk} is outside services/`);
    const to = path.join(into, chunk.slice("services/".length));
    if (existsSync(to)) continue;
    mkdirSync(path.dirname(to), { recursive: true });
    copyFileSync(path.join(outDir, chunk), to);
  }
  copyFileSync(path.join(outDir, "services", service.name, "index.mjs"), path.join(dir, "index.mjs"));
  return { file: path.join(dir, "index.mjs"), hash };
}
