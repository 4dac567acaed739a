// Bodies of generated functions: deterministic expressions over the
// parameters (their properties, elements, lengths), constants with tricky
// text, and calls of the tagged functions declared before (so calls go down a
// chain, across files and services, and never loop). Every decision reads
// the function's tape; an exhausted tape gives the first (simplest) choice.
// Expressions put calls where rewriting is delicate: arithmetic, templates,
// conditionals, `!`, `&&`, property reads of a result, arguments of other
// calls, array and object literals, `.map` callbacks.
import type { FnDecl, Literal, Program, Prop, TypeDecl, TypeExpr } from "./model.ts";
import { declOf, isAsyncFn } from "./model.ts";
import { accessKey, FileScope, globalRef, printKey, printLiteral, printType } from "./scope.ts";
import { atomsOf, mentionsBigint, paramAtoms, resolve, same } from "./types-in-scope.ts";
import type { Atom } from "./types-in-scope.ts";
import type { ProgramSpec } from "./spec.ts";
import { TRICKY_FRAGMENTS } from "./spec.ts";

class Tape {
  private at = 0;
  constructor(private readonly values: readonly number[]) {}
  /** A choice in [0, n). */
  next(n: number): number {
    if (n <= 1) return 0;
    const v = this.values[this.at++];
    return v === undefined ? 0 : v % n;
  }
}

interface Ctx {
  program: Program;
  scope: FileScope;
  tape: Tape;
  /** The tagged functions this body may call (declared earlier; sync ones only from sync code). */
  callees: FnDecl[];
  atoms: Atom[];
  /** Names a free reference in this body must not use (they are shadowed): the program's names and the parameters. */
  shadowed: Set<string>;
  typeNames: Set<string>;
  /** Calls left for this body. */
  calls: number;
  /** Callback parameters declared around this point (they name the next one). */
  locals: number;
}

const STRINGS: readonly string[] = ["", "x", ...TRICKY_FRAGMENTS, 'say "hi" `now` ${ok} */ \u2028 \\ 🙂'];
const NUMBERS: readonly number[] = [0, 1, 2, -3, 0.5, 42, -1.25, 1e21, 2 ** 53 + 2, 5e-324];
const BIGINTS: readonly string[] = ["0n", "42n", "-7n", "123456789012345678901234567890n"];
const DATES: readonly string[] = ["0", '"2001-02-03T04:05:06.789Z"', "8.64e15", "-8.64e15", '"1969-12-31T23:59:59.999Z"'];

/**
 * Fills in `body` of every function of the program. Returns the files'
 * scopes, holding the imports the bodies need (print.ts prints them).
 */
export function buildBodies(program: Program, spec: ProgramSpec): FileScope[] {
  const params = program.functions.flatMap((f) => f.params.map((p) => p.name));
  const programNames = [...program.functions.map((f) => f.name), ...program.types.map((t) => t.name)];
  const scopes = program.files.map((_, i) => new FileScope(i, program, spec.aliasImports, new Set([...programNames, ...params])));
  const typeNames = new Set(program.types.map((t) => t.name));
  program.functions.forEach((fn, i) => {
    const isAsync = isAsyncFn(fn);
    const scope = scopes[fn.file]!;
    const paramNames = new Set(fn.params.map((p) => p.name));
    const ctx: Ctx = {
      program,
      scope,
      tape: new Tape(spec.fns[i]!.tape),
      // Earlier functions only (no loops); async ones only from async code; exported or local; none a parameter hides.
      callees: program.functions
        .slice(0, i)
        .filter((g) => (isAsync || !isAsyncFn(g)) && (!g.notExported || g.file === fn.file) && !paramNames.has(scope.peekFn(g))),
      atoms: fn.params.flatMap((p) => paramAtoms(p, program.types)),
      shadowed: new Set([...programNames, ...paramNames]),
      typeNames,
      calls: 3,
      locals: 0,
    };
    fn.body = fn.result === null ? voidBody(ctx) : [`return ${expr(ctx, fn.result, 2)};`];
  });
  return scopes;
}

function pickOf<T>(ctx: Ctx, xs: readonly T[]): T {
  return xs[ctx.tape.next(xs.length)]!;
}

