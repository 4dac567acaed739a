import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Project } from "ts-morph";
import type { BuildProgressListener } from "./build-progress.js";
import { bundle } from "./bundle/bundle.js";
import { configKeyLocation } from "./config/key-location.js";
import { loadConfig } from "./config/load-config.js";
import { DiagnosticCode, error, hasErrors, sortDiagnostics } from "./diagnostics/diagnostic.js";
import type { Diagnostic } from "./diagnostics/diagnostic.js";
import { emit } from "./emit/emit.js";
import { model } from "./model/model.js";
import { stagingDir, unsafeOutDir, writeOutput } from "./package/write-output.js";
import { plan } from "./plan/plan.js";
import { checkState } from "./plan/state/check-state.js";
import { collectStateFacts } from "./plan/state/collect-facts.js";
import type { Plan } from "./plan/types.js";
import { scan } from "./scan/scan.js";
import { explainAny } from "./typecheck/explain-any.js";
import { typeCheck } from "./typecheck/type-check.js";
import { parseDuration } from "./scan/tag-options.js";
import { configSpec, readInteger } from "./scan/option-specs.js";
import type { IntegerSpec } from "./scan/option-specs.js";
import type { ServiceOptions } from "./scan/tag-options.js";
import type { DeployConfig, ServiceOverrides } from "./config/define-config.js";
import { runtimeVersion } from "./emit/runtime-package.js";

export interface BuildOptions {
  /** Path to the project's tsconfig.json, relative to `cwd`. Default `tsconfig.json`. */
  project?: string;
  /** Output folder, relative to `cwd`. Default `dist` beside the tsconfig.json. */
  outDir?: string;
  /** Folder relative paths are resolved from. Default `process.cwd()`. */
  cwd?: string;
  /** The configuration file, relative to `cwd`. Default: `tsc-micro.config.{ts,mts,js,mjs}` beside the tsconfig.json, if any. */
  config?: string;
  /** Base image of the generated Dockerfiles. Default see {@link DEFAULT_BASE_IMAGE}. */
  baseImage?: string;
  /** Minify the service bundles. Default false. */
  minify?: boolean;
  /** Accept `any` and `unknown` in service signatures as "any JSON value". Default false: they are diagnostics. */
  allowAny?: boolean;
  /** Report TypeScript's own errors in the program (as `tsc --noEmit` would) and fail on them. Default true; false skips it for pipelines that already ran tsc. */
  typeCheck?: boolean;
  /** `split` (default) or `monolith`: every function in one service, same routes and clients. */
  mode?: "split" | "monolith";
  /** Name of the single service in monolith mode. Default `monolith`. */
  monolithName?: string;
  /** Groups of service names built as one service. */
  colocate?: string[][];
  /** Program entry points (paths relative to the project) bundled as processes calling the services. */
  entry?: string | string[];
  /** Called as each phase starts (check, scan, model, plan, emit, bundle, write) with the counts known by then; see build-progress.ts. */
  onProgress?: BuildProgressListener;
  /** Options per service name; they win over the tags. */
  services?: Record<string, ServiceOverrides>;
  /** Images, namespace and resources of the deployment files under dist/deploy/. */
  deploy?: DeployConfig;
}

/** A built service, for the summary table. */
export interface BuiltService {
  name: string;
  routes: string[];
  /** Size of `services/<name>/index.mjs` in bytes. */
  bundleBytes: number;
  /** Services it calls. */
  dependencies: string[];
}

export interface BuildResult {
  success: boolean;
  /** Every problem found, sorted by file and position. */
  diagnostics: Diagnostic[];
  rootDir: string;
  outDir: string;
  services: BuiltService[];
  /** Program entry points bundled as `entries/<name>/index.mjs`. */
  entries?: { name: string; file: string; dependencies: string[]; /** Size of `entries/<name>/index.mjs` in bytes. */ bundleBytes: number }[];
  /** The plan, when the build got that far (for tools and tests). */
  plan?: Plan;
}

/** The folder of this package, where the runtime that bundles import is installed. */
const PACKAGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/**
 * Builds a tagged TypeScript program into services: scan → model → plan →
 * emit → bundle → write. Collects every diagnostic; writes nothing unless the
 * whole build succeeds.
 */
