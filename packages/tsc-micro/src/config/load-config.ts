/**
 * Finds and loads `tsc-micro.config.{ts,mts,js,mjs}`. TypeScript configs are
 * loaded with jiti (https://github.com/unjs/jiti), the loader Nuxt, Tailwind
 * and ESLint use for theirs, so users need no build step and no loader flag.
 * Problems are returned as diagnostics, never thrown.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createJiti } from "jiti";
import { DiagnosticCode, error } from "../diagnostics/diagnostic.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { TscMicroConfig } from "./define-config.js";
import { validateConfig } from "./validate-config.js";

/** File names looked for in the project folder, in this order of preference. */
export const CONFIG_FILE_NAMES = ["tsc-micro.config.ts", "tsc-micro.config.mts", "tsc-micro.config.js", "tsc-micro.config.mjs"] as const;

// One loader for all configs. `moduleCache: false`: a config is read again on
// every load (watch mode, tests), never served stale from require.cache.
// `interopDefault: false`: keep the module as written, so a module without a
// default export can be told apart from one with (interop would alias them).
// jiti's default on-disk transform cache stays on; it is keyed by content.
const jiti = createJiti(import.meta.url, { moduleCache: false, interopDefault: false });

/** Options for {@link loadConfig}. */
export interface LoadConfigOptions {
  /** Config file to load, relative to `rootDir` (or absolute); it must exist. Default: the first of {@link CONFIG_FILE_NAMES} found in `rootDir`, if any. */
  file?: string;
}

/** What {@link loadConfig} found. */
export interface LoadConfigResult {
  /** The validated config; `{}` when there is no config file or it has errors. */
  config: TscMicroConfig;
  /** Project-relative POSIX path of the config file loaded, when there is one. */
  file?: string;
  /** Every problem found, all at once: code ConfigInvalid, `file` set to the config's path; errors, plus a warning when several config files are present. */
  diagnostics: Diagnostic[];
}

/**
 * Loads the project's config: finds the file, imports it (TypeScript
 * included), takes its default export (an object, or a function returning one,
 * possibly async) and validates it. No config file is not a problem: the
 * result is then `{ config: {}, diagnostics: [] }`.
 *
 * @param rootDir - the project folder (where the tsconfig.json is).
 */
export async function loadConfig(rootDir: string, options: LoadConfigOptions = {}): Promise<LoadConfigResult> {
  // jiti takes a relative id as a package name: hand it absolute paths only.
  rootDir = path.resolve(rootDir);
  const found = findConfigFile(rootDir, options.file);
  if (!found.path) return { config: {}, diagnostics: found.diagnostics };
  const file = projectPath(rootDir, found.path);
  const loaded = await importDefault(found.path, file);
  const diagnostics = [...found.diagnostics, ...loaded.diagnostics];
  if (loaded.diagnostics.length > 0) return { config: {}, file, diagnostics };
  const problems = validateConfig(loaded.value, { rootDir, file });
  diagnostics.push(...problems);
  // A half-valid config is not used: the build stops on these errors anyway,
  // and nothing downstream should have to cope with ill-typed settings.
  return { config: problems.length > 0 ? {} : (loaded.value as TscMicroConfig), file, diagnostics };
}

/** The config file to load (absolute), with a problem when it was asked for and is missing, or when several are present. */
function findConfigFile(rootDir: string, file: string | undefined): { path?: string; diagnostics: Diagnostic[] } {
  if (file !== undefined) {
    const asked = path.resolve(rootDir, file);
    if (existsSync(asked)) return { path: asked, diagnostics: [] };
    return {
      diagnostics: [
        { ...error(DiagnosticCode.ConfigInvalid, `Config file '${projectPath(rootDir, asked)}' does not exist.`, undefined, "Config paths are relative to the project folder."), file: projectPath(rootDir, asked) },
      ],
    };
  }
  const present = CONFIG_FILE_NAMES.filter((name) => existsSync(path.join(rootDir, name)));
  if (present.length === 0) return { diagnostics: [] };
  const [chosen, ...ignored] = present as [string, ...string[]];
  // Loading one and silently ignoring another that the user may be editing
  // is confusing; say which one wins. A warning: the build can still go on.
  const diagnostics: Diagnostic[] = ignored.map((name) => ({
    code: DiagnosticCode.ConfigInvalid,
    category: "warning",
    file: name,
    message: `Ignoring ${name}: ${chosen} is loaded instead.`,
    hint: "Keep one config file.",
  }));
  return { path: path.join(rootDir, chosen), diagnostics };
}