/** A number as an expression (negative ones in parentheses). */
function num(n: number): string {
  return n < 0 || Object.is(n, -0) ? `(${n})` : String(n);
}

/** An expression of type `target`, at most `depth` operators deep. */
function expr(ctx: Ctx, target: TypeExpr, depth: number): string {
  const t = resolve(target, ctx.program.types);
  // Calls weigh triple: they are what the split rewrites.
  const calls = [() => call(ctx, t, depth), () => call(ctx, t, depth), () => call(ctx, t, depth)];
  const options: (() => string | undefined)[] = [() => construct(ctx, t, depth), () => atom(ctx, t), ...calls];
  if (depth > 0) options.push(() => derived(ctx, t, depth), () => conditional(ctx, t, depth));
  const first = ctx.tape.next(options.length);
  for (let i = 0; i < options.length; i++) {
    const e = options[(first + i) % options.length]!();
    if (e !== undefined) return e;
  }
  throw new Error(`generator bug: no expression of type ${JSON.stringify(t)}`);
}

function atom(ctx: Ctx, t: TypeExpr): string | undefined {
  const fits = ctx.atoms.filter((a) => same(a.type, t, ctx.program.types));
  return fits.length === 0 ? undefined : pickOf(ctx, fits).expr;
}

/** A call of an earlier function whose result, or a part of it (`g(x).total`, `g(x)[0]`), has the type. */
function call(ctx: Ctx, t: TypeExpr, depth: number): string | undefined {
  if (ctx.calls <= 0) return undefined;
  const fits: { g: FnDecl; part: string }[] = [];
  for (const g of ctx.callees) {
    if (g.result === null) continue;
    for (const a of atomsOf("", g.result, ctx.program.types, 2)) if (same(a.type, t, ctx.program.types)) fits.push({ g, part: a.expr });
  }
  if (fits.length === 0) return undefined;
  const { g, part } = pickOf(ctx, fits);
  return `${callOf(ctx, g, depth)}${part}`;
}

/** A call of any earlier function with a result, whatever its type (for `JSON.stringify(…)`). */
function anyCall(ctx: Ctx, depth: number, ok: (t: TypeExpr) => boolean): string | undefined {
  const fits = ctx.calls > 0 ? ctx.callees.filter((g) => g.result !== null && ok(g.result)) : [];
  return fits.length === 0 ? undefined : callOf(ctx, pickOf(ctx, fits), depth);
}

/** `g(a, b)`, awaited when g is async; trailing optional arguments sometimes left out. */
function callOf(ctx: Ctx, g: FnDecl, depth: number): string {
  ctx.calls--;
  let n = g.params.length;
  while (n > 0 && g.params[n - 1]!.optional && ctx.tape.next(2) === 1) n--;
  const args = g.params.slice(0, n).map((p) => expr(ctx, p.type, Math.max(0, depth - 1)));
  const text = `${ctx.scope.fn(g)}(${args.join(", ")})`;
  return isAsyncFn(g) ? `(await ${text})` : text;
}

function conditional(ctx: Ctx, t: TypeExpr, depth: number): string | undefined {
  const c = expr(ctx, { k: "boolean" }, depth - 1);
  return `(${c} ? ${expr(ctx, t, depth - 1)} : ${expr(ctx, t, depth - 1)})`;
}

/** A global as this body may write it (`globalThis.Date` where the program shadows `Date`). */
function g(ctx: Ctx, name: string): string | undefined {
  return globalRef(name, ctx.shadowed);
}

