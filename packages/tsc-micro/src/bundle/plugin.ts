import { readFileSync } from "node:fs";
import path from "node:path";
import type { Loader, OnResolveArgs, OnResolveResult, Plugin } from "esbuild";
import type { VirtualModule } from "../emit/emit.js";

export interface PluginOptions {
  /** Project root: program paths are relative to it. */
  rootDir: string;
  /** Folder bare imports of generated modules resolve from (where @tsc-micro/runtime is installed). */
  runtimeDir: string;
  /** The program's own source files, project-relative. */
  programFiles: readonly string[];
  /** Generated modules by specifier. */
  modules: Readonly<Record<string, VirtualModule>>;
  /** Rewritten sources per service, by project-relative file. */
  sources: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Service names: one namespace each. */
  services: readonly string[];
}

const GENERATED = "tsc-micro";
const PREFIX = "svc:";

/**
 * Lets one esbuild call bundle every service although the same source file
 * reads differently in each (calls to other services are rewritten there).
 * Each service's program files live in their own namespace `svc:<service>`
 * (paths relative to the project root, so bundles hold no absolute paths);
 * generated modules (`tsc-micro:…`) are served from memory. Everything else,
 * node_modules included, resolves as esbuild normally would.
 * See https://esbuild.github.io/plugins/#on-resolve and #on-load.
 */
export function tscMicroPlugin(options: PluginOptions): Plugin {
  const program = new Set(options.programFiles);
  return {
    name: "tsc-micro",
    setup(build) {
      build.onResolve({ filter: /^tsc-micro:/ }, (args) => {
        if (!options.modules[args.path]) return { errors: [{ text: `tsc-micro bug: no generated module ${args.path}` }] };
        return { path: args.path, namespace: GENERATED };
      });

      /** Resolves as esbuild would from `resolveDir`, then moves a program file into the service's namespace. */
      const resolveFor = async (service: string, args: OnResolveArgs, resolveDir: string): Promise<OnResolveResult> => {
        const result = await build.resolve(args.path, { kind: args.kind, resolveDir, importer: args.importer, pluginData: { inner: true } });
        if (result.errors.length > 0) return { errors: result.errors, warnings: result.warnings };
        const rel = path.relative(options.rootDir, result.path).split(path.sep).join("/");
        if (result.namespace === "file" && program.has(rel)) return { path: rel, namespace: `${PREFIX}${service}` };
        return result;
      };

      // Every callback costs a round trip to this process (and build.resolve a second one): on 500
      // services that was a good part of the bundle phase. So each is registered only where it
      // changes something. Generated modules import the program relative to the project root
      // (`./src/x.ts`, the program file itself: no resolving needed) and the runtime by bare
      // specifiers, which esbuild resolves itself from the resolveDir they are loaded with (the
      // runtime's install); imports inside node_modules (namespace `file`) reach no callback.
      build.onResolve({ filter: /^\./, namespace: GENERATED }, (args) => {
        const service = serviceOfGenerated(args.importer);
        const rel = path.posix.normalize(args.path);
        if (program.has(rel)) return { path: rel, namespace: `${PREFIX}${service}` };
        return resolveFor(service, args, options.rootDir);
      });
      for (const service of options.services) {
        const namespace = `${PREFIX}${service}`;
        build.onResolve({ filter: /.*/, namespace }, (args) => (args.pluginData?.inner ? undefined : resolveFor(service, args, args.resolveDir)));
      }

      build.onLoad({ filter: /.*/, namespace: GENERATED }, (args) => {
        const mod = options.modules[args.path]!;
        return { contents: mod.contents, loader: mod.loader, resolveDir: options.runtimeDir };
      });

      for (const service of options.services) {
        build.onLoad({ filter: /.*/, namespace: `${PREFIX}${service}` }, (args) => {
          const abs = path.join(options.rootDir, args.path);
          const contents = options.sources[service]?.[args.path] ?? readFileSync(abs, "utf8");
          return { contents, loader: loaderFor(args.path), resolveDir: path.dirname(abs) };
        });
      }
    },
  };
}

/** `tsc-micro:server/is-even` → `is-even` (the other generated modules import no program files). */
function serviceOfGenerated(importer: string): string {
  return importer.slice(importer.lastIndexOf("/") + 1);
}

function loaderFor(file: string): Loader {
  const ext = path.extname(file);
  if (ext === ".tsx") return "tsx";
  if (ext === ".jsx") return "jsx";
  if (ext === ".js" || ext === ".mjs" || ext === ".cjs") return "js";
  return "ts";
}