/** Imports the file with jiti and returns its default export, calling it when it is a function. */
async function importDefault(absolute: string, file: string): Promise<{ value?: unknown; diagnostics: Diagnostic[] }> {
  const fail = (message: string, hint: string, at?: { line: number; column: number }) => ({
    diagnostics: [{ ...error(DiagnosticCode.ConfigInvalid, message, undefined, hint), file, ...(at ? locate(absolute, at) : {}) }],
  });
  let mod: unknown;
  try {
    mod = await jiti.import(absolute);
  } catch (e) {
    const { message, at } = describeError(e, absolute, file);
    return fail(`Could not load ${file}: ${message}`, "Fix the error in the config file; it is loaded like any TypeScript module.", at);
  }
  const exported = defaultExport(mod);
  if (!exported.found) return fail(`${file} has no default export.`, "Write: export default defineConfig({ … }) (defineConfig from \"tsc-micro\").");
  if (typeof exported.value !== "function") return { value: exported.value, diagnostics: [] };
  try {
    return { value: await (exported.value as () => unknown)(), diagnostics: [] };
  } catch (e) {
    const { message, at } = describeError(e, absolute, file);
    return fail(`The function exported by ${file} threw: ${message}`, "The default export may be a function returning the config; it must not throw.", at);
  }
}

/**
 * The default export of an imported module. ES modules (and TypeScript, which
 * jiti compiles to CommonJS marked `__esModule`) need `export default`; a plain
 * CommonJS module's `module.exports` is its default, as with Node's `import()`.
 */
function defaultExport(mod: unknown): { found: boolean; value?: unknown } {
  if (mod === null || (typeof mod !== "object" && typeof mod !== "function")) return { found: mod !== undefined, value: mod };
  const isEsm = (mod as { __esModule?: unknown }).__esModule === true || Object.prototype.toString.call(mod) === "[object Module]";
  if (!isEsm) return { found: true, value: mod };
  return "default" in mod ? { found: true, value: (mod as { default: unknown }).default } : { found: false };
}

/**
 * A thrown value as one line of text with project-relative paths (output has
 * no absolute paths), and the line and column when the error gives them for
 * the config file, as parse errors do (`/abs/tsc-micro.config.ts:2:14`).
 */
function describeError(e: unknown, absolute: string, file: string): { message: string; at?: { line: number; column: number } } {
  // Node's "Require stack" lists tsc-micro's own files: noise to the user.
  const raw = (e instanceof Error ? e.message : String(e)).split("\nRequire stack:")[0]!;
  const url = pathToFileURL(absolute).href;
  const message = raw.split(url).join(file).split(absolute).join(file).replace(/\s+/g, " ").trim();
  const m = new RegExp(`\\s*\\(?${escapeRegExp(file)}:(\\d+):(\\d+)\\)?`).exec(message);
  if (!m) return { message };
  // The diagnostic carries the position itself, so drop it from the text.
  // Babel's columns are 0-based; diagnostics' are 1-based.
  return { message: message.replace(m[0], ""), at: { line: Number(m[1]), column: Number(m[2]) + 1 } };
}

/** Start offset and length of a line/column in the file, so the CLI can print a code frame. */
function locate(absolute: string, at: { line: number; column: number }): { start: number; length: number; line: number; column: number } {
  const lines = readFileSync(absolute, "utf8").split("\n");
  const before = lines.slice(0, at.line - 1).reduce((n, l) => n + l.length + 1, 0);
  return { start: before + at.column - 1, length: 1, ...at };
}

function projectPath(rootDir: string, absolute: string): string {
  return path.relative(rootDir, absolute).split(path.sep).join("/");
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
