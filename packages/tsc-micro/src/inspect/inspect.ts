import type { BuildOptions } from "../build.js";
import { sortDiagnostics } from "../diagnostics/diagnostic.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { planProject } from "../plan-project.js";
import type { InspectView } from "./types.js";
import { inspectView } from "./view.js";

export interface InspectOptions extends Pick<BuildOptions, "project" | "cwd" | "config" | "mode" | "monolithName" | "colocate" | "allowAny" | "services" | "entry"> {
  /** Report TypeScript's own errors in the program first, as `build` does. Default false: the plan does not depend on them. */
  typeCheck?: boolean;
}

export interface InspectResult {
  /** The project planned without errors: `view` is set. */
  success: boolean;
  /** Its problems (warnings only when it succeeded), sorted as `build` sorts them. */
  diagnostics: Diagnostic[];
  rootDir: string;
  view?: InspectView;
}

/**
 * The plan of the project as `build` would make it, without emitting,
 * bundling or writing anything: services and their functions, calls that
 * cross the network or stay local, and the async the rewrite inserts (see
 * inspect/view.ts). The configuration file applies as it does to `build`.
 */
export async function inspect(options: InspectOptions = {}): Promise<InspectResult> {
  const planned = await planProject({ ...options, typeCheck: options.typeCheck ?? false });
  if (!planned.ok) return { success: false, diagnostics: sortDiagnostics(planned.diagnostics), rootDir: planned.rootDir };
  return { success: true, diagnostics: sortDiagnostics(planned.diagnostics), rootDir: planned.rootDir, view: inspectView(planned.scanned, planned.plan) };
}
