/**
 * The builds of `tsc-micro dev --watch`. The first is a whole build; it keeps
 * its ts-morph project and the phases' data (BuildState). After a save:
 *
 * - one program file changed, inside one function's body: the incremental
 *   rebuild (body-rebuild.ts), which writes only the bundles holding that
 *   function, byte for byte what a whole build writes. TypeScript's type check
 *   and the state checks then run after the services restart (`check`), as
 *   `tsc --watch` reports errors after emitting;
 * - anything else (a signature, a tag, an import, several files, the
 *   configuration…): a whole build, type check first, on the kept project with
 *   the changed files refreshed (a new project when files came or went, or
 *   the tsconfig, the configuration file or package.json changed).
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import type { Project } from "ts-morph";
import { PACKAGE_DIR, buildKeepingState, builtResult } from "../build.js";
import type { BuildOptions, BuildResult } from "../build.js";
import { sortDiagnostics } from "../diagnostics/diagnostic.js";
import { relativeFile } from "../ast/locate.js";
import { unsafeOutDir } from "../package/write-output.js";
import { planProject } from "../plan-project.js";
import { programFiles } from "../scan/scan.js";
import { rebuildBody } from "./body-rebuild.js";
import type { Kept } from "./body-rebuild.js";

export interface Rebuilt {
  result: BuildResult;
  /**
   * `incremental`: one function's body changed and only what it can change was
   * made again; `full`: a whole build; `unchanged`: no source file differs
   * from what the last build read.
   */
  how: "incremental" | "full" | "unchanged";
  /** Why a change took the whole build. */
  why?: string;
  /** `incremental`: the file edited. */
  file?: string;
  /** `incremental`: the name of the top-level function (or class, or variable) whose body changed, when it has one. */
  function?: string;
  /** `incremental`: the services whose bundle was rewritten; the others' are as they were. */
  changed?: string[];
}

export interface Checked {
  /** The whole program's diagnostics after an incremental rebuild, as a build reports them. */
  result: BuildResult;
  /** The checks planned the program differently from the incremental rebuild (a bug if ever): build in full. */
  stale: boolean;
}

export interface WatchBuilder {
  /**
   * Builds again after the files at `paths` (absolute) changed; `"any"` when
   * the watcher could not tell which. Every program file is compared with what
   * the last build read, so a change the watcher missed is not lost.
   */
  rebuild(paths: ReadonlySet<string> | "any"): Promise<Rebuilt>;
  /** After an incremental rebuild: the checks it left out (TypeScript's, the state checks), on the whole program. */
  check(): Promise<Checked>;
}

/** Builds the program in full and returns the builder of the rebuilds that follow. */
export async function watchBuilder(options: BuildOptions): Promise<{ result: BuildResult; builder: WatchBuilder }> {
  // The program as the last successful build read it, where it lives, and that build's data.
  let program: { project: Project; rootDir: string; outDir: string } | undefined;
  let kept: Kept | undefined;

  async function whole(reuse: boolean): Promise<BuildResult> {
    const { result, state } = await buildKeepingState(options, reuse && program ? { project: program.project } : {});
    if (state) program = { project: state.planned.project, rootDir: state.planned.rootDir, outDir: state.planned.outDir };
    else if (!reuse) program = undefined; // a new project failed before it could be kept
    kept = state ? { state, result } : undefined;
    return result;
  }

  /** The program files whose text differs from the project's, or why the project cannot be kept. */
  function changedFiles(paths: ReadonlySet<string> | "any"): { files: string[] } | { structural: string } {
    if (!program) return { structural: "the last build did not read the program" };
    const { project, rootDir, outDir } = program;
    const sources = programFiles(project, { rootDir, exclude: [outDir] });
    const known = new Set(sources.map((sf) => path.resolve(sf.getFilePath())));
    if (paths === "any") return { structural: "the watcher could not tell which file changed" };
    for (const p of paths) {
      if (!known.has(path.resolve(p))) return { structural: `${relativeFile(rootDir, p)} is not a source file of the program` };
    }
    const files: string[] = [];
    for (const sf of sources) {
      const file = sf.getFilePath();
      if (!existsSync(file)) return { structural: `${relativeFile(rootDir, file)} was removed` };
      if (readFileSync(file, "utf8") !== sf.getFullText()) files.push(relativeFile(rootDir, file));
    }
    return { files };
  }

  const builder: WatchBuilder = {
    async rebuild(paths) {
      const found = changedFiles(paths);
      if ("structural" in found) return { how: "full", why: found.structural, result: await whole(false) };
      if (found.files.length === 0 && kept) return { how: "unchanged", result: kept.result };
      let why = kept ? `${found.files.length} files changed` : "there is no build to start from (the last one failed)";
      if (kept && found.files.length === 1) {
        const file = found.files[0]!;
        try {
          const incremental = await rebuildBody(kept, file, PACKAGE_DIR);
          if (incremental.ok) {
            kept = incremental.kept;
            return { how: "incremental", file, ...(incremental.function !== undefined ? { function: incremental.function } : {}), result: incremental.result, changed: incremental.changed };
          }
          why = incremental.why;
        } catch (e) {
          // A bug of the incremental path must not stop `dev`: the whole build still gets it right.
          why = `the incremental rebuild failed (${(e as Error).message})`;
        }
      }
      for (const file of found.files) program!.project.getSourceFileOrThrow(path.join(program!.rootDir, file)).refreshFromFileSystemSync();
      return { how: "full", why, result: await whole(true) };
    },

    async check() {
      const before = kept;
      if (!before || !program) throw new Error("tsc-micro bug: check() without an incremental rebuild before it");
      const planned = await planProject(options, { refuseOutDir: unsafeOutDir, project: program.project });
      const same = planned.plan !== undefined && isDeepStrictEqual(planned.plan, before.state.planned.plan);
      if (!same) kept = undefined; // the next rebuild is a whole one
      if (!planned.ok) {
        const result: BuildResult = { success: false, diagnostics: sortDiagnostics(planned.diagnostics), rootDir: planned.rootDir, outDir: planned.outDir, services: [], ...(planned.plan ? { plan: planned.plan } : {}) };
        return { result, stale: !same };
      }
      const result = builtResult(planned, before.state.bundled, sortDiagnostics(planned.diagnostics));
      // The checks' own reading of the program: exact where the incremental one carried data over.
      if (same) kept = { ...before, state: { ...before.state, planned }, result };
      return { result, stale: !same };
    },
  };

  const result = await whole(false);
  return { result, builder };
}
