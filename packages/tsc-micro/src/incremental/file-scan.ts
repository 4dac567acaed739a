/**
 * The scan phase's findings that belong to one file, and a whole-program scan
 * with one file's findings replaced. A body edit is rescanned for its file
 * alone (tags, call graph, names in use: per-file walks), and the rest of the
 * previous scan is carried over, its references into the file moved with the
 * file's text.
 */
import type { SourceFile } from "ts-morph";
import { relativeFile } from "../ast/locate.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { RUNTIME_PACKAGE } from "../emit/runtime-package.js";
import { buildCallGraph, functionNames } from "../scan/call-graph.js";
import type { ErrorClass } from "../scan/error-classes.js";
import { findErrorClasses } from "../scan/error-classes.js";
import { findTaggedFunctions } from "../scan/find-tagged.js";
import { findNearMissTags } from "../scan/near-miss-tags.js";
import type { CallContext, Reference, ScanResult, TaggedFunction } from "../scan/types.js";
import { moveOffsets } from "./move-offsets.js";
import type { TextChange } from "./text-change.js";

export interface FileScan {
  functions: TaggedFunction[];
  /** The tag and near-miss diagnostics located in the file. */
  diagnostics: Diagnostic[];
  errorClasses: ErrorClass[];
  /** The call graph's scopes in the file, in the order the scan found them. */
  contexts: CallContext[];
  references: Reference[];
  namesInUse: string[];
  /** The text names @tsc-micro/runtime (see ScanResult.importsRuntime). */
  mentionsRuntime: boolean;
}

/** One file scanned as the whole-program scan does it (scan/scan.ts); `names`: the program's function names (call-graph.ts). */
export function scanFile(rootDir: string, sourceFile: SourceFile, names: ReadonlySet<string>): FileScan {
  const diagnostics: Diagnostic[] = [];
  const functions = findTaggedFunctions(rootDir, sourceFile, diagnostics);
  diagnostics.push(...findNearMissTags(rootDir, sourceFile));
  const graph = buildCallGraph(rootDir, [sourceFile], names);
  return {
    functions,
    diagnostics,
    errorClasses: findErrorClasses(rootDir, [sourceFile]),
    contexts: Object.values(graph.contexts),
    references: graph.references,
    namesInUse: graph.namesInUse[relativeFile(rootDir, sourceFile)] ?? [],
    mentionsRuntime: sourceFile.getFullText().includes(RUNTIME_PACKAGE),
  };
}

/** What a whole-program scan found in `file` (whose text was `text`). */
export function fileScanOf(scanned: ScanResult, file: string, text: string): FileScan {
  return {
    functions: scanned.functions.filter((f) => f.file === file),
    diagnostics: scanned.diagnostics.filter((d) => d.file === file),
    errorClasses: scanned.errorClasses.filter((c) => c.file === file),
    contexts: Object.values(scanned.contexts).filter((c) => c.file === file),
    references: scanned.references.filter((r) => r.file === file),
    namesInUse: scanned.namesInUse?.[file] ?? [],
    mentionsRuntime: text.includes(RUNTIME_PACKAGE),
  };
}

/** The names of functions each file declares (call-graph.ts resolves only identifiers with one of these names). */
export function functionNamesOf(sourceFile: SourceFile): string[] {
  return [...functionNames([sourceFile])];
}

/**
 * The whole-program scan after `file` changed by `change` and was rescanned
 * as `fresh`, which must hold what the old scan held there, moved (see
 * sameFindings). Other files' references to the file's functions are moved
 * with it; each file's findings keep their place, so the result is what a
 * scan of the whole program would find.
 */
export function spliceFileScan(scanned: ScanResult, file: string, fresh: FileScan, change: TextChange): ScanResult | undefined {
  const references = spliceRuns(scanned.references, (r) => r.file === file, fresh.references).map((r) => (r.file === file ? r : moveOffsets(r, file, change)));
  if (references.some((r) => r === undefined)) return undefined;
  const contexts = Object.fromEntries(spliceRuns(Object.values(scanned.contexts), (c) => c.file === file, fresh.contexts).map((c) => [c.id, c]));
  return {
    ...scanned,
    functions: spliceRuns(scanned.functions, (f) => f.file === file, fresh.functions),
    contexts,
    references: references as Reference[],
  };
}

/** `items` with the run of those `inFile` (found together, as a scan walks one file at a time) replaced by `fresh`. */
function spliceRuns<T>(items: readonly T[], inFile: (item: T) => boolean, fresh: readonly T[]): T[] {
  const first = items.findIndex(inFile);
  if (first < 0) {
    if (fresh.length > 0) throw new Error("tsc-micro bug: spliced findings into a file that had none");
    return [...items];
  }
  let end = first;
  while (end < items.length && inFile(items[end]!)) end++;
  if (items.slice(end).some(inFile)) throw new Error("tsc-micro bug: a file's findings are not together");
  return [...items.slice(0, first), ...fresh, ...items.slice(end)];
}
