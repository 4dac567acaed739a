import path from "node:path";
import type { Node, SourceFile } from "ts-morph";
import type { Location } from "../diagnostics/diagnostic.js";

/** Project-relative POSIX path of a source file: what diagnostics and plans carry. */
export function relativeFile(rootDir: string, file: SourceFile | string): string {
  const abs = typeof file === "string" ? file : file.getFilePath();
  return path.relative(rootDir, abs).split(path.sep).join("/");
}

/** The location of a node (or of [start, end) in its file), for diagnostics. */
export function locate(rootDir: string, node: Node, span?: { start: number; end: number }): Location {
  const sourceFile = node.getSourceFile();
  const start = span?.start ?? node.getStart();
  const end = span?.end ?? node.getEnd();
  const { line, column } = sourceFile.getLineAndColumnAtPos(start);
  return { file: relativeFile(rootDir, sourceFile), start, length: end - start, line, column };
}
