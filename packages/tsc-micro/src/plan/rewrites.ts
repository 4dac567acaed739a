import { DiagnosticCode, error } from "../diagnostics/diagnostic.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { ArrayCallSite, CallContext, CompoundAssignment, Reference, ScanResult } from "../scan/types.js";
import { compoundEdits } from "./compound-edits.js";
import { importNames } from "../ast/import-names.js";
import type { FileRewrite, TextEdit } from "./types.js";

/**
 * Decides how the program's source reads inside one service's bundle.
 *
 * A call to a tagged function of another service becomes a call of that
 * service's client. The client is async, so where the source function was
 * sync the call gets an `await` and its enclosing function becomes async; the
 * callers of that function in this bundle then get an `await` in turn, up to a
 * function that is already async, a service function (the server awaits it),
 * or a module's top level (ESM top-level await). A scope that cannot become
 * async is a diagnostic. Only code reachable from the service's own functions
 * is considered: the rest is not in the bundle.
 */
export function planRewrites(
  service: string,
  scan: ScanResult,
  serviceOf: ReadonlyMap<string, string>,
  diagnostics: Diagnostic[],
  roots?: readonly string[],
): { rewrites: FileRewrite[]; dependencies: string[] } {
  const tagged = new Map(scan.functions.map((f) => [f.id, f]));
  const isRemote = (id: string): boolean => tagged.has(id) && serviceOf.get(id) !== service;
  const start = roots ?? scan.functions.filter((f) => serviceOf.get(f.id) === service).map((f) => f.id);
  const reachable = reachableScopes(scan, start, isRemote);
  const refs = scan.references.filter((r) => reachable.has(r.contextId));
  const callersOf = groupBy(refs, (r) => r.calleeId);
  const edits = new Map<string, TextEdit[]>();
  const imports = new Map<string, Map<string, { service: string; name: string; alias: string }>>();
  /** The names the rewrite's imports take in each file: fresh, so no binding of the file can shadow them. */
  const names = importNames(scan.namesInUse ?? {});
  const helperFiles = new Set<string>();
  const arrayCalls = new Set<string>();
  const compounds = new Set<string>();
  const madeAsync = new Set<string>();
  /** Predicates that would have to become async: reported once each. */
  const refused = new Set<string>();
  const dependencies = new Set<string>();
  const edit = (file: string, e: TextEdit): void => void (edits.get(file) ?? edits.set(file, []).get(file)!).push(e);

  /** Wraps a call in `(await …)` so the caller gets the value, as in the monolith. */
  const awaitCall = (ref: Reference): void => {
    if (ref.awaited) return;
    if (ref.inParameter) {
      diagnostics.push(
        error(
          DiagnosticCode.CannotBecomeAsync,
          `In service '${service}', this call becomes a network call that must be awaited, but it is in a parameter's default value, where 'await' is not allowed.`,
          { file: ref.file, start: ref.start, length: ref.end - ref.start, line: ref.line, column: ref.column },
          "Default the parameter to undefined and compute the value in the body: 'b ??= f(a);'.",
        ),
      );
      return;
    }
    edit(ref.file, { start: ref.start, end: ref.start, text: "(await ", order: -(ref.end - ref.start) });
    edit(ref.file, { start: ref.end, end: ref.end, text: ")", order: ref.end - ref.start });
    readAfterAwait(ref.file, ref.compounds);
  };

  /** `total += (await f(x))` reads `total` after the await instead (see compoundEdits), once per assignment. */
  const readAfterAwait = (file: string, around: readonly CompoundAssignment[] | undefined): void => {
    for (const c of around ?? []) {
      if (compounds.has(`${file}:${c.start}`)) continue;
      compounds.add(`${file}:${c.start}`);
      for (const e of compoundEdits(c)) edit(file, e);
    }
  };

  /**
   * `xs.map(cb)` whose callback became async → `(await $tsmAsync.map(xs, cb))`:
   * the helper runs the callbacks in order and awaits each, as the monolith's sync
   * callbacks ran; the call's own scope must then be able to await.
   */
  const awaitArrayCall = (file: string, site: ArrayCallSite, callee: string): void => {
    const key = `${file}:${site.callStart}:${site.callEnd}`;
    if (arrayCalls.has(key)) return;
    arrayCalls.add(key);
    helperFiles.add(file);
    const span = site.callEnd - site.callStart;
    edit(file, { start: site.callStart, end: site.callStart, text: `(await ${names.helpers(file)}.${site.method}(`, order: -span });
    edit(file, { start: site.receiverEnd, end: site.firstArgStart, text: ", ", order: 0 });
    edit(file, { start: site.callEnd, end: site.callEnd, text: ")", order: span });
    readAfterAwait(file, site.compounds);
    requireAsync(site.contextId, { file, start: site.callStart, end: site.callEnd, line: site.line, column: site.column }, callee);
  };

  const requireAsync = (contextId: string, because: Pick<Reference, "file" | "start" | "end" | "line" | "column">, callee: string): void => {
    const ctx = scan.contexts[contextId]!;
    if (ctx.isAsync || madeAsync.has(contextId)) return;
    if (ctx.returnType?.predicate && !ctx.arrayCallback) {
      // `Promise<x is T>` is not TypeScript: narrowing needs the answer synchronously.
      if (!refused.has(contextId)) diagnostics.push(predicateCannotBecomeAsync(service, ctx, callee));
      refused.add(contextId);
      return;
    }
    const problem = whyNotAsync(ctx);
    if (problem) {
      diagnostics.push(
        error(
          DiagnosticCode.CannotBecomeAsync,
          `In service '${service}', the call to '${callee}' becomes a network call that must be awaited, but it is inside ${problem.what}, which cannot become async.`,
          { file: because.file, start: because.start, length: because.end - because.start, line: because.line, column: because.column },
          problem.hint,
        ),
      );
      return;
    }
    madeAsync.add(contextId);
    edit(ctx.file, { start: ctx.asyncAt!, end: ctx.asyncAt!, text: "async ", order: 0 });
    if (ctx.returnType && !/^Promise\s*</.test(ctx.returnType.text)) {
      // `xs.filter((x): x is T => …)`: the helper narrows nothing; the monolith's source was checked with the predicate.
      const result = ctx.returnType.predicate ? (ctx.returnType.predicate === "type" ? "boolean" : "void") : ctx.returnType.text;
      edit(ctx.file, { start: ctx.returnType.start, end: ctx.returnType.end, text: `Promise<${result}>`, order: 0 });
    }
    if (ctx.arrayCallback) awaitArrayCall(ctx.file, ctx.arrayCallback, callee);
    if (ctx.iife) {
      // `(() => f(x))()`: the call now returns a promise, so it is awaited in turn.
      const call = { ...ctx.iife, kind: "call" as const, calleeId: ctx.id, contextId: ctx.iife.contextId, calleeStart: ctx.iife.start, calleeEnd: ctx.iife.start, awaited: false };
      awaitCall(call);
      requireAsync(ctx.iife.contextId, call, callee);
    }
    for (const caller of callersOf.get(contextId) ?? []) {
      if (caller.kind === "value") {
        if (caller.arrayCallback) awaitArrayCall(caller.file, caller.arrayCallback, ctx.name);
        else diagnostics.push(valueUse(service, ctx.name, caller, `'${ctx.name}' becomes async in service '${service}' (it calls '${callee}' over the network)`));
        continue;
      }
      awaitCall(caller);
      requireAsync(caller.contextId, caller, ctx.name);
    }
  };

  for (const ref of refs) {
    if (!isRemote(ref.calleeId)) continue;
    const target = tagged.get(ref.calleeId)!;
    const targetService = serviceOf.get(target.id)!;
    if (ref.kind === "value" && !ref.arrayCallback) {
      diagnostics.push(valueUse(service, target.name, ref, `'${target.name}' is served by service '${targetService}'`));
      continue;
    }
    dependencies.add(targetService);
    const alias = names.client(ref.file, target.id, target.name);
    const fileImports = imports.get(ref.file) ?? imports.set(ref.file, new Map()).get(ref.file)!;
    fileImports.set(alias, { service: targetService, name: target.name, alias });
    edit(ref.file, { start: ref.calleeStart, end: ref.calleeEnd, text: alias, order: 0 });
    if (ref.kind === "value") {
      // `xs.map(isEven)`: the client function returns promises; the helper awaits each.
      awaitArrayCall(ref.file, ref.arrayCallback!, target.name);
    } else if (!target.isAsync) {
      awaitCall(ref);
      requireAsync(ref.contextId, ref, target.name);
    }
  }

  const files = [...new Set([...edits.keys(), ...imports.keys()])].sort();
  const rewrites = files.map((file) => ({
    file,
    edits: (edits.get(file) ?? []).sort((a, b) => a.start - b.start || a.order - b.order),
    imports: [...(imports.get(file)?.values() ?? [])].sort((a, b) => a.alias.localeCompare(b.alias)),
    ...(helperFiles.has(file) ? { asyncHelpers: names.helpers(file) } : {}),
  }));
  return { rewrites, dependencies: [...dependencies].sort() };
}

