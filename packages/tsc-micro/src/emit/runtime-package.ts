import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

/** The package that generated bundles embed and generated clients import. */
export const RUNTIME_PACKAGE = "@tsc-micro/runtime";

let installed: string | undefined;

/**
 * Version of the @tsc-micro/runtime installed beside this tsc-micro: the one the
 * bundler resolves (from this package's folder) and embeds in every service, so
 * the one generated clients are made for. Read from its package.json once, never
 * hard-coded, so a release of the runtime cannot disagree with what clients ask for.
 */
export function runtimeVersion(): string {
  installed ??= readRuntimeVersion();
  return installed;
}

/** The range a consuming project installs: compatible with the runtime the build used (`^0.1.0`). */
export function runtimeRange(version: string = runtimeVersion()): string {
  return `^${version}`;
}

/** The one command a project that imports the generated clients runs. */
export function runtimeInstallCommand(version: string = runtimeVersion()): string {
  return `npm install ${RUNTIME_PACKAGE}@${runtimeRange(version)}`;
}

// Resolves the runtime's main module and walks up to its package.json: works whether
// or not the installed runtime exports `./package.json`, and through workspace links.
function readRuntimeVersion(): string {
  const require = createRequire(import.meta.url);
  let dir = path.dirname(require.resolve(RUNTIME_PACKAGE));
  for (;;) {
    const file = path.join(dir, "package.json");
    try {
      const pkg = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string };
      if (pkg.name === RUNTIME_PACKAGE && pkg.version) return pkg.version;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the package.json of ${RUNTIME_PACKAGE} above ${require.resolve(RUNTIME_PACKAGE)}`);
    dir = parent;
  }
}
