import path from "node:path";
import type { Project, SourceFile } from "ts-morph";
import { relativeFile } from "../ast/locate.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { buildCallGraph } from "./call-graph.js";
import { findErrorClasses } from "./error-classes.js";
import { findTaggedFunctions } from "./find-tagged.js";
import { findNearMissTags } from "./near-miss-tags.js";
import { findTaggedOutsideProgram } from "./outside-program.js";
import { RUNTIME_PACKAGE } from "../emit/runtime-package.js";
import type { ScanResult } from "./types.js";

export interface ScanOptions {
  /** The project root: the folder of tsconfig.json. Paths in the result are relative to it. */
  rootDir: string;
  /** Absolute folders whose files are not part of the program (the output folder). */
  exclude?: readonly string[];
}

/**
 * Phase 1: finds the tagged functions and the program's call graph.
 * Reads the ts-morph project; returns plain data and diagnostics.
 */
export function scan(project: Project, options: ScanOptions): ScanResult {
  const sourceFiles = programFiles(project, options);
  const diagnostics: Diagnostic[] = [];
  const functions = sourceFiles.flatMap((sf) => findTaggedFunctions(options.rootDir, sf, diagnostics));
  // Nothing silently ignored: tags that were almost right, and tags in files the program leaves out.
  diagnostics.push(...sourceFiles.flatMap((sf) => findNearMissTags(options.rootDir, sf)));
  diagnostics.push(...taggedOutsideProgram(project, options));
  const { contexts, references, namesInUse } = buildCallGraph(options.rootDir, sourceFiles);
  return {
    files: sourceFiles.map((sf) => relativeFile(options.rootDir, sf)),
    functions,
    errorClasses: findErrorClasses(options.rootDir, sourceFiles),
    contexts,
    references,
    namesInUse,
    // A plain text search, on purpose: a comment or a string counts too, and that only errs on the safe side.
    ...(sourceFiles.some((sf) => sf.getFullText().includes(RUNTIME_PACKAGE)) ? { importsRuntime: true } : {}),
    diagnostics,
  };
}

/** The program's own source files: inside the root, not declarations, not dependencies or output. */
export function programFiles(project: Project, options: ScanOptions): SourceFile[] {
  const exclude = (options.exclude ?? []).map((d) => path.resolve(d) + path.sep);
  return project
    .getSourceFiles()
    .filter((sf) => {
      const file = sf.getFilePath();
      const rel = relativeFile(options.rootDir, sf);
      return (
        !sf.isDeclarationFile() &&
        !rel.startsWith("..") &&
        !rel.split("/").includes("node_modules") &&
        !exclude.some((d) => file.startsWith(d))
      );
    })
    .sort((a, b) => a.getFilePath().localeCompare(b.getFilePath()));
}

/** Tagged functions in the project folder's .ts files that the tsconfig does not include. */
function taggedOutsideProgram(project: Project, options: ScanOptions): Diagnostic[] {
  const compilerOptions = project.getCompilerOptions();
  const tsconfig = typeof compilerOptions.configFilePath === "string" ? compilerOptions.configFilePath : undefined;
  // Without a tsconfig on disk (an in-memory project) there is no folder to compare with.
  if (!tsconfig) return [];
  const exclude = [...(options.exclude ?? []), ...(compilerOptions.outDir ? [compilerOptions.outDir] : [])];
  const programFiles = new Set(project.getSourceFiles().map((sf) => path.resolve(sf.getFilePath())));
  return findTaggedOutsideProgram({ rootDir: options.rootDir, programFiles, exclude, tsconfig });
}
