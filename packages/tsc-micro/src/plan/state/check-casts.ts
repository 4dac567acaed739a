import { DiagnosticCode, warning } from "../../diagnostics/diagnostic.js";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import type { TaggedFunction } from "../../scan/types.js";
import type { RemoteCall } from "./processes.js";
import { callKey } from "./types.js";
import type { StateFacts } from "./types.js";

/**
 * Casts at a network boundary. In the monolith `f(x as Order)` only asserts a
 * type: whatever `x` holds reaches `f`. Over the network the service validates
 * the request against `f`'s parameter types, so a value the monolith accepted
 * may be refused (400). A warning (TSM3104) at each cast argument of a remote call.
 */
export function checkCasts(calls: readonly RemoteCall[], facts: StateFacts, functions: ReadonlyMap<string, TaggedFunction>): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const { ref, to } of calls) {
    const callee = functions.get(ref.calleeId);
    const call = facts.calls[callKey(ref.file, ref.start)];
    if (!callee || !call) continue;
    for (const arg of call.arguments) {
      const param = callee.params[arg.index]?.name ?? `#${arg.index + 1}`;
      for (const cast of arg.casts) {
        diagnostics.push(
          warning(
            DiagnosticCode.CastAtBoundary,
            `'${cast.text}' is passed to parameter '${param}' of '${callee.name}', which becomes a network call to service '${to}': ` +
              `the service validates the value against the parameter's type, which the cast only asserted, so a value the monolith accepted may be refused (400).`,
            cast.location,
            `Check or convert the value before the call (a type guard or a parse function) instead of casting it.`,
          ),
        );
      }
    }
  }
  return diagnostics;
}
