import { rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { BuildProgressListener } from "./build-progress.js";
import { bundle } from "./bundle/bundle.js";
import { hasErrors, sortDiagnostics } from "./diagnostics/diagnostic.js";
import type { Diagnostic } from "./diagnostics/diagnostic.js";
import { emit } from "./emit/emit.js";
import { serviceDockerfiles } from "./package/service-dockerfiles.js";
import { stagingDir, unsafeOutDir, writeOutput } from "./package/write-output.js";
import { planProject } from "./plan-project.js";
import type { PlannedProject } from "./plan-project.js";
import type { Plan } from "./plan/types.js";
import type { Project } from "ts-morph";
import type { BundleResult } from "./bundle/bundle.js";
import type { EmitResult } from "./emit/emit.js";
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
  /** Size of `services/<name>/index.mjs` in bytes (its own code; the shared chunks it loads are `chunks`). */
  bundleBytes: number;
  /** The shared chunks its bundle loads, relative to the output folder (`services/_chunks/chunk-<hash>.mjs`), sorted: with `index.mjs`, what its image holds. */
  chunks: string[];
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
export const PACKAGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/**
 * What a successful build leaves behind, for one that follows it to start
 * from (`tsc-micro dev --watch`, incremental/): the phases' data up to the
 * plan (with the ts-morph project), what emit made, and what the bundle
 * phase told about the bundles it wrote.
 */
export interface BuildState {
  planned: Extract<PlannedProject, { ok: true }>;
  emitted: EmitResult;
  bundled: Pick<BundleResult, "chunks" | "sizes">;
}

/**
 * Builds a tagged TypeScript program into services: scan → model → plan →
 * emit → bundle → write. Collects every diagnostic; writes nothing unless the
 * whole build succeeds.
 */
export async function build(options: BuildOptions = {}): Promise<BuildResult> {
  return (await buildKeepingState(options)).result;
}

/**
 * {@link build}, also returning the phases' data when it succeeds. `project`:
 * a ts-morph project of this very tsconfig to use instead of reading the
 * program anew, its changed files already refreshed (incremental/).
 */
export async function buildKeepingState(options: BuildOptions = {}, reuse: { project?: Project } = {}): Promise<{ result: BuildResult; state?: BuildState }> {
  // Configuration, type check, scan → model → plan: shared with check and inspect (plan-project.ts).
  const planned = await planProject(options, { refuseOutDir: unsafeOutDir, ...(reuse.project ? { project: reuse.project } : {}) });
  const { rootDir, outDir } = planned;
  const failed = (diagnostics: Diagnostic[], p?: Plan): { result: BuildResult } => ({
    result: {
      success: false,
      diagnostics: sortDiagnostics(diagnostics),
      rootDir,
      outDir,
      services: [],
      ...(p ? { plan: p } : {}),
    },
  });
  if (!planned.ok) return failed(planned.diagnostics, planned.plan);
  const { project, scanned, settings, counts, diagnostics } = planned;
  const progress: BuildProgressListener = options.onProgress ?? (() => {});

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
      const dockerfiles = serviceDockerfiles(planned.plan, bundled.chunks, settings.baseImage ? { baseImage: settings.baseImage } : {});
      writeOutput(outDir, { ...emitted.files, ...dockerfiles, ...bundled.files }, staging);
    }
  } finally {
    // A failed build leaves nothing behind (after writeOutput the folder is gone already).
    rmSync(staging, { recursive: true, force: true });
  }
  if (hasErrors(bundled.diagnostics)) return failed([...diagnostics, ...bundled.diagnostics], planned.plan);
  const result = builtResult(planned, bundled, sortDiagnostics(diagnostics));
  return { result, state: { planned, emitted, bundled: { chunks: bundled.chunks, sizes: bundled.sizes } } };
}

/** The summary of a successful build: its plan, and per service and entry point what the bundle phase wrote. */
export function builtResult(planned: Extract<PlannedProject, { ok: true }>, bundled: Pick<BundleResult, "chunks" | "sizes">, diagnostics: Diagnostic[]): BuildResult {
  const { rootDir, outDir } = planned;
  return {
    success: true,
    diagnostics,
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
      chunks: bundled.chunks[`services/${s.name}/index.mjs`] ?? [],
      dependencies: s.dependencies,
    })),
  };
}