export async function build(options: BuildOptions = {}): Promise<BuildResult> {
  const cwd = options.cwd ?? process.cwd();
  const tsconfig = path.resolve(cwd, options.project ?? "tsconfig.json");
  const configPath = existsSync(tsconfig) && !tsconfig.endsWith(".json") ? path.join(tsconfig, "tsconfig.json") : tsconfig;
  const rootDir = path.dirname(configPath);
  let outDir = options.outDir ? path.resolve(cwd, options.outDir) : path.join(rootDir, "dist");
  const failed = (diagnostics: Diagnostic[], p?: Plan): BuildResult => ({
    success: false,
    diagnostics: sortDiagnostics(diagnostics),
    rootDir,
    outDir,
    services: [],
    ...(p ? { plan: p } : {}),
  });

  if (!existsSync(configPath)) {
    return failed([error(DiagnosticCode.ConfigNotFound, `Cannot find ${path.relative(cwd, configPath) || configPath}.`, undefined, "Pass the project with -p path/to/tsconfig.json.")]);
  }
  // tsc-micro.config.ts: options given to build() (and CLI flags) win over it.
  const loaded = await loadConfig(rootDir, options.config ? { file: path.relative(rootDir, path.resolve(cwd, options.config)) } : {});
  if (hasErrors(loaded.diagnostics)) return failed(loaded.diagnostics);
  const config = loaded.config;
  const settings: BuildOptions = { ...config, ...definedOnly(options) };
  outDir = options.outDir ? path.resolve(cwd, options.outDir) : path.resolve(rootDir, config.outDir ?? "dist");
  const unsafe = unsafeOutDir(outDir, rootDir);
  if (unsafe) return failed([error(DiagnosticCode.OutDirUnsafe, `Refusing to write: ${unsafe}.`, undefined, "A build replaces its output folder whole; choose an empty or new folder with --outDir.")]);

  let project: Project;
  try {
    project = new Project({ tsConfigFilePath: configPath });
  } catch (e) {
    return failed([error(DiagnosticCode.ConfigInvalid, `Cannot read ${configPath}: ${(e as Error).message}`)]);
  }

  const progress: BuildProgressListener = options.onProgress ?? (() => {});
  const files = project.getSourceFiles().length;
  if (settings.typeCheck !== false) progress({ phase: "check", files });
  // TypeScript's own errors first: a program tsc rejects is no program to split (typecheck/).
  const typeErrors = settings.typeCheck === false ? [] : typeCheck(project, { rootDir, configPath, exclude: [outDir] });
  progress({ phase: "scan", files });
  const scanned = scan(project, { rootDir, exclude: [outDir] });
  const counts = { files: scanned.files.length, functions: scanned.functions.length };
  progress({ phase: "model", ...counts });
  const modelled = model(project, rootDir, scanned.functions, { allowAny: settings.allowAny ?? false });
  progress({ phase: "plan", ...counts });
  const planned = plan(scanned, modelled, {
    project: projectInfo(rootDir),
    ...(settings.mode ? { mode: settings.mode } : {}),
    ...(settings.monolithName ? { monolithName: settings.monolithName } : {}),
    ...(settings.colocate ? { colocate: settings.colocate } : {}),
    entries: entryFiles(rootDir, settings.entry),
    overrides: overridesOf(settings.services),
    // The services' options come from the config file unless build() was given its own.
    ...(loaded.file && !options.services ? { configAt: (name: string) => configKeyLocation(rootDir, loaded.file!, ["services", name]) } : {}),
  });
  // State and arguments the split cannot share, and casts at its network boundaries (plan/state/).
  const stateDiagnostics = checkState(scanned, collectStateFacts(project, rootDir, scanned), planned.plan);
  const diagnostics = [...loaded.diagnostics, ...typeErrors, ...scanned.diagnostics, ...explainAny(modelled.diagnostics, typeErrors, project, rootDir), ...planned.diagnostics, ...stateDiagnostics];
  // deploy.services may only name services this build has (as services.<name> may: plan/plan.ts).
  const serviceNames = planned.plan.services.map((s) => s.name);
  for (const name of Object.keys(settings.deploy?.services ?? {}).filter((n) => !serviceNames.includes(n))) {
    const at = loaded.file && !options.deploy ? configKeyLocation(rootDir, loaded.file, ["deploy", "services", name]) : undefined;
    diagnostics.push(error(DiagnosticCode.ConfigInvalid, `The configuration sets deployment options for service '${name}', which this build does not have.`, at, `Services: ${serviceNames.join(", ")}.`));
  }
  for (const entry of planned.plan.entries) {
    if (!scanned.files.includes(entry.file)) {
      diagnostics.push(error(DiagnosticCode.ConfigInvalid, `Entry point '${entry.file}' is not a source file of the project.`, undefined, "Name a .ts file that tsconfig.json includes, relative to the project folder."));
    }
  }
  if (scanned.functions.length === 0 && !hasErrors(diagnostics)) {
    diagnostics.push(
      error(DiagnosticCode.NoServices, `No function tagged @microservice in ${path.relative(cwd, configPath) || configPath}.`, undefined, "Add `/** @microservice */` above an exported function."),
    );
  }
  if (hasErrors(diagnostics)) return failed(diagnostics, planned.plan);

  const services = planned.plan.services.length;
  const entries = planned.plan.entries.length;
  progress({ phase: "emit", ...counts, services });
  const emitted = emit(planned.plan, (file) => project.getSourceFileOrThrow(path.join(rootDir, file)).getFullText(), {
    ...(settings.baseImage ? { baseImage: settings.baseImage } : {}),
    ...(settings.deploy ? { deploy: settings.deploy } : {}),
    runtimeVersion: runtimeVersion(),
  });
  progress({ phase: "bundle", ...counts, services, ...(entries > 0 ? { entries } : {}) });
  // esbuild writes the bundles into the output's staging folder itself; writeOutput adds the rest and swaps it in.
  const staging = stagingDir(outDir);
  let bundled: Awaited<ReturnType<typeof bundle>>;
  try {
    bundled = await bundle(emitted, {
      rootDir,
      runtimeDir: PACKAGE_DIR,
      programFiles: scanned.files,
      writeTo: staging,
      ...(settings.minify !== undefined ? { minify: settings.minify } : {}),
    });
    if (!hasErrors(bundled.diagnostics)) {
      progress({ phase: "write", ...counts, services, ...(entries > 0 ? { entries } : {}) });
      writeOutput(outDir, { ...emitted.files, ...bundled.files }, staging);
    }
  } finally {
    // A failed build leaves nothing behind (after writeOutput the folder is gone already).
    rmSync(staging, { recursive: true, force: true });
  }
  if (hasErrors(bundled.diagnostics)) return failed([...diagnostics, ...bundled.diagnostics], planned.plan);
  return {
    success: true,
    diagnostics: sortDiagnostics(diagnostics),
    rootDir,
    outDir,
    plan: planned.plan,
    entries: planned.plan.entries.map((e) => ({
      name: e.name,
      file: e.file,
      dependencies: e.dependencies,
      bundleBytes: bundled.sizes[`entries/${e.name}/index.mjs`] ?? 0,
    })),
    services: planned.plan.services.map((s) => ({
      name: s.name,
      routes: s.routes.map((r) => `POST /${r.name}`),
      bundleBytes: bundled.sizes[`services/${s.name}/index.mjs`] ?? 0,
      dependencies: s.dependencies,
    })),
  };
}

