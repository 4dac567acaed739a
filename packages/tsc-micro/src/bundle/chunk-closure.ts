import path from "node:path";
import type { Metafile } from "esbuild";

/**
 * Per entry bundle, the shared chunks it loads: those it imports and those
 * they import in turn, read from esbuild's metafile
 * (https://esbuild.github.io/api/#metafile). Keys and values are output paths
 * relative to `outdir`, with `/`; values sorted, so whatever is made from them
 * (the Dockerfiles' COPY lines) is deterministic. Dynamic imports count too:
 * the process may load them at any time, so the image must hold them.
 *
 * `workingDir` is esbuild's `absWorkingDir`: the metafile's paths are relative to it.
 */
export function chunkClosure(metafile: Metafile, workingDir: string, outdir: string): Record<string, string[]> {
  const root = path.resolve(workingDir, outdir);
  const rel = (p: string): string => path.relative(root, path.resolve(workingDir, p)).split(path.sep).join("/");
  const outputs = new Map(Object.entries(metafile.outputs).map(([file, output]) => [rel(file), output]));
  const closure: Record<string, string[]> = {};
  for (const [file, output] of outputs) {
    if (output.entryPoint === undefined) continue;
    const seen = new Set<string>();
    const visit = function visitImports(from: Metafile["outputs"][string]): void {
      for (const imported of from.imports) {
        if (imported.external) continue;
        const chunk = rel(imported.path);
        const next = outputs.get(chunk);
        if (!next) throw new Error(`tsc-micro bug: ${file} imports ${chunk}, which esbuild did not write`);
        if (seen.has(chunk)) continue;
        seen.add(chunk);
        visitImports(next);
      }
    };
    visit(output);
    closure[file] = [...seen].sort();
  }
  return closure;
}
