import { DiagnosticCode, error } from "../diagnostics/diagnostic.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { TaggedFunction } from "../scan/types.js";
import { serviceNameOf } from "./naming.js";

/** How functions are grouped into services: by tag, by configuration, or all in one. */
export interface GroupingOptions {
  /** `split` (default): one service per `service=` name; `monolith`: every function in one service. */
  mode?: "split" | "monolith";
  /** Name of the one service in monolith mode. Default `monolith`. */
  monolithName?: string;
  /** Groups of service names built as one service, named after the group's first member. */
  colocate?: readonly (readonly string[])[];
}

/**
 * Decides which service each tagged function belongs to. A function's own
 * service name is `service=`/`name=` on its tag, else its name in kebab-case;
 * functions sharing a name are colocated. Configuration can then colocate
 * whole services, or put everything in one (monolith mode), without touching
 * the code. Returns function id → service name.
 */
export function groupServices(functions: readonly TaggedFunction[], options: GroupingOptions, diagnostics: Diagnostic[]): Map<string, string> {
  const serviceOf = new Map<string, string>();
  const byRoute = new Map<string, TaggedFunction>();
  const own = new Map<string, string>();
  for (const fn of functions) {
    const clash = byRoute.get(fn.name);
    if (clash) {
      diagnostics.push(
        error(
          DiagnosticCode.DuplicateRoute,
          `Two service functions are named '${fn.name}' (the other is in ${clash.file}); routes and generated clients use the function's name.`,
          fn.location,
          "Rename one of them.",
        ),
      );
      continue;
    }
    byRoute.set(fn.name, fn);
    if (fn.options.name !== undefined) own.set(fn.id, fn.options.name);
  }
  // Functions with no service= each get a service of their own, even when two names spell the same
  // (`fooBar`, `foo_bar`): the later in name order gets `-2`, so nothing is colocated by accident.
  const explicit = new Set(own.values());
  const implicit = functions.filter((fn) => byRoute.get(fn.name) === fn && fn.options.name === undefined).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const taken = new Set<string>();
  for (const fn of implicit) {
    const base = serviceNameOf(fn.name);
    let name = base;
    for (let i = 2; taken.has(name) || (explicit.has(name) && name !== base); i++) name = `${base}-${i}`;
    taken.add(name);
    own.set(fn.id, name);
  }
  const groupOf = new Map<string, string>();
  for (const group of options.colocate ?? []) for (const member of group) groupOf.set(member, group[0]!);
  const known = new Set(own.values());
  for (const name of groupOf.keys()) {
    if (!known.has(name)) {
      diagnostics.push(
        error(DiagnosticCode.ConfigInvalid, `colocate names service '${name}', which no @microservice function has.`, undefined, `Known services: ${[...known].sort().join(", ")}.`),
      );
    }
  }
  for (const [id, name] of own) {
    serviceOf.set(id, options.mode === "monolith" ? (options.monolithName ?? "monolith") : (groupOf.get(name) ?? name));
  }
  return serviceOf;
}
