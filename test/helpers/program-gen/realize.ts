// A spec becomes a program: names are kept where TypeScript allows them and
// they are free, else replaced by a plain default (`f1`, `T2`, `p1`, `k3`);
// `ref`s point at declared types; optional parameters only at the end; one
// deliberate defect where the spec asks for one. What the tool must refuse
// (the defect, keys no request may carry) is written down with the
// diagnostic code expected. Then the bodies are built (bodies.ts) and every
// file printed (print.ts).
import { camelCase, kebabCase } from "../../../packages/tsc-micro/src/plan/naming.ts";
import { buildBodies } from "./bodies.ts";
import type { Defect, EnumMember, FnDecl, Param, Program, Prop, Refusal, TypeDecl, TypeExpr } from "./model.ts";
import { isLegal, SPECIAL_NAMES } from "./names.ts";
import type { Position } from "./names.ts";
import { printProgram } from "./print.ts";
import type { FnSpec, NameSpec, ProgramSpec, PropSpec, TypeShape, TypeSpec } from "./spec.ts";

/**
 * Names the harness cannot use for an exported function: a module exporting
 * `then` is a thenable, so `await import()` of it (the monolith side, the
 * generated clients' index) never settles. That is JavaScript, not the tool.
 */
const HARNESS_UNSAFE_FUNCTION_NAMES = new Set(["then"]);
/** The bodies write `globalThis.Date` where the program shadows `Date`: `globalThis` itself stays free. */
const KEPT_FREE = "globalThis";
/**
 * Keys the services refuse anywhere in a request body (they could reach a
 * prototype): a parameter or a property of that name on the wire is refused
 * at build time (TSM2001). Enum members are not keys on the wire, but a
 * member named `__proto__` does not even work in the monolith: never one.
 */
const REFUSED_KEYS = new Set(["__proto__", "constructor"]);
const UNSUPPORTED_TYPE = 2001;

const DEFECTS: Record<NonNullable<ProgramSpec["defect"]>, Defect> = {
  "bad-service-name": { kind: "bad-service-name", code: 1004 },
  "unknown-option": { kind: "unknown-option", code: 1003 },
  "not-exported": { kind: "not-exported", code: 1002 },
};

/**
 * Names to steer around while a known failure is being fixed, as
 * `position:rule` (PROGRAMS_AVOID=fn:non-ascii,type:$): positions fn, param,
 * type, member, key; rules `non-ascii`, `$`, `special` (the special names).
 */
export type Avoid = readonly string[];

function avoided(avoid: Avoid, position: Position | "key", name: string): boolean {
  return avoid.some((rule) => {
    const [where, what] = rule.split(":");
    if (where !== position) return false;
    if (what === "non-ascii") return /[^\x00-\x7f]/.test(name);
    if (what === "$") return name.includes("$");
    if (what === "special") return SPECIAL_NAMES.includes(name);
    return false;
  });
}

