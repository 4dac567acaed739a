import path from "node:path";
import type { BuildOptions } from "../build.js";
import { DiagnosticCode, error, sortDiagnostics, warning } from "../diagnostics/diagnostic.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { exportedErrorClasses } from "../emit/client-errors.js";
import { mergedDocument } from "../emit/openapi.js";
import { planProject } from "../plan-project.js";
import { compareDocuments } from "./compare-documents.js";
import type { DocumentChange } from "./compare-documents.js";
import { locateChange } from "./locate-change.js";
import { readPreviousBuild } from "./previous-build.js";
import type { PreviousBuild } from "./previous-build.js";
import type { Change } from "./types.js";

export interface CheckOptions extends Pick<BuildOptions, "project" | "cwd" | "config" | "mode" | "monolithName" | "colocate" | "allowAny" | "services"> {
  /**
   * The previous build, the one deployed: its `openapi.json`, or its output
   * folder (whose `openapi.json` is read, and whose `clients/` tell the error
   * classes it exported), relative to `cwd`; or one already read.
   */
  against: string | PreviousBuild;
  /** Report TypeScript's own errors in the program first, as `build` does. Default false: the check compares what the program declares; the build that follows type-checks it. */
  typeCheck?: boolean;
}

export interface CheckResult {
  /** The comparison ran: the project planned without errors and the previous build could be read. */
  checked: boolean;
  /** It ran and no change breaks callers built from the previous build. */
  compatible: boolean;
  /** Every change, breaking or not, by service and function (see {@link Change}). */
  changes: Change[];
  /** The project's problems, one error per breaking change (TSM7001) and one warning per possibly breaking one (TSM7003). */
  diagnostics: Diagnostic[];
  rootDir: string;
  /** The previous build's document (absolute path) it was compared with. */
  against?: string;
  /** What the current project has: the services and functions compared. */
  compared: { services: number; functions: number };
}

/**
 * Compares the current project's services with a previous build's, for a
 * rolling deploy in which callers of either build meet services of the other:
 * plans the project (scan → model → plan, nothing written), makes its OpenAPI
 * document as `build` would, and compares every function's request and result
 * schemas with the previous document's (check/compare-documents.ts).
 */
export async function check(options: CheckOptions): Promise<CheckResult> {
  const cwd = options.cwd ?? process.cwd();
  const planned = await planProject({ ...options, typeCheck: options.typeCheck ?? false });
  const read = typeof options.against === "string" ? readPreviousBuild(path.resolve(cwd, options.against)) : { previous: options.against, diagnostics: [] };
  const failed = (diagnostics: Diagnostic[]): CheckResult => ({
    checked: false,
    compatible: false,
    changes: [],
    diagnostics: sortDiagnostics(diagnostics),
    rootDir: planned.rootDir,
    ...(read.previous ? { against: read.previous.file } : {}),
    compared: { services: 0, functions: 0 },
  });
  if (!planned.ok || !read.previous) return failed([...planned.diagnostics, ...read.diagnostics]);
  const { plan, project, rootDir, scanned } = planned;
  const previous = read.previous;
  const located = compareDocuments(previous.document, mergedDocument(plan), {
    ...(previous.errorClasses ? { oldErrorClasses: previous.errorClasses } : {}),
    newErrorClasses: exportedErrorClasses(plan.errorClasses, plan.services).map((c) => c.as),
  });
  const byName = new Map(scanned.functions.map((f) => [f.name, f]));
  const changes: (DocumentChange & { location?: Change["location"] })[] = located.map((c) => {
    const fn = byName.get(c.function);
    return fn ? { ...c, location: locateChange(project, rootDir, fn, c.position, c.segments) } : c;
  });
  const diagnostics = [...planned.diagnostics, ...changes.flatMap(diagnosticOf)];
  return {
    checked: true,
    compatible: !changes.some((c) => c.breaking),
    changes: changes.map(({ segments: _segments, hint: _hint, ...c }) => c),
    diagnostics: sortDiagnostics(diagnostics),
    rootDir,
    against: previous.file,
    compared: { services: plan.services.length, functions: plan.services.reduce((n, s) => n + s.routes.length, 0) },
  };
}

/** A breaking change as an error, an uncertain one as a warning, both with the two schema fragments. */
function diagnosticOf(c: DocumentChange & { location?: Change["location"] }): Diagnostic[] {
  const possibly = c.kind === "error-class-removed";
  if (!c.breaking && !possibly) return [];
  const fragments = c.position === "request" || c.position === "response" ? `\n  old: ${compact(c.old)}\n  new: ${compact(c.new)}` : "";
  const make = possibly ? warning : error;
  return [make(possibly ? DiagnosticCode.PossiblyBreakingChange : DiagnosticCode.BreakingChange, `${c.message}${fragments}`, c.location, c.hint)];
}

/** A fragment on one line, cut to a readable length (the --json report has it whole). */
function compact(v: unknown): string {
  if (v === undefined) return "(none)";
  const text = JSON.stringify(v);
  return text.length > 160 ? `${text.slice(0, 159)}…` : text;
}
