import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Project } from "ts-morph";
import type { BuildOptions } from "./build.js";
import type { BuildProgressListener } from "./build-progress.js";
import { configKeyLocation } from "./config/key-location.js";
import type { ServiceOverrides } from "./config/define-config.js";
import { loadConfig } from "./config/load-config.js";
import { DiagnosticCode, error, hasErrors } from "./diagnostics/diagnostic.js";
import type { Diagnostic } from "./diagnostics/diagnostic.js";
import { model } from "./model/model.js";
import type { ModelResult } from "./model/model.js";
import { plan } from "./plan/plan.js";
import { openProject } from "./program/open-project.js";
import type { PlanOptions } from "./plan/plan.js";
import { checkState } from "./plan/state/check-state.js";
import { collectStateFacts } from "./plan/state/collect-facts.js";
import type { Plan } from "./plan/types.js";
import { configSpec, readInteger } from "./scan/option-specs.js";
import type { IntegerSpec } from "./scan/option-specs.js";
import { scan } from "./scan/scan.js";
import { parseDuration } from "./scan/tag-options.js";
import type { ServiceOptions } from "./scan/tag-options.js";
import type { ScanResult } from "./scan/types.js";
import { explainAny } from "./typecheck/explain-any.js";
import { typeCheck } from "./typecheck/type-check.js";

/** What {@link planProject} found: the phases' data when the program could be planned without errors. */
export type PlannedProject =
  | { ok: false; rootDir: string; outDir: string; diagnostics: Diagnostic[]; /** Set when the program got as far as the plan. */ plan?: Plan }
  | {
      ok: true;
      rootDir: string;
      outDir: string;
      /** Warnings only (unsorted). */
      diagnostics: Diagnostic[];
      plan: Plan;
      project: Project;
      scanned: ScanResult;
      modelled: ModelResult;
      /** What the plan phase was given besides the scan and the model, to plan again (incremental/). */
      planOptions: PlanOptions;
      /** The configuration file's options under the ones given. */
      settings: BuildOptions;
      counts: { files: number; functions: number };
    };

export interface PlanProjectHooks {
  /** Why the output folder may not be written (checked before any phase runs), or undefined; `build` passes its check. */
  refuseOutDir?: (outDir: string, rootDir: string) => string | undefined;
  /** The program as a ts-morph project already read from this tsconfig (its changed files refreshed), used instead of reading it anew (incremental/). */
  project?: Project;
}

/**
 * The phases every command shares, up to the plan: configuration, TypeScript's
 * own check, scan → model → plan, and the checks on the plan (state a split
 * cannot share, the configuration's service names, entry points). `build`
 * goes on to emit and bundle; `check` and `inspect` read the plan and write
 * nothing. Collects every diagnostic; throws only for bugs.
 */
export async function planProject(options: BuildOptions = {}, hooks: PlanProjectHooks = {}): Promise<PlannedProject> {
  const cwd = options.cwd ?? process.cwd();
  const tsconfig = path.resolve(cwd, options.project ?? "tsconfig.json");
  const configPath = existsSync(tsconfig) && !tsconfig.endsWith(".json") ? path.join(tsconfig, "tsconfig.json") : tsconfig;
  const rootDir = path.dirname(configPath);
  let outDir = options.outDir ? path.resolve(cwd, options.outDir) : path.join(rootDir, "dist");
  const failed = (diagnostics: Diagnostic[], p?: Plan): PlannedProject => ({ ok: false, rootDir, outDir, diagnostics, ...(p ? { plan: p } : {}) });

  if (!existsSync(configPath)) {
    return failed([error(DiagnosticCode.ConfigNotFound, `Cannot find ${path.relative(cwd, configPath) || configPath}.`, undefined, "Pass the project with -p path/to/tsconfig.json.")]);
  }
  // tsc-micro.config.ts: options given to build() (and CLI flags) win over it.
  const loaded = await loadConfig(rootDir, options.config ? { file: path.relative(rootDir, path.resolve(cwd, options.config)) } : {});
  if (hasErrors(loaded.diagnostics)) return failed(loaded.diagnostics);
  const config = loaded.config;
  const settings: BuildOptions = { ...config, ...definedOnly(options) };
  outDir = options.outDir ? path.resolve(cwd, options.outDir) : path.resolve(rootDir, config.outDir ?? "dist");
  const unsafe = hooks.refuseOutDir?.(outDir, rootDir);
  if (unsafe) return failed([error(DiagnosticCode.OutDirUnsafe, `Refusing to write: ${unsafe}.`, undefined, "A build replaces its output folder whole; choose an empty or new folder with --outDir.")]);

  let project: Project;
  try {
    project = hooks.project ?? openProject(configPath);
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
  const planOptions: PlanOptions = {
    project: projectInfo(rootDir),
    ...(settings.mode ? { mode: settings.mode } : {}),
    ...(settings.monolithName ? { monolithName: settings.monolithName } : {}),
    ...(settings.colocate ? { colocate: settings.colocate } : {}),
    entries: entryFiles(rootDir, settings.entry),
    overrides: overridesOf(settings.services),
    // The services' options come from the config file unless build() was given its own.
    ...(loaded.file && !options.services ? { configAt: (name: string) => configKeyLocation(rootDir, loaded.file!, ["services", name]) } : {}),
  };
  const planned = plan(scanned, modelled, planOptions);
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
  return { ok: true, rootDir, outDir, diagnostics, plan: planned.plan, project, scanned, modelled, planOptions, settings, counts };
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