export function realize(spec: ProgramSpec, avoid: Avoid = []): Program {
  const files = spec.files.map((f) => ({ path: `src/${f}.ts`, specifier: `./${f}.js` }));
  const used = new Set<string>();
  const usable = (n: NameSpec, position: Position | "key"): n is string => n !== undefined && n !== KEPT_FREE && !n.includes("*") && !avoided(avoid, position, n);
  const pick = (wanted: NameSpec, position: Position, fallback: string, ok: (n: string) => boolean = () => true): string => {
    if (usable(wanted, position) && !used.has(wanted) && isLegal(wanted, position) && ok(wanted)) {
      used.add(wanted);
      return wanted;
    }
    let n = fallback;
    for (let i = 2; used.has(n); i++) n = `${fallback}_${i}`;
    used.add(n);
    return n;
  };

  // ------------------------------------------------------------ declared types
  const types: TypeDecl[] = [];
  spec.types.forEach((t, i) => {
    const name = pick(t.name, "type", `T${i + 1}`);
    types.push(typeDecl(t, name, i % files.length, types, usable));
  });

  // ------------------------------------------------------------ functions
  const functions: FnDecl[] = [];
  spec.fns.forEach((f, i) => {
    const wanted = resolveMarker(f.name, functions, types);
    const name = pick(wanted, "fn", `f${i + 1}`, (n) => !HARNESS_UNSAFE_FUNCTION_NAMES.has(n));
    functions.push(fnDecl(f, name, f.file % files.length, types, usable, functions));
  });

  const defect = spec.defect ? DEFECTS[spec.defect] : undefined;
  if (defect) {
    const first = functions[0]!;
    if (defect.kind === "bad-service-name") first.extraOption = "service=Not_A_Dns_Label";
    if (defect.kind === "unknown-option") first.extraOption = "retries=3";
    if (defect.kind === "not-exported") first.notExported = true;
    if (defect.kind === "bad-service-name") delete first.service;
  }

  // A function that is not exported is refused before its signature is read: its keys do not count.
  const served = functions.filter((f) => !f.notExported);
  const refusals = [...(defect ? [{ code: defect.code, reason: `a deliberate defect (${defect.kind})` }] : []), ...reservedKeys(served, types)];
  const program: Program = { files, types, functions, ...(defect ? { defect } : {}), refusals, sources: {} };
  program.sources = printProgram(program, buildBodies(program, spec));
  return program;
}

/** Parameters and properties on the wire named `__proto__` or `constructor`: each a TSM2001. */
function reservedKeys(functions: readonly FnDecl[], types: readonly TypeDecl[]): Refusal[] {
  const out: Refusal[] = [];
  const seen = new Set<string>();
  const visit = (t: TypeExpr): void => {
    const props = (ps: readonly Prop[]) =>
      ps.forEach((p) => {
        if (REFUSED_KEYS.has(p.key)) out.push({ code: UNSUPPORTED_TYPE, reason: `a property named ${p.key}` });
        visit(p.type);
      });
    if (t.k === "array") visit(t.item);
    if (t.k === "tuple") t.items.forEach(visit);
    if (t.k === "object") props(t.props);
    if (t.k !== "ref" || seen.has(t.name)) return;
    seen.add(t.name);
    const d = types.find((x) => x.name === t.name)!;
    if (d.kind === "interface") props(d.props);
    if (d.kind === "alias") visit(d.type);
    if (d.kind === "union") d.members.forEach((m) => props([{ key: d.tag, optional: false, type: { k: "number" } }, ...m.props]));
  };
  for (const f of functions) {
    for (const p of f.params) {
      if (REFUSED_KEYS.has(p.name)) out.push({ code: UNSUPPORTED_TYPE, reason: `a parameter named ${p.name}` });
      visit(p.type);
    }
    if (f.result) visit(f.result);
  }
  return out;
}

/** `*Service`: another function's client object; `decode$*` / `encode$*`: a codec function of a declared type. */
function resolveMarker(wanted: NameSpec, functions: readonly FnDecl[], types: readonly TypeDecl[]): NameSpec {
  if (wanted === "*Service") {
    const other = functions[0];
    return other ? `${camelCase(other.service ?? kebabCase(other.name))}Service` : undefined;
  }
  if (wanted === "decode$*" || wanted === "encode$*") {
    const t = types[0];
    return t ? `${wanted.slice(0, 7)}${t.name}` : undefined;
  }
  return wanted;
}

/** Whether a wanted name may be used in that position (not a marker, not avoided). */
type Usable = (n: NameSpec, position: Position | "key") => n is string;

/**
 * Resolves a shape: `ref` to the declared type its index picks (of those
 * given), `like` to the result type of an earlier function; else `number`.
 */
function typeOf(shape: TypeShape, types: readonly TypeDecl[], usable: Usable, earlier: readonly FnDecl[] = []): TypeExpr {
  switch (shape.k) {
    case "like": {
      const results = earlier.flatMap((f) => (f.result ? [f.result] : []));
      return results.length === 0 ? { k: "number" } : results[shape.index % results.length]!;
    }
    case "literals":
      return { k: "literals", values: [...new Set(shape.values)] };
    case "array":
      return { k: "array", item: typeOf(shape.item, types, usable) };
    case "tuple":
      return { k: "tuple", items: shape.items.map((s) => typeOf(s, types, usable)) };
    case "object":
      return { k: "object", props: propsOf(shape.props, types, usable) };
    case "ref":
      return types.length === 0 ? { k: "number" } : { k: "ref", name: types[shape.index % types.length]!.name };
    default:
      return { k: shape.k };
  }
}