/**
 * Scopes whose code ends up in the service's bundle: its own functions, every
 * program function they reach through calls or references (not crossing into
 * other services), the scopes nested in those, and the top level of their files.
 */
export function reachableScopes(scan: ScanResult, roots: readonly string[], isRemote: (id: string) => boolean): Set<string> {
  const byContext = groupBy(scan.references, (r) => r.contextId);
  const children = groupBy(Object.values(scan.contexts), (c) => c.parentId ?? "");
  const reached = new Set<string>();
  const queue = [...roots];
  while (queue.length > 0) {
    const id = queue.pop()!;
    if (reached.has(id)) continue;
    reached.add(id);
    // The file's top level runs when the bundle loads; nested scopes (callbacks, closures) come along.
    queue.push(`${id.slice(0, id.lastIndexOf(":"))}:module`);
    // A module's own functions are reached only when called; but callbacks and immediately
    // invoked functions at its top level run when it loads.
    for (const inner of children.get(id) ?? []) {
      if (!id.endsWith(":module") || inner.callbackOf !== undefined || inner.iife) queue.push(inner.id);
    }
    for (const ref of byContext.get(id) ?? []) if (!isRemote(ref.calleeId)) queue.push(ref.calleeId);
  }
  return reached;
}

/** Why a scope cannot become async, with what to do instead; undefined when it can. */
function whyNotAsync(ctx: CallContext): { what: string; hint: string } | undefined {
  if (ctx.isGenerator) return { what: `the generator '${ctx.name}'`, hint: "Move the call out of the generator, or make it an async generator yourself." };
  switch (ctx.kind) {
    case "constructor":
      return { what: `the ${ctx.name}`, hint: "Constructors cannot be async: compute the value in an async factory function and pass it to the constructor." };
    case "getter":
    case "setter":
      return { what: `the ${ctx.kind} '${ctx.name}'`, hint: `Accessors cannot be async: turn '${ctx.name}' into an async method.` };
    case "static-block":
    case "class-field":
      return { what: `a class ${ctx.kind === "class-field" ? "field initializer" : "static block"}`, hint: "Initialise the field from an async function instead." };
    default:
      break;
  }
  if (ctx.escapes) {
    return {
      what: `a function that is passed on as a value (returned or stored)`,
      hint: "Whoever calls it later would get a promise: give it a name (const f = …) and call it by that name, or make it async yourself and await its calls.",
    };
  }
  if (ctx.callbackOf !== undefined && !ctx.arrayCallback && !ctx.promiseCallback) {
    return {
      what: `a callback passed to '${ctx.callbackOf}'`,
      hint: `'${ctx.callbackOf}' is not an array method tsc-micro can make async (map, filter, forEach, some, every, find, findIndex, findLast, findLastIndex, flatMap, reduce on an array), so it would receive a promise instead of a value. Compute the values first (a for…of loop with the calls), then pass them in.`,
    };
  }
  if (ctx.asyncAt === undefined) return { what: `'${ctx.name}'`, hint: "Move the call into an async function." };
  return undefined;
}

