/**
 * The incremental rebuild after an edit of one function's body, from what the
 * previous build kept (BuildState): nothing that decides the split changed,
 * so the plan is the previous one with the file's offsets moved; the
 * rewritten file is emitted again for the bundles that read it; only the
 * bundles holding the function are bundled again (rebundle.ts) and written
 * over the output folder's. The result is what the whole build writes, file
 * for file; whenever that cannot be shown (see each `no(…)`), the caller
 * builds in full.
 *
 * Left out, for the caller to run after the services restart (WatchBuilder.check):
 * TypeScript's type check and the state checks (plan/state/), which read the
 * whole program and judge the plan without changing it.
 */
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import type { SourceFile } from "ts-morph";
import { builtResult } from "../build.js";
import type { BuildResult, BuildState } from "../build.js";
import { isService } from "../bundle/bundle.js";
import { rewriteSource } from "../emit/rewrite-source.js";
import { model } from "../model/model.js";
import { plan } from "../plan/plan.js";
import type { ModelResult } from "../model/model.js";
import { programFiles } from "../scan/scan.js";
import { relativeFile } from "../ast/locate.js";
import { affectedBundles, filesIn, indexBundles } from "./affected-bundles.js";
import type { BundleIndex } from "./affected-bundles.js";
import { bodyEdit } from "./body-edit.js";
import { fileScanOf, functionNamesOf, scanFile, spliceFileScan } from "./file-scan.js";
import { moveOffsets, withoutLines } from "./move-offsets.js";
import { rebundle } from "./rebundle.js";
import { textChange } from "./text-change.js";

/** Past this many services holding the edited function, a partial bundle saves little over the whole one. */
const MAX_REBUNDLED = 64;

/** What the watch builder keeps between rebuilds (see watch-builder.ts). */
export interface Kept {
  state: BuildState;
  result: BuildResult;
  /** The function names each program file declares (call-graph.ts), made on the first incremental rebuild. */
  names?: Map<string, string[]>;
  /** What each service's bundle holds, read on the first incremental rebuild. */
  bundles?: BundleIndex;
}

export type BodyRebuild =
  | { ok: true; kept: Kept; result: BuildResult; /** Services whose bundle was rewritten. */ changed: string[]; /** The edited declaration's name. */ function?: string }
  | { ok: false; why: string };

/**
 * `file` (project-relative) changed on disk and is the only program file
 * that did. Refreshes it in the kept project whatever the outcome (a full
 * build after a refusal reads it from there).
 */
