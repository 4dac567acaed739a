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
}

export interface BundleResult {
  /** Bundle texts by output path (`services/<name>/index.mjs`). */
  files: Record<string, string>;
  diagnostics: Diagnostic[];
}

/**
 * Phase 5: one esbuild call for all services (https://esbuild.github.io/api/#build),
 * each entry a self-contained ESM bundle for Node: the functions, everything they
 * reach, the runtime, hono and @hono/node-server. Nothing is written here.
 */
export async function bundle(emitted: EmitResult, options: BundleOptions): Promise<BundleResult> {
  if (emitted.entries.length === 0) return { files: {}, diagnostics: [] };
  try {
    const result = await esbuild({
      absWorkingDir: options.rootDir,
      entryPoints: emitted.entries.map((e) => ({ in: e.entry, out: e.out })),
      outdir: "out",
      outExtension: { ".js": ".mjs" },
      bundle: true,
      platform: "node",
      format: "esm",
      target: options.target ?? "node20",
      mainFields: ["module", "main"],
      minify: options.minify ?? false,
      write: false,
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
    const files: Record<string, string> = {};
    const outRoot = `${options.rootDir}/out/`;
    const plainJs = new Set(emitted.entries.filter((e) => e.runtime === "external").map((e) => `${e.out}.mjs`));
    for (const file of result.outputFiles) {
      const rel = file.path.slice(outRoot.length);
      // dist/clients is plain ESM beside the generated clients (its package.json says "module"): `.js` like them.
      files[plainJs.has(rel) ? rel.replace(/\.mjs$/, ".js") : rel] = file.text;
    }
    return { files, diagnostics: [] };
  } catch (e) {
    const failure = e as { errors?: Message[] };
    if (!failure.errors) throw e;
    return { files: {}, diagnostics: failure.errors.map(toDiagnostic) };
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
