/**
 * `tsc-micro check` as text and as JSON: the breaking changes as tsc-style
 * diagnostics, then the compatible ones with the deploy order they need,
 * then one line of totals. The library returns data (check.ts); this is its
 * printing, kept out of the CLI so tests and tools print the same.
 */
import path from "node:path";
import { formatDiagnostics } from "../diagnostics/format.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { CheckResult } from "./check.js";
import type { Change } from "./types.js";

export interface ReportOptions {
  /** Paths print relative to this folder, as tsc prints them. */
  cwd: string;
  /** Colours and code frames (a terminal). */
  color?: boolean;
  readFile?: (file: string) => string | undefined;
}

/** The human report. Diagnostics (breaking changes, the project's problems) are what goes to stderr; the rest to stdout. */
export function formatCheckReport(result: CheckResult, options: ReportOptions): { diagnostics: string; summary: string } {
  const shown = result.diagnostics.map((d) => (d.file ? { ...d, file: where(options.cwd, result.rootDir, d.file) } : d));
  const diagnostics = shown.length > 0 ? formatDiagnostics(shown, { ...(options.color ? { color: true } : {}), ...(options.readFile ? { readFile: options.readFile } : {}) }) : "";
  if (!result.checked) return { diagnostics, summary: "" };
  const compatible = result.changes.filter((c) => !c.breaking && c.kind !== "error-class-removed");
  const lines: string[] = [];
  if (compatible.length > 0) {
    lines.push(`Compatible with callers built before this change (${compatible.length}):`);
    for (const c of compatible) lines.push(`  ${c.location ? `${at(options.cwd, result.rootDir, c)}: ` : ""}${c.message}`);
    const first = [...new Set(compatible.filter((c) => c.breaks.includes("new-callers")).map((c) => c.service))].sort();
    if (first.length > 0) {
      lines.push("", `Callers built with this change may rely on it only once its service runs this build: deploy ${list(first)} before the services and programs that call ${first.length === 1 ? "it" : "them"}.`);
    }
    lines.push("");
  }
  const breaking = result.changes.filter((c) => c.breaking).length;
  const against = path.relative(options.cwd, result.against ?? "") || ".";
  const counts = `${plural(result.compared.services, "service")}, ${plural(result.compared.functions, "function")} checked against ${against.split(path.sep).join("/")}`;
  lines.push(breaking > 0 ? `${plural(breaking, "breaking change")}, ${compatible.length} compatible: ${counts}.` : `No breaking change (${compatible.length} compatible): ${counts}.`);
  return { diagnostics, summary: `${lines.join("\n")}\n` };
}

/** The machine report (`--json`): every change, with paths as the report above prints them. */
export function formatCheckJson(result: CheckResult, cwd: string): string {
  const relative = (d: Diagnostic) => (d.file ? { ...d, file: where(cwd, result.rootDir, d.file) } : d);
  return `${JSON.stringify(
    {
      checked: result.checked,
      compatible: result.compatible,
      ...(result.against ? { against: path.relative(cwd, result.against).split(path.sep).join("/") } : {}),
      compared: result.compared,
      changes: result.changes.map((c) => (c.location ? { ...c, location: { ...c.location, file: where(cwd, result.rootDir, c.location.file) } } : c)),
      diagnostics: result.diagnostics.map(relative),
    },
    null,
    2,
  )}\n`;
}

function at(cwd: string, rootDir: string, c: Change): string {
  const l = c.location!;
  return `${where(cwd, rootDir, l.file)}(${l.line},${l.column})`;
}

/** A project-relative path as seen from `cwd`. */
function where(cwd: string, rootDir: string, file: string): string {
  return path.relative(cwd, path.join(rootDir, file)).split(path.sep).join("/");
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

function list(names: readonly string[]): string {
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

/** The exit code of `tsc-micro check`: 0 when no change breaks callers of the previous build, 1 otherwise (or when nothing could be compared). */
export function checkExitCode(result: CheckResult): 0 | 1 {
  return result.checked && result.compatible ? 0 : 1;
}
