import { renameSync } from "node:fs";
import path from "node:path";
import { build as esbuild } from "esbuild";
import type { BuildOptions as EsbuildOptions, BuildResult as EsbuildResult, Message, Plugin } from "esbuild";
import { DiagnosticCode, error } from "../diagnostics/diagnostic.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { EmitResult } from "../emit/emit.js";
import { BUNDLE_HEADER } from "../emit/header.js";
import { chunkClosure } from "./chunk-closure.js";
import { tscMicroPlugin } from "./plugin.js";

export interface BundleOptions {
  rootDir: string;
  /** Where `@tsc-micro/runtime`, hono and ajv resolve from. */
  runtimeDir: string;
  programFiles: readonly string[];
  /** Node version the bundles target. Default `node20`. */
  target?: string;
  /** Minify the bundles. Default false: users read them when debugging. */
  minify?: boolean;
  /**
   * Folder esbuild writes the bundles into itself (the build's staging folder,
   * see package/write-output.ts), so that the bundles never pass through this
   * process: on 500 services, receiving and writing them here cost more CPU
   * than the whole type check. Without it they are returned in `files`.
   */
  writeTo?: string;
}

export interface BundleResult {
  /**
   * Bundles and shared chunks by output path (`services/<name>/index.mjs`,
   * `services/_chunks/chunk-<hash>.mjs`), unless written to `writeTo`: UTF-8
   * bytes as esbuild made them, never decoded, since they are only written.
   */
  files: Record<string, Uint8Array>;
  /** Size in bytes of every file by output path, written or returned. */
  sizes: Record<string, number>;
  /**
   * Per bundle (output path), the shared chunks it loads, directly or through
   * other chunks: output paths, sorted. What a service's image must hold
   * besides its `index.mjs` (package/service-dockerfiles.ts). Empty for the
   * bundles that stand alone (entry points, dist/clients/errors.js).
   */
  chunks: Record<string, string[]>;
  diagnostics: Diagnostic[];
}

/** Where the services' shared chunks go, relative to the output folder; named by content hash. */
const CHUNK_DIR = "services/_chunks";
/**
 * `chunk-<hash>` for every chunk, also one a dynamic import loads (the runtime loads Node's default
 * metrics that way, telemetry/metrics.ts), which esbuild's `[name]` would call after its module.
 */
const CHUNK_NAMES = `${CHUNK_DIR}/chunk-[hash]`;

/**
 * Phase 5: bundles every service, entry point and dist/clients/errors.js for
 * Node (https://esbuild.github.io/api/#build). Nothing is written here, except
 * into the build's staging folder when given one (`writeTo`).
 *
 * Services are one esbuild call with code splitting
 * (https://esbuild.github.io/api/#splitting): each `services/<name>/index.mjs`
 * holds the service's own code, and whatever two or more services share (the
 * runtime, hono, @hono/node-server, ajv, the clients of services they both
 * call) lands once in content-hashed chunks under `services/_chunks/`, shared
 * by all. Writing the ~600 KB runtime into each of N bundles was most of a
 * large build's CPU. A service's Dockerfile copies its entry and exactly the
 * chunks it loads (`chunks`), so each image still holds only what it needs.
 *
 * Entry points and dist/clients/errors.js are a second call, without
 * splitting: each must stand alone. dist/clients is a package of its own,
 * imported by other projects, and must not reach into services/; an entry
 * point's image is built from its own folder. They are few (one per
 * configured entry point, at most one errors.js), so their own copies cost
 * little.
 */
export async function bundle(emitted: EmitResult, options: BundleOptions): Promise<BundleResult> {
  const shared = emitted.entries.filter(isService);
  const alone = emitted.entries.filter((e) => !isService(e));
  // Both settle before anything is reported: a failed call must not leave the other writing into the staging folder.
  const settled = await Promise.allSettled([
    shared.length > 0 ? esbuild({ ...common(emitted, shared, options), splitting: true, chunkNames: CHUNK_NAMES, metafile: true }) : undefined,
    alone.length > 0 ? esbuild({ ...common(emitted, alone, options, [runtimeExternal(alone.filter((e) => e.runtime === "external"))]), metafile: true }) : undefined,
  ]);
  const failures = settled.flatMap((s) => (s.status === "rejected" ? [s.reason as unknown] : []));
  if (failures.length > 0) {
    const messages = failures.flatMap((f) => {
      const errors = (f as { errors?: Message[] }).errors;
      if (!errors) throw f;
      return errors;
    });
    // A program file both a service and an entry point import fails in both calls: report it once.
    const unique = [...new Map(messages.map(toDiagnostic).map((d) => [JSON.stringify(d), d])).values()];
    return { files: {}, sizes: {}, chunks: {}, diagnostics: unique };
  }
  const result: BundleResult = { files: {}, sizes: {}, chunks: {}, diagnostics: [] };
  const [sharedResult, aloneResult] = settled.map((s) => (s.status === "fulfilled" ? s.value : undefined));
  if (sharedResult) collect(sharedResult, options, result, (rel) => rel);
  // dist/clients is plain ESM beside the generated clients (its package.json says "module"): `.js` like them.
  const plainJs = new Set(alone.filter((e) => e.runtime === "external").map((e) => `${e.out}.mjs`));
  const finalPath = (rel: string): string => (plainJs.has(rel) ? rel.replace(/\.mjs$/, ".js") : rel);
  if (aloneResult) {
    if (options.writeTo !== undefined) {
      for (const rel of plainJs) renameSync(path.join(options.writeTo, rel), path.join(options.writeTo, finalPath(rel)));
    }
    collect(aloneResult, options, result, finalPath);
  }
  return result;
}

