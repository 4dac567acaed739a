import type { Plan } from "../types.js";
import type { Reference, ScanResult } from "../../scan/types.js";

/** One process of the split program: a service, or an entry point. */
export interface Process {
  /** For messages: `service 'orders'`, `entry point 'main' (src/main.ts)`. */
  label: string;
  /** The name calls are compared against: the service's name, or `entry.<name>`. */
  service: string;
  /** For an entry point: its file's top level, the one module top level that runs as program code. */
  root?: string;
  /** Scopes whose code runs in this process as program code (call-graph ids). */
  reached: ReadonlySet<string>;
  /** Scopes in this process's bundle: `reached`, plus the top level of every module it loads (its calls run there too). */
  bundled: ReadonlySet<string>;
}

/** A call of a service function that goes over the network in at least one process. */
export interface RemoteCall {
  ref: Reference;
  /** The processes the call is made from, over the network. */
  from: Process[];
  /** The service that serves the callee. */
  to: string;
}

/**
 * The processes of a plan and the scopes each one runs: from a service's own
 * functions (or an entry's top level), through calls and references that stay
 * in the process, into nested scopes (callbacks, closures, class members).
 *
 * Unlike the bundler's view (plan/rewrites.ts), the top level of other modules
 * is not followed: it runs the same way in every process that loads the
 * module, so it is where each copy of the state starts, not a use of it.
 */
export function processesOf(scan: ScanResult, plan: Plan): { processes: Process[]; serviceOf: Map<string, string> } {
  const serviceOf = new Map<string, string>();
  for (const s of plan.services) for (const r of s.routes) serviceOf.set(r.functionId, s.name);
  const byContext = groupBy(scan.references, (r) => r.contextId);
  const children = groupBy(Object.values(scan.contexts), (c) => c.parentId ?? "");
  const reach = (roots: readonly string[], service: string, withModules: boolean): Set<string> => {
    const reached = new Set<string>();
    const queue = [...roots];
    while (queue.length > 0) {
      const id = queue.pop()!;
      if (reached.has(id)) continue;
      reached.add(id);
      if (withModules) queue.push(`${id.slice(0, id.lastIndexOf(":"))}:module`);
      for (const inner of children.get(id) ?? []) {
        if (!id.endsWith(":module") || inner.callbackOf !== undefined || inner.iife) queue.push(inner.id);
      }
      for (const ref of byContext.get(id) ?? []) {
        const owner = serviceOf.get(ref.calleeId);
        if (owner === undefined || owner === service) queue.push(ref.calleeId);
      }
    }
    return reached;
  };
  const processes: Process[] = [
    ...plan.services.map((s) => {
      const roots = s.routes.map((r) => r.functionId);
      return { label: `service '${s.name}'`, service: s.name, reached: reach(roots, s.name, false), bundled: reach(roots, s.name, true) };
    }),
    ...plan.entries.map((e) => {
      const root = `${e.file}:module`;
      const service = `entry.${e.name}`;
      return { label: `entry point '${e.name}' (${e.file})`, service, root, reached: reach([root], service, false), bundled: reach([root], service, true) };
    }),
  ];
  return { processes, serviceOf };
}

/** Calls of service functions that a process's bundle makes over the network (module top levels included), each once, in source order. */
export function remoteCalls(scan: ScanResult, processes: readonly Process[], serviceOf: ReadonlyMap<string, string>): RemoteCall[] {
  const calls = new Map<Reference, RemoteCall>();
  for (const ref of scan.references) {
    const to = serviceOf.get(ref.calleeId);
    if (ref.kind !== "call" || to === undefined) continue;
    for (const p of processes) {
      if (p.service === to || !p.bundled.has(ref.contextId)) continue;
      const call = calls.get(ref) ?? calls.set(ref, { ref, from: [], to }).get(ref)!;
      call.from.push(p);
    }
  }
  return [...calls.values()].sort((a, b) => a.ref.file.localeCompare(b.ref.file) || a.ref.start - b.ref.start);
}

/** The processes that run a use in the given scopes (see {@link StateAccess.scopes}). */
export function processesRunning(scopes: readonly string[], processes: readonly Process[]): Process[] {
  const top = scopes.length === 1 && scopes[0]!.endsWith(":module") ? scopes[0] : undefined;
  return processes.filter((p) => (top ? p.root === top : scopes.some((s) => p.reached.has(s))));
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) (map.get(key(item)) ?? map.set(key(item), []).get(key(item))!).push(item);
  return map;
}
