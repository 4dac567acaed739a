/**
 * Which bundles an edit of one function's body can change: those that hold
 * that function's code. Read from the bundles themselves: esbuild writes a
 * `// svc:<bundle>:<file>` line above the code of each program file it kept
 * (plugin.ts puts a bundle's program files in namespace `svc:<bundle>`; not
 * minified, the line is always there), and a bundle holding the function
 * spells its name (esbuild keeps names, numbering one on a clash). A bundle
 * whose code of the file never had the function (tree-shaken: another
 * function of the same file) cannot change by an edit inside it.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

/** Per service, the program files its bundle holds code of. */
export type BundleIndex = Map<string, Set<string>>;

const FILE_LINE = /^\/\/ svc:([^:\n]+):(.+)$/gm;

/** The program files a bundle's text holds code of (its own namespace only). */
export function filesIn(text: string, bundle: string): Set<string> {
  const files = new Set<string>();
  for (const m of text.matchAll(FILE_LINE)) if (m[1] === bundle) files.add(m[2]!);
  return files;
}

/** Reads every service's bundle once: what each holds. */
export function indexBundles(outDir: string, services: readonly string[]): BundleIndex {
  return new Map(services.map((s) => [s, filesIn(readFileSync(path.join(outDir, "services", s, "index.mjs"), "utf8"), s)]));
}

/**
 * Whether `text` may hold the code of a function named `name` (declared by a
 * top-level `name`): it spells the name, maybe numbered. Without a name (an
 * anonymous default export), any bundle holding the file may.
 */
export function mayHold(text: string, name: string | undefined): boolean {
  if (name === undefined) return true;
  const escaped = name.replace(/[$]/g, "\\$");
  return new RegExp(`(?<![\\w$])${escaped}\\d*(?![\\w$])`).test(text);
}

/**
 * The services whose bundles may hold the edited function, and whether a
 * stand-alone bundle (an entry point, dist/clients/errors.js: `alone`, with
 * their bundle names) may.
 */
export function affectedBundles(
  outDir: string,
  index: BundleIndex,
  file: string,
  name: string | undefined,
  alone: readonly { bundle: string; output: string }[],
): { services: string[]; alone: boolean } {
  const services = [...index].filter(([service, files]) => files.has(file) && mayHold(readFileSync(path.join(outDir, "services", service, "index.mjs"), "utf8"), name)).map(([s]) => s);
  const inAlone = alone.some(function holds({ bundle, output }) {
    const text = readFileSync(path.join(outDir, output), "utf8");
    return filesIn(text, bundle).has(file) && mayHold(text, name);
  });
  return { services, alone: inAlone };
}