/** Service bundles share chunks; entry points and dist/clients/errors.js stand alone (see {@link bundle}). */
export function isService(entry: EmitResult["entries"][number]): boolean {
  return entry.out.startsWith("services/") && entry.runtime !== "external";
}

/** What both calls share: ESM for Node, one output per entry under the same folder, the same banner and plugin. */
function common(emitted: EmitResult, entries: EmitResult["entries"], options: BundleOptions, plugins: Plugin[] = []): EsbuildOptions {
  return {
    absWorkingDir: options.rootDir,
    entryPoints: entries.map((e) => ({ in: e.entry, out: e.out })),
    outdir: outdirOf(options),
    outExtension: { ".js": ".mjs" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: options.target ?? "node20",
    mainFields: ["module", "main"],
    minify: options.minify ?? false,
    write: options.writeTo !== undefined,
    logLevel: "silent",
    legalComments: "eof",
    // ASCII only (esbuild's default: other characters escaped), banner included. V8 keeps a module's
    // source in memory for as long as the process runs, and one character above U+00FF (an em dash
    // in a comment, `…` in a message) makes the whole file two bytes a character: for a service's
    // ~450 KB chunk, 0.9 MB of resident memory instead of 0.45 and ~2 % more start-up instructions
    // to decode and scan it (bench section 5).
    charset: "ascii",
    // CommonJS dependencies bundled into ESM may `require` Node built-ins; every output (chunks too) is a module of its own.
    banner: {
      js: `${BUNDLE_HEADER}\nimport { createRequire as __tscMicroCreateRequire } from "node:module";\nconst require = __tscMicroCreateRequire(import.meta.url);`,
    },
    plugins: [
      ...plugins,
      tscMicroPlugin({
        rootDir: options.rootDir,
        runtimeDir: options.runtimeDir,
        programFiles: options.programFiles,
        modules: emitted.modules,
        sources: emitted.sources,
        services: entries.map((e) => e.service),
      }),
    ],
  };
}

function outdirOf(options: BundleOptions): string {
  return options.writeTo ?? "out";
}

/** Adds one call's outputs (sizes, chunk lists, and the bytes when not written) to `into`, under their final paths. */
function collect(result: EsbuildResult, options: BundleOptions, into: BundleResult, finalPath: (rel: string) => string): void {
  const outdir = path.resolve(options.rootDir, outdirOf(options));
  const rel = (p: string): string => path.relative(outdir, path.resolve(options.rootDir, p)).split(path.sep).join("/");
  for (const [file, output] of Object.entries(result.metafile!.outputs)) into.sizes[finalPath(rel(file))] = output.bytes;
  for (const [entry, chunks] of Object.entries(chunkClosure(result.metafile!, options.rootDir, outdirOf(options)))) into.chunks[finalPath(entry)] = chunks;
  for (const file of result.outputFiles ?? []) into.files[finalPath(rel(file.path))] = file.contents;
}

/**
 * Leaves @tsc-micro/runtime out of the bundles that must share the runtime
 * their importer resolves (dist/clients/errors.js registers the program's
 * classes with the very runtime the clients call through). Covers the
 * generated entry and the program files bundled for it (namespace
 * `svc:<bundle>`, see plugin.ts).
 */
function runtimeExternal(entries: readonly { service: string; entry: string }[]): Plugin {
  const specifiers = new Set(entries.map((e) => e.entry));
  const namespaces = new Set(entries.map((e) => `svc:${e.service}`));
  return {
    name: "tsc-micro-runtime-external",
    setup(build) {
      build.onResolve({ filter: /^@tsc-micro\/runtime(\/|$)/ }, (args) =>
        specifiers.has(args.importer) || namespaces.has(args.namespace) ? { path: args.path, external: true } : undefined,
      );
    },
  };
}

function toDiagnostic(m: Message): Diagnostic {
  const loc = m.location;
  const file = loc?.file.replace(/^svc:[^:]*:/, "");
  return error(
    DiagnosticCode.BundleFailed,
    `Bundling failed: ${m.text}`,
    loc && file ? { file, start: 0, length: loc.length, line: loc.line, column: loc.column + 1 } : undefined,
    m.notes.map((n) => n.text).join(" ") || "Check that the module is installed and that the import path is right.",
  );
}
