import { DiagnosticCode, error, warning } from "../../diagnostics/diagnostic.js";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { PER_PROCESS_TAG } from "./per-process.js";
import { processesRunning } from "./processes.js";
import type { Process } from "./processes.js";
import type { ModuleBinding, StateAccess } from "./types.js";

/** How many uses a message lists before it says "and N more". */
const MAX_LISTED = 6;

/**
 * Module state a split cannot share. In the monolith, a module-level binding
 * exists once; in the split program every process that loads its module has
 * its own copy. A binding that the program changes (reassigns, or whose
 * contents it changes) and that is used from more than one process would
 * then hold different values in different processes: an error (TSM3101).
 * Where the analysis cannot tell whether it is changed, a warning (TSM3103).
 *
 * A module's own top level (its initialisation, run alike by every process
 * that loads it) is neither a change nor a use; an entry point's top level is
 * program code and is both.
 */
export function checkSharedState(bindings: readonly ModuleBinding[], processes: readonly Process[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const binding of bindings) {
    if (binding.perProcess) continue;
    const uses = binding.accesses
      .map((access) => ({ access, processes: processesRunning(access.scopes, processes) }))
      .filter((u) => u.processes.length > 0);
    const involved = new Set(uses.flatMap((u) => u.processes));
    if (involved.size < 2) continue;
    const changes = uses.filter((u) => u.access.kind === "write" || u.access.kind === "mutate");
    const open = uses.filter((u) => u.access.kind === "undecided");
    if (changes.length > 0) {
      diagnostics.push(
        error(
          DiagnosticCode.SharedModuleState,
          `Module state '${binding.name}' is changed, and used in ${involved.size} processes that each get their own copy: ${listUses(uses, processes)}. ` +
            `A change made in one process is not seen in the others, as it was in the monolith.`,
          binding.location,
          capitalised(fixes(binding, [...involved])),
        ),
      );
    } else if (open.length > 0) {
      const first = open[0]!.access;
      diagnostics.push(
        warning(
          DiagnosticCode.SharedStateUndecided,
          `tsc-micro cannot tell whether module state '${binding.name}' (${binding.file}:${binding.location.line}) is changed: ${open
            .slice(0, MAX_LISTED)
            .map((u) => `${u.access.detail} (${where(u.access)})`)
            .join("; ")}${more(open.length)}. It is used in ${involved.size} processes that each get their own copy: ${listUses(uses, processes)}.`,
          first.location,
          `If it is changed: ${fixes(binding, [...involved])}`,
        ),
      );
    }
  }
  return diagnostics;
}

/** `service 'orders': createOrder changes it (src/shop.ts:12); service 'lookup': findOrder reads it (src/shop.ts:18)` */
function listUses(uses: readonly { access: StateAccess; processes: Process[] }[], processes: readonly Process[]): string {
  const parts: string[] = [];
  let listed = 0;
  // Processes in the order of their first use in the source, so the message reads like the code.
  const order = (p: Process): number => uses.findIndex((u) => u.processes.includes(p));
  for (const p of processes.filter((x) => order(x) >= 0).sort((a, b) => order(a) - order(b))) {
    const mine = uses.filter((u) => u.processes.includes(p));
    if (mine.length === 0) continue;
    const shown = mine.slice(0, Math.max(1, MAX_LISTED - listed));
    listed += shown.length;
    parts.push(`${p.label}: ${shown.map((u) => describe(u.access)).join(", ")}${more(mine.length, shown.length)}`);
  }
  return parts.join("; ");
}

/** `createOrder changes it (orders.set(id, order) at src/shop.ts:12)` */
function describe(access: StateAccess): string {
  switch (access.kind) {
    case "write":
      return `${access.scopeName} assigns it (${access.detail} at ${where(access)})`;
    case "mutate":
      return `${access.scopeName} changes it (${access.detail} at ${where(access)})`;
    case "undecided":
      return `${access.scopeName} passes it on (${where(access)})`;
    default:
      return `${access.scopeName} reads it (${where(access)})`;
  }
}

function where(access: StateAccess): string {
  return `${access.location.file}:${access.location.line}`;
}

function more(total: number, shown = MAX_LISTED): string {
  return total > shown ? ` and ${total - shown} more` : "";
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** What to do, as a sentence that starts in lower case. */
function fixes(binding: ModuleBinding, involved: readonly Process[]): string {
  const services = involved.filter((p) => p.root === undefined).map((p) => p.service);
  const entries = involved.filter((p) => p.root !== undefined);
  const colocate =
    services.length > 1
      ? `keep the functions that use '${binding.name}' in one service (the same service= on their tags, or colocate: [[${services.map((s) => `"${s}"`).join(", ")}]] in tsc-micro.config.ts)`
      : `keep the functions that use '${binding.name}' in one service`;
  const entry = entries.length > 0 ? ` (an entry point always runs in its own process: let it call a service function that uses the state instead)` : "";
  return `${colocate}${entry}, or move the state into a store every process reaches (a database or a cache service). If each process may keep its own copy (a memo cache, a connection pool), mark the declaration /** @${PER_PROCESS_TAG} */.`;
}