export async function rebuildBody(kept: Kept, file: string, runtimeDir: string): Promise<BodyRebuild> {
  const no = (why: string): BodyRebuild => ({ ok: false, why });
  const { planned, emitted, bundled } = kept.state;
  const { project, rootDir, outDir, settings } = planned;
  const sourceFile = project.getSourceFileOrThrow(path.join(rootDir, file));
  const before = sourceFile.getFullText();
  const after = readFileSync(path.join(rootDir, file), "utf8");
  sourceFile.refreshFromFileSystemSync();
  if (sourceFile.getFullText() !== after) return no(`${file} changed again meanwhile`);
  const change = textChange(before, after);
  if (!change) return no(`${file} did not change`);
  if (settings.minify) return no("the bundles are minified (their names are not the program's)");
  const edit = bodyEdit(file, before, after, change);
  if (!edit.ok) return no(edit.why);
  if (project.getProgram().getSyntacticDiagnostics(sourceFile).length > 0) return no(`${file} has a syntax error`);

  // What the scan finds in the file must be what it found before, moved with the text.
  const names = kept.names ?? namesByFile(project, planned);
  names.set(file, functionNamesOf(sourceFile));
  const fresh = scanFile(rootDir, sourceFile, new Set([...names.values()].flat().concat("default")));
  const old = fileScanOf(planned.scanned, file, before);
  if (old.diagnostics.length > 0 || fresh.diagnostics.length > 0) return no(`${file} has diagnostics about its tags`);
  const moved = moveOffsets(old, file, change);
  if (!moved || !isDeepStrictEqual(withoutLines(moved), withoutLines(fresh))) return no("the edit changes calls between functions, callbacks or tags");
  const scanned = spliceFileScan(planned.scanned, file, fresh, change);
  if (!scanned) return no("the edit moves a call the plan rewrites");

  const modelled = movedModel(planned.modelled, file, change);
  if (!modelled) return no("the edit is inside a function the model locates");
  if (!edit.returnTyped) {
    // An inferred return type follows the body: the signatures must come out as before.
    const again = model(project, rootDir, scanned.functions, { allowAny: settings.allowAny ?? false });
    if (!isDeepStrictEqual(again.functions, modelled.functions) || !isDeepStrictEqual(again.components, modelled.components)) return no("the edit changes an inferred return type");
  }
  // The plan moves with the text, unless a span it rewrites around (a remote call, a compound
  // assignment) holds the edit: the order of edits at one place follows spans' lengths. Then plan again.
  const nextPlan = spansKept(old, fresh) ? moveOffsets(planned.plan, file, change) : plan(scanned, modelled, planned.planOptions).plan;
  if (!nextPlan) return no("the edit touches a call the plan rewrites");

  // Emit: only the rewritten file's text changed, in each bundle that reads it rewritten.
  const sources = { ...emitted.sources };
  const bundles = [...nextPlan.services.map((s) => ({ bundle: s.name, rewrites: s.rewrites })), ...nextPlan.entries.map((e) => ({ bundle: `entry.${e.name}`, rewrites: e.rewrites }))];
  for (const { bundle, rewrites } of bundles) {
    const rewrite = rewrites.find((r) => r.file === file);
    if (rewrite) sources[bundle] = { ...sources[bundle], [file]: rewriteSource(after, rewrite) };
  }
  const nextEmitted = { ...emitted, sources };

  const index = kept.bundles ?? indexBundles(outDir, nextPlan.services.map((s) => s.name));
  const alone = emitted.entries.filter((e) => !isService(e)).map((e) => ({ bundle: e.service, output: `${e.out}${e.runtime === "external" ? ".js" : ".mjs"}` }));
  const affected = affectedBundles(outDir, index, file, edit.name, alone);
  if (affected.services.length > MAX_REBUNDLED) return no(`${affected.services.length} services hold the edited function`);
  const current = (rel: string): string => readFileSync(path.join(outDir, rel), "utf8");
  const made = await rebundle({
    emitted: nextEmitted,
    options: { rootDir, runtimeDir, programFiles: scanned.files, ...(settings.minify !== undefined ? { minify: settings.minify } : {}) },
    whole: bundled,
    services: affected.services,
    alone: affected.alone,
    current,
  });
  if (!made.ok) return no(made.why);

  const sizes = { ...bundled.sizes };
  const written = writeChanged(outDir, made.files);
  for (const rel of written) sizes[rel] = made.files[rel]!.length;
  const changed = nextPlan.services.map((s) => s.name).filter((s) => written.includes(`services/${s}/index.mjs`));
  const nextIndex = new Map(index);
  for (const s of changed) nextIndex.set(s, filesIn(new TextDecoder().decode(made.files[`services/${s}/index.mjs`]), s));

  const nextPlanned = { ...planned, scanned, modelled, plan: nextPlan };
  const state: BuildState = { planned: nextPlanned, emitted: nextEmitted, bundled: { chunks: bundled.chunks, sizes } };
  // Diagnostics come from the check that follows (they need the whole program).
  const result = builtResult(nextPlanned, state.bundled, []);
  return { ok: true, kept: { state, result, names, bundles: nextIndex }, result, changed, ...(edit.name !== undefined ? { function: edit.name } : {}) };
}

/** Whether every span of the file's call graph (calls, array callbacks, compound assignments, immediately invoked functions) kept its length. */
function spansKept(before: unknown, after: unknown): boolean {
  if (Array.isArray(before)) return Array.isArray(after) && before.length === after.length && before.every((x, i) => spansKept(x, after[i]));
  if (before === null || typeof before !== "object") return true;
  const a = before as Record<string, unknown>;
  const b = after as Record<string, unknown>;
  for (const [from, to] of [["start", "end"], ["callStart", "callEnd"]] as const) {
    if (typeof a[from] === "number" && typeof a[to] === "number" && (a[to] as number) - (a[from] as number) !== (b[to] as number) - (b[from] as number)) return false;
  }
  return Object.keys(a).every((k) => spansKept(a[k], b[k]));
}

/** The function names of every program file (call-graph.ts), kept per file so that a rescan of one reuses the others'. */
function namesByFile(project: BuildState["planned"]["project"], planned: BuildState["planned"]): Map<string, string[]> {
  const files: SourceFile[] = programFiles(project, { rootDir: planned.rootDir, exclude: [planned.outDir] });
  return new Map(files.map((sf) => [relativeFile(planned.rootDir, sf), functionNamesOf(sf)]));
}

/** The model with the file's function ids moved; undefined if one lies in the edit (it cannot: ids are where functions start). */
function movedModel(modelled: ModelResult, file: string, change: Parameters<typeof moveOffsets>[2]): ModelResult | undefined {
  const functions = moveOffsets(Object.values(modelled.functions), file, change);
  if (!functions) return undefined;
  return { ...modelled, functions: Object.fromEntries(functions.map((f) => [f.id, f])) };
}

/** Writes the files whose bytes differ from the output folder's (each replaced at once: a new file renamed over the old); returns them. */
function writeChanged(outDir: string, files: Readonly<Record<string, Uint8Array>>): string[] {
  const written: string[] = [];
  for (const [rel, bytes] of Object.entries(files)) {
    const target = path.join(outDir, rel);
    let same = false;
    try {
      same = Buffer.from(bytes).equals(readFileSync(target));
    } catch {
      // not there: written below
    }
    if (same) continue;
    const temporary = `${target}.tsc-micro-${process.pid}`;
    writeFileSync(temporary, bytes);
    renameSync(temporary, target);
    written.push(rel);
  }
  return written;
}