/** Properties with unique keys (a duplicate or a refused key becomes `k<n>`). */
function propsOf(specs: readonly PropSpec[], types: readonly TypeDecl[], usable: Usable, reserved: ReadonlySet<string> = new Set()): Prop[] {
  const keys = new Set(reserved);
  return specs.map((p, i) => {
    let key = usable(p.key, "key") ? p.key : `k${i + 1}`;
    for (let n = 2; keys.has(key); n++) key = `k${i + 1}_${n}`;
    keys.add(key);
    return { key, optional: p.optional, type: typeOf(p.type, types, usable), ...(p.doc !== undefined ? { doc: p.doc } : {}) };
  });
}

function typeDecl(t: TypeSpec, name: string, file: number, earlier: readonly TypeDecl[], usable: Usable): TypeDecl {
  const doc = t.doc !== undefined ? { doc: t.doc } : {};
  switch (t.kind) {
    case "enum":
      return { kind: "enum", name, file, members: enumMembers(t, usable), ...doc };
    case "interface":
      return { kind: "interface", name, file, props: propsOf(t.props, earlier, usable), ...doc };
    case "alias":
      return { kind: "alias", name, file, type: typeOf(t.type, earlier, usable), ...doc };
    case "union": {
      const tag = usable(t.tag, "key") ? t.tag : "kind";
      return {
        kind: "union",
        name,
        file,
        tag,
        members: t.members.map((m) => ({ tagValue: m.tagValue, props: propsOf(m.props, earlier, usable, new Set([tag])) })),
        ...doc,
      };
    }
  }
}

function enumMembers(t: Extract<TypeSpec, { kind: "enum" }>, usable: Usable): EnumMember[] {
  const names = new Set<string>();
  let previous: number | undefined;
  return t.members.map((m, i) => {
    let name = usable(m.name, "member") && isLegal(m.name, "member") && !REFUSED_KEYS.has(m.name) ? m.name : `M${i + 1}`;
    for (let n = 2; names.has(name); n++) name = `M${i + 1}_${n}`;
    names.add(name);
    const doc = m.doc !== undefined ? { doc: m.doc } : {};
    if (!t.numeric) return { name, init: String(m.value ?? ""), value: String(m.value ?? ""), ...doc };
    // A numeric member without a value counts on from the one before (the first is 0).
    const value = typeof m.value === "number" ? m.value : previous === undefined ? 0 : previous + 1;
    previous = value;
    return { name, ...(typeof m.value === "number" ? { init: m.value } : {}), value, ...doc };
  });
}

function fnDecl(f: FnSpec, name: string, file: number, types: readonly TypeDecl[], usable: Usable, earlier: readonly FnDecl[]): FnDecl {
  const names = new Set<string>();
  const params: Param[] = f.params.map((p, i) => {
    let pname = usable(p.name, "param") && isLegal(p.name, "param") ? p.name : `p${i + 1}`;
    for (let n = 2; names.has(pname); n++) pname = `p${i + 1}_${n}`;
    names.add(pname);
    return { name: pname, type: typeOf(p.type, types, usable, earlier), optional: p.optional, ...(p.doc !== undefined ? { doc: p.doc } : {}) };
  });
  // Optional parameters only at the end: a required one after them makes them required.
  for (let i = params.length - 2; i >= 0; i--) if (!params[i + 1]!.optional) params[i]!.optional = false;
  return {
    name,
    file,
    form: f.form,
    params,
    result: f.result === null ? null : typeOf(f.result, types, usable, earlier),
    ...(f.service !== undefined ? { service: f.service } : {}),
    ...(f.doc !== undefined ? { doc: f.doc } : {}),
    ...(f.returnsDoc !== undefined ? { returnsDoc: f.returnsDoc } : {}),
    body: [],
  };
}