/** The project's name and version from its package.json, for document titles. */
function projectInfo(rootDir: string): { name: string; version: string; license?: string } {
  const file = path.join(rootDir, "package.json");
  if (!existsSync(file)) return { name: path.basename(rootDir), version: "0.0.0" };
  try {
    const pkg = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string; license?: unknown };
    const license = typeof pkg.license === "string" && pkg.license !== "UNLICENSED" ? { license: pkg.license } : {};
    return { name: pkg.name ?? path.basename(rootDir), version: pkg.version ?? "0.0.0", ...license };
  } catch {
    return { name: path.basename(rootDir), version: "0.0.0" };
  }
}

function entryFiles(rootDir: string, entry: string | string[] | undefined): string[] {
  const list = entry === undefined ? [] : Array.isArray(entry) ? entry : [entry];
  return list.map((e) => path.relative(rootDir, path.resolve(rootDir, e)).split(path.sep).join("/"));
}

function overridesOf(services: BuildOptions["services"]): Record<string, Omit<ServiceOptions, "name">> {
  const out: Record<string, Omit<ServiceOptions, "name">> = {};
  for (const [name, o] of Object.entries(services ?? {})) {
    const timeoutMs = o.timeout === undefined ? undefined : parseDuration(o.timeout);
    out[name] = {
      ...(o.retry !== undefined ? { retry: o.retry } : {}),
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      ...(o.idempotent !== undefined ? { idempotent: o.idempotent } : {}),
      ...(o.concurrency !== undefined ? { concurrency: o.concurrency } : {}),
      ...replicasOf(o.replicas),
      ...(o.tags ? { tags: o.tags } : {}),
    };
  }
  return out;
}

/** `3` → `{ replicas: 3 }`; `"2..10"` → `{ replicas: 2, maxReplicas: 10 }` (validated with the config). */
function replicasOf(replicas: ServiceOverrides["replicas"]): Pick<ServiceOptions, "replicas" | "maxReplicas"> {
  if (replicas === undefined) return {};
  const read = readInteger(configSpec("replicas") as IntegerSpec, String(replicas));
  if (!read) return { replicas: Number(replicas) }; // only when build() is given options the config file would refuse
  return read.max !== undefined ? { replicas: read.value, maxReplicas: read.max } : { replicas: read.value };
}

/** The options actually given, so `{ ...config, ...definedOnly(options) }` lets explicit ones win. */
function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
