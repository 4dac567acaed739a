import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import type { ScanResult } from "../../scan/types.js";
import type { Plan } from "../types.js";
import { checkArguments } from "./check-arguments.js";
import { checkCasts } from "./check-casts.js";
import { checkSharedState } from "./check-shared-state.js";
import { processesOf, remoteCalls } from "./processes.js";
import type { StateFacts } from "./types.js";

/**
 * What a split cannot share, judged for one plan: module state used from
 * several processes (TSM3101), arguments a remote callee changes (TSM3102),
 * what the analysis cannot decide (TSM3103), and casts that reach a network
 * boundary (TSM3104). Pure: facts and plan in, diagnostics out.
 */
export function checkState(scan: ScanResult, facts: StateFacts, plan: Plan): Diagnostic[] {
  const { processes, serviceOf } = processesOf(scan, plan);
  const calls = remoteCalls(scan, processes, serviceOf);
  const functions = new Map(scan.functions.map((f) => [f.id, f]));
  return [...checkSharedState(facts.bindings, processes), ...checkArguments(calls, facts, functions), ...checkCasts(calls, facts, functions)];
}
