/**
 * What one bundle's code does with the tagged functions: every call of one in
 * the code the bundle holds (crossing the network or staying local), and the
 * functions the rewrite makes async, each with the call that makes it so.
 * Read from the plan's own edits (plan/rewrites.ts), so the view shows what the
 * build will do, not a second opinion of it.
 */
import { reachableScopes } from "../plan/rewrites.js";
import type { FileRewrite } from "../plan/types.js";
import type { CallContext, Reference, ScanResult } from "../scan/types.js";
import type { AsyncView, CallView } from "./types.js";

export interface Bundle {
  /** The service the bundle serves; undefined for an entry point (every tagged function is then remote). */
  service?: string;
  /** Where its code starts: the service's functions, or the entry file's top level. */
  roots: readonly string[];
  rewrites: readonly FileRewrite[];
}

export function bundleView(scan: ScanResult, serviceOf: ReadonlyMap<string, string>, bundle: Bundle): { calls: CallView[]; async: AsyncView[] } {
  const tagged = new Map(scan.functions.map((f) => [f.id, f]));
  const isRemote = (id: string) => tagged.has(id) && serviceOf.get(id) !== bundle.service;
  const reachable = reachableScopes(scan, bundle.roots, isRemote);
  const edits = new Set(bundle.rewrites.flatMap((r) => r.edits.map((e) => `${r.file}:${e.start}:${e.text}`)));
  const edited = (file: string, start: number, text: string) => edits.has(`${file}:${start}:${text}`);
  const awaitInserted = (r: Reference) =>
    r.arrayCallback ? [...edits].some((e) => e.startsWith(`${r.file}:${r.arrayCallback!.callStart}:(await `)) : edited(r.file, r.start, "(await ");
  const madeAsync = (c: CallContext) => c.asyncAt !== undefined && reachable.has(c.id) && edited(c.file, c.asyncAt, "async ");

  const refs = scan.references.filter((r) => reachable.has(r.contextId));
  const calls: CallView[] = refs
    .filter((r) => tagged.has(r.calleeId) && (r.kind === "call" || r.arrayCallback))
    .map((r) => {
      const network = isRemote(r.calleeId);
      const inserted = network && awaitInserted(r);
      return {
        file: r.file,
        line: r.line,
        column: r.column,
        from: scan.contexts[r.contextId]?.name ?? r.contextId,
        callee: tagged.get(r.calleeId)!.name,
        service: serviceOf.get(r.calleeId) ?? "",
        kind: network ? "network" : "local",
        await: inserted ? "inserted" : r.awaited ? "written" : "none",
      };
    });

  const asyncs: AsyncView[] = Object.values(scan.contexts)
    .filter(madeAsync)
    .map((ctx) => ({ file: ctx.file, line: ctx.line, column: ctx.column, function: ctx.name, ...reasonOf(ctx) }));

  /** The first call in `ctx` that the rewrite awaits, said in words. */
  function reasonOf(ctx: CallContext): Pick<AsyncView, "reason" | "because"> {
    const awaited = refs.filter((r) => r.contextId === ctx.id && awaitInserted(r)).sort((a, b) => a.start - b.start)[0];
    if (awaited) {
      const at = { file: awaited.file, line: awaited.line, column: awaited.column };
      const fn = tagged.get(awaited.calleeId);
      if (fn && isRemote(fn.id)) {
        const via = awaited.arrayCallback ? ` through '${awaited.arrayCallback.method}'` : "";
        return { reason: `calls '${fn.name}' over the network${via} (service ${serviceOf.get(fn.id)})`, because: { ...at, callee: fn.name } };
      }
      const callee = scan.contexts[awaited.calleeId]?.name ?? fn?.name ?? awaited.calleeId;
      return { reason: `awaits '${callee}', which becomes async here`, because: { ...at, callee } };
    }
    for (const inner of Object.values(scan.contexts)) {
      if (inner.arrayCallback?.contextId === ctx.id && madeAsync(inner)) {
        const site = inner.arrayCallback;
        return { reason: `awaits '${site.method}' over a callback that becomes async here`, because: { file: ctx.file, line: site.line, column: site.column, callee: site.method } };
      }
      if (inner.iife?.contextId === ctx.id && madeAsync(inner)) {
        return { reason: "awaits a function it calls in place, which becomes async here", because: { file: inner.iife.file, line: inner.iife.line, column: inner.iife.column, callee: inner.name } };
      }
    }
    return { reason: "awaits a call that becomes async here", because: { file: ctx.file, line: ctx.line, column: ctx.column, callee: ctx.name } };
  }

  const order = (a: { file: string; line: number; column: number }, b: { file: string; line: number; column: number }) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column);
  return { calls: calls.sort(order), async: asyncs.sort(order) };
}
