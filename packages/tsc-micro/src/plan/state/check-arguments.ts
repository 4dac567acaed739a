import { DiagnosticCode, error, warning } from "../../diagnostics/diagnostic.js";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import type { TaggedFunction } from "../../scan/types.js";
import type { RemoteCall } from "./processes.js";
import { callKey } from "./types.js";
import type { StateFacts } from "./types.js";

/**
 * Arguments a split cannot share. In the monolith a service function that
 * changes its parameter's contents changes the caller's object; over the
 * network it changes a copy. When the caller reads the variable it passed
 * after the call, it sees the old value: an error (TSM3102) at the call.
 * Where the function passes its parameter on beyond what the analysis follows,
 * a warning (TSM3103).
 */
export function checkArguments(calls: readonly RemoteCall[], facts: StateFacts, functions: ReadonlyMap<string, TaggedFunction>): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const { ref, from, to } of calls) {
    const callee = functions.get(ref.calleeId);
    const call = facts.calls[callKey(ref.file, ref.start)];
    const params = facts.parameters[ref.calleeId];
    if (!callee || !call || !params) continue;
    const at = { file: ref.file, start: ref.start, length: ref.end - ref.start, line: ref.line, column: ref.column };
    const callers = from.map((p) => p.label).join(" and ");
    for (const arg of call.arguments) {
      const param = params[arg.index];
      const read = arg.variable?.laterRead;
      if (!param || !read || !arg.variable) continue;
      const later = `'${arg.variable.name}' is read afterwards (${read.text} at ${read.location.file}:${read.location.line})`;
      if (param.change) {
        diagnostics.push(
          error(
            DiagnosticCode.MutatedArgument,
            `'${callee.name}' changes its parameter '${param.name}' (${param.change.detail} at ${param.change.location.file}:${param.change.location.line}), ` +
              `but this call goes over the network from ${callers} to service '${to}', so it changes a copy: ${later} and still has the old value, where the monolith saw the change.`,
            at,
            `Return the changed value from '${callee.name}' and use it ('${arg.variable.name} = ${callee.name}(…)'), or keep the caller and '${callee.name}' in one service (the same service= on their tags, or colocate in tsc-micro.config.ts).`,
          ),
        );
      } else if (param.undecided) {
        diagnostics.push(
          warning(
            DiagnosticCode.SharedStateUndecided,
            `tsc-micro cannot tell whether '${callee.name}' changes its parameter '${param.name}': ${param.undecided.detail} (${param.undecided.location.file}:${param.undecided.location.line}). ` +
              `This call goes over the network from ${callers} to service '${to}', so any change is made to a copy, and ${later}.`,
            at,
            `If '${callee.name}' changes it, return the changed value and use it, or keep the caller and '${callee.name}' in one service.`,
          ),
        );
      }
    }
  }
  return diagnostics;
}