/** A literal value of the type. */
function construct(ctx: Ctx, t: TypeExpr, depth: number): string | undefined {
  const types = ctx.program.types;
  switch (t.k) {
    case "number":
      return num(pickOf(ctx, NUMBERS));
    case "string":
      return JSON.stringify(pickOf(ctx, STRINGS));
    case "boolean":
      return pickOf(ctx, ["true", "false"]);
    case "bigint": {
      const b = pickOf(ctx, BIGINTS);
      return b.startsWith("-") ? `(${b})` : b;
    }
    case "date": {
      const D = g(ctx, "Date");
      return D && `new ${D}(${pickOf(ctx, DATES)})`;
    }
    case "literals":
      return literal(pickOf(ctx, t.values));
    case "array": {
      const n = ctx.tape.next(3);
      return `[${Array.from({ length: n }, () => expr(ctx, t.item, depth - 1)).join(", ")}]`;
    }
    case "tuple":
      return `[${t.items.map((item) => expr(ctx, item, depth - 1)).join(", ")}]`;
    case "object":
      return objectLiteral(ctx, t.props, depth);
    case "ref": {
      const d = declOf(types, t.name);
      if (d.kind === "enum") return `${ctx.scope.type(d.name, true)}${accessKey(pickOf(ctx, d.members).name)}`;
      if (d.kind === "interface") return objectLiteral(ctx, d.props, depth);
      if (d.kind === "union") {
        const m = pickOf(ctx, d.members);
        return objectLiteral(ctx, [{ key: d.tag, optional: false, type: { k: "literals", values: [m.tagValue] } }, ...m.props], depth);
      }
      return expr(ctx, d.type, depth);
    }
  }
}

function literal(v: Literal): string {
  return typeof v === "number" ? num(v) : printLiteral(v);
}

/**
 * `{ a: …, "b c": … }`; optional properties sometimes left out (never set to
 * undefined). Not one named like a member of Object.prototype: TypeScript
 * then checks the literal's inherited `toString`/`hasOwnProperty` against it.
 */
function objectLiteral(ctx: Ctx, props: readonly Prop[], depth: number): string {
  const parts = props.filter((p) => !p.optional || p.key in Object.prototype || ctx.tape.next(2) === 1).map((p) => `${printKey(p.key)}: ${expr(ctx, p.type, Math.max(0, depth - 1))}`);
  return `{ ${parts.join(", ")} }`;
}

/** A value computed from others: arithmetic, lengths, templates, comparisons, `.map`. */
function derived(ctx: Ctx, t: TypeExpr, depth: number): string | undefined {
  const d = depth - 1;
  const types = ctx.program.types;
  const of = (k: TypeExpr["k"]) => ctx.atoms.filter((a) => resolve(a.type, types).k === k);
  switch (t.k) {
    case "number": {
      const strings = [...of("string"), ...of("array")];
      const numericEnums = types.filter((x) => x.kind === "enum" && x.members.every((m) => typeof m.value === "number"));
      const choice = ctx.tape.next(5);
      if (choice === 1 && strings.length > 0) return `${pickOf(ctx, strings).expr}.length`;
      if (choice === 4) {
        const c = anyCall(ctx, d, (r) => ["string", "array"].includes(resolve(r, types).k));
        if (c) return `${c}.length`;
      }
      if (choice === 2 && numericEnums.length > 0) {
        const e = pickOf(ctx, numericEnums) as Extract<TypeDecl, { kind: "enum" }>;
        return `${ctx.scope.type(e.name, true)}${accessKey(pickOf(ctx, e.members).name)}`;
      }
      if (choice === 3) {
        const M = g(ctx, "Math");
        if (M) return `${M}.max(${expr(ctx, t, d)}, ${expr(ctx, t, d)})`;
      }
      return `(${expr(ctx, t, d)} ${pickOf(ctx, ["+", "-", "*", "/", "%"])} ${expr(ctx, t, d)})`;
    }
    case "string": {
      const choice = ctx.tape.next(5);
      if (choice === 1) {
        const S = g(ctx, "String");
        return S && `${S}(${expr(ctx, pickOf(ctx, [{ k: "number" }, { k: "boolean" }, { k: "bigint" }] as TypeExpr[]), d)})`;
      }
      if (choice === 2) return `${expr(ctx, t, d)}.toUpperCase()`;
      if (choice === 3) {
        const dates = of("date");
        if (dates.length > 0) return `${pickOf(ctx, dates).expr}.toISOString()`;
        const J = g(ctx, "JSON");
        const value = ctx.tape.next(2) === 0 ? anyCall(ctx, d, (r) => !mentionsBigint(r, types)) : undefined;
        const values = ctx.atoms.filter((a) => !mentionsBigint(a.type, types));
        if (J && value) return `${J}.stringify(${value})`;
        if (J && values.length > 0) return `${J}.stringify(${pickOf(ctx, values).expr})`;
      }
      if (choice === 4) return `(${expr(ctx, t, d)} + ${expr(ctx, t, d)})`;
      const parts = [{ k: "string" }, { k: "number" }, { k: "bigint" }, { k: "boolean" }] as TypeExpr[];
      return `\`${escapeTemplate(pickOf(ctx, STRINGS))}\${${expr(ctx, pickOf(ctx, parts), d)}}-\${${expr(ctx, pickOf(ctx, parts), d)}}\``;
    }
    case "boolean": {
      const choice = ctx.tape.next(5);
      if (choice === 4) {
        const c = anyCall(ctx, d, () => true);
        if (c) return `(${c} !== null)`;
      }
      if (choice === 1) return `!${expr(ctx, t, d)}`;
      if (choice === 2) return `(${expr(ctx, t, d)} ${pickOf(ctx, ["&&", "||"])} ${expr(ctx, t, d)})`;
      // Widened with toString(): two different string literals compared directly do not type-check (TS2367).
      if (choice === 3) return `(${expr(ctx, { k: "string" }, d)}.toString() === ${expr(ctx, { k: "string" }, d)}.toString())`;
      return `(${expr(ctx, { k: "number" }, d)} ${pickOf(ctx, ["<", ">=", "<="])} ${expr(ctx, { k: "number" }, d)})`;
    }
    case "bigint": {
      if (ctx.tape.next(2) === 1) {
        const B = g(ctx, "BigInt");
        const strings = of("string");
        if (B && strings.length > 0) return `${B}(${pickOf(ctx, strings).expr}.length)`;
      }
      return `(${expr(ctx, t, d)} ${pickOf(ctx, ["+", "-", "*"])} ${expr(ctx, t, d)})`;
    }
    case "date": {
      const D = g(ctx, "Date");
      const dates = of("date");
      return D && dates.length > 0 ? `new ${D}(${pickOf(ctx, dates).expr}.getTime())` : undefined;
    }
    case "array":
      return mapped(ctx, t.item, d);
    default:
      return undefined;
  }
}

