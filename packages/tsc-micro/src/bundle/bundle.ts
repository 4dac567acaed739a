import { renameSync, statSync } from "node:fs";
import path from "node:path";
import { build as esbuild } from "esbuild";
import type { Message, Plugin } from "esbuild";
import { DiagnosticCode, error } from "../diagnostics/diagnostic.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { EmitResult } from "../emit/emit.js";
import { GENERATED_HEADER } from "../emit/header.js";
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
   * see package/write-output.ts), so that N bundles of several hundred KiB each
   * never pass through this process: on 500 services, receiving and writing
   * them here cost more CPU than the whole type check. Without it they are
   * returned in `files`.
   */
  writeTo?: string;
}

export interface BundleResult {
  /**
   * Bundles by output path (`services/<name>/index.mjs`), unless written to `writeTo`:
   * UTF-8 bytes as esbuild made them, never decoded, since they are only written.
   */
  files: Record<string, Uint8Array>;
  /** Size in bytes of every bundle by output path, written or returned. */
  sizes: Record<string, number>;
  diagnostics: Diagnostic[];
}

/**
 * Phase 5: one esbuild call for all services (https://esbuild.github.io/api/#build),
 * each entry a self-contained ESM bundle for Node: the functions, everything they
 * reach, the runtime, hono and @hono/node-server. Nothing is written here,
 * except into the build's staging folder when given one (`writeTo`).
 */
export async function bundle(emitted: EmitResult, options: BundleOptions): Promise<BundleResult> {
  if (emitted.entries.length === 0) return { files: {}, sizes: {}, diagnostics: [] };
  try {
    const result = await esbuild({
      absWorkingDir: options.rootDir,
      entryPoints: emitted.entries.map((e) => ({ in: e.entry, out: e.out })),
      outdir: options.writeTo ?? "out",
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
      charset: "utf8",
      // CommonJS dependencies bundled into ESM may `require` Node built-ins.
      banner: {
        js: `${GENERATED_HEADER}\nimport { createRequire as __tscMicroCreateRequire } from "node:module";\nconst require = __tscMicroCreateRequire(import.meta.url);`,
      },
      plugins: [
        runtimeExternal(emitted.entries.filter((e) => e.runtime === "external")),
        tscMicroPlugin({
          rootDir: options.rootDir,
          runtimeDir: options.runtimeDir,
          programFiles: options.programFiles,
          modules: emitted.modules,
          sources: emitted.sources,
          services: emitted.entries.map((e) => e.service),
        }),
      ],
    });
    const files: Record<string, Uint8Array> = {};
    const sizes: Record<string, number> = {};
    // dist/clients is plain ESM beside the generated clients (its package.json says "module"): `.js` like them.
    const plainJs = new Set(emitted.entries.filter((e) => e.runtime === "external").map((e) => `${e.out}.mjs`));
    const finalPath = (rel: string): string => (plainJs.has(rel) ? rel.replace(/\.mjs$/, ".js") : rel);
    if (options.writeTo !== undefined) {
      // esbuild wrote one file per entry (no splitting, no assets): `<out>.mjs`.
      for (const rel of emitted.entries.map((e) => `${e.out}.mjs`)) {
        const to = finalPath(rel);
        if (to !== rel) renameSync(path.join(options.writeTo, rel), path.join(options.writeTo, to));
        sizes[to] = statSync(path.join(options.writeTo, to)).size;
      }
      return { files, sizes, diagnostics: [] };
    }
    const outRoot = `${options.rootDir}/out/`;
    for (const file of result.outputFiles ?? []) {
      const rel = finalPath(file.path.slice(outRoot.length));
      files[rel] = file.contents;
      sizes[rel] = file.contents.byteLength;
    }
    return { files, sizes, diagnostics: [] };
  } catch (e) {
    const failure = e as { errors?: Message[] };
    if (!failure.errors) throw e;
    return { files: {}, sizes: {}, diagnostics: failure.errors.map(toDiagnostic) };
  }
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
