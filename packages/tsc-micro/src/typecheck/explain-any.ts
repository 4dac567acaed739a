/**
 * An 'any' in a service signature is often not the user's choice but
 * TypeScript's answer to an expression it could not type: `xs.includes(x)`
 * under `lib: ["es2015"]` is TS2550, and the inferred result becomes 'any'
 * (TSM2001). Both are reported — hiding the TSM2001 could hide a real 'any'
 * that happens to share a function with a TS error — but the TS errors are
 * listed first (sortDiagnostics) and the TSM2001 hint names the TS error that
 * most likely caused it, so the user fixes the cause, not the symptom.
 */
import path from "node:path";
import { Node } from "ts-morph";
import type { Project } from "ts-morph";
import { DiagnosticCode, sortDiagnostics } from "../diagnostics/diagnostic.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";

/**
 * Returns `diagnostics` with every TSM2001 "is 'any'" hint pointing at a TS
 * error: the first inside the same function, else the first in the same
 * file, else the first in the program. Unchanged when TypeScript reported no error.
 */
export function explainAny(diagnostics: readonly Diagnostic[], tsDiagnostics: readonly Diagnostic[], project: Project, rootDir: string): Diagnostic[] {
  const tsErrors = sortDiagnostics(tsDiagnostics.filter((d) => d.source === "ts" && d.category === "error"));
  if (tsErrors.length === 0) return [...diagnostics];
  return diagnostics.map((d) => {
    if (d.source === "ts" || d.code !== DiagnosticCode.UnsupportedType || !d.message.includes(" is 'any'")) return d;
    const cause = likelyCause(d, tsErrors, project, rootDir);
    const where = cause.file ? (cause.line ? `${cause.file}(${cause.line},${cause.column})` : cause.file) : "the compiler options";
    const hint = `TypeScript reports TS${cause.code} at ${where}; 'any' is what TypeScript gives what it cannot type, so fix that first. Otherwise: ${d.hint ?? ""}`.trimEnd();
    return { ...d, hint };
  });
}

function likelyCause(d: Diagnostic, tsErrors: readonly Diagnostic[], project: Project, rootDir: string): Diagnostic {
  const sameFile = tsErrors.filter((e) => e.file !== undefined && e.file === d.file);
  const span = d.file && d.start !== undefined ? enclosingFunction(project, path.join(rootDir, d.file), d.start) : undefined;
  const inside = span ? sameFile.find((e) => e.start !== undefined && e.start >= span.start && e.start < span.end) : undefined;
  return inside ?? sameFile[0] ?? tsErrors[0]!;
}

/** The span of the function (signature and body) around `pos`: where its inferred types come from. */
function enclosingFunction(project: Project, file: string, pos: number): { start: number; end: number } | undefined {
  const node = project.getSourceFile(file)?.getDescendantAtPos(pos);
  const fn = node && (Node.isFunctionLikeDeclaration(node) ? node : node.getFirstAncestor((n) => Node.isFunctionLikeDeclaration(n)));
  return fn ? { start: fn.getStart(), end: fn.getEnd() } : undefined;
}