/**
 * A type predicate (`x is T`) or assertion function (`asserts x`) whose body now
 * awaits: `Promise<x is T>` is not TypeScript, narrowing needs the answer at once.
 */
function predicateCannotBecomeAsync(service: string, ctx: CallContext, callee: string): Diagnostic {
  const predicate = ctx.returnType!;
  const assertion = predicate.predicate === "assertion";
  const what = assertion ? "an assertion function" : "a type predicate";
  const short = ctx.name.slice(ctx.name.lastIndexOf(".") + 1);
  return error(
    DiagnosticCode.PredicateCannotBecomeAsync,
    `'${ctx.name}' is ${what} ('${predicate.text}'), but in service '${service}' its call to '${callee}' must be awaited (a network call, or a function that makes one): it would have to return a Promise, which ${what} cannot.`,
    { file: ctx.file, start: ctx.start, length: ctx.length, line: ctx.line, column: ctx.column },
    `Make the call first and pass its result in ('${short}(…, await ${callee}(…))'), or make '${short}' an async function returning ${assertion ? "Promise<void> (throwing as before)" : "Promise<boolean>"} and narrow at the call site with a check of your own.`,
  );
}

function valueUse(service: string, name: string, ref: Reference, because: string): Diagnostic {
  return error(
    DiagnosticCode.ServiceFunctionAsValue,
    `${because}, but here it is used as a value, so tsc-micro cannot rewrite the calls made through it (in service '${service}').`,
    { file: ref.file, start: ref.start, length: ref.end - ref.start, line: ref.line, column: ref.column },
    `Call it directly, e.g. 'xs.map((x) => ${name}(x))' inside an async function, or 'for (const x of xs) await ${name}(x)'.`,
  );
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) (map.get(key(item)) ?? map.set(key(item), []).get(key(item))!).push(item);
  return map;
}