/** `xs.map((x): T => …)` over an array in scope; the callback may call tagged functions (sync ones). */
function mapped(ctx: Ctx, item: TypeExpr, depth: number): string | undefined {
  const arrays = ctx.atoms.filter((a) => resolve(a.type, ctx.program.types).k === "array");
  if (arrays.length === 0) return undefined;
  const xs = pickOf(ctx, arrays);
  const element = (resolve(xs.type, ctx.program.types) as Extract<TypeExpr, { k: "array" }>).item;
  let name = `item${ctx.locals}`;
  for (let n = 2; ctx.shadowed.has(name); n++) name = `item${ctx.locals}_${n}`;
  const inner: Ctx = {
    ...ctx,
    atoms: [...ctx.atoms, ...atomsOf(name, element, ctx.program.types, 1)],
    // The callback is sync, as the monolith's was: no async callee in it.
    callees: ctx.callees.filter((f) => !isAsyncFn(f)),
    locals: ctx.locals + 1,
  };
  const body = expr(inner, item, depth);
  ctx.calls = inner.calls;
  return `${xs.expr}.map((${name}): ${printType(item, ctx.scope, ctx.typeNames)} => ${body.startsWith("{") ? `(${body})` : body})`;
}

function escapeTemplate(s: string): string {
  return s.replace(/\\/g, "\\\\").replace(/`/g, "\\`").replace(/\$\{/g, "\\${");
}

/** A void function: calls as statements (or nothing). */
function voidBody(ctx: Ctx): string[] {
  const n = ctx.tape.next(4);
  const out: string[] = [];
  for (let i = 0; i < n && ctx.callees.length > 0 && ctx.calls > 0; i++) {
    const callee = pickOf(ctx, ctx.callees);
    out.push(`${callOf(ctx, callee, 1).replace(/^\((await .*)\)$/, "$1")};`);
  }
  return out;
}
