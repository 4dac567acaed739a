// Types as bodies see them: what a value in scope is made of (its
// properties, elements and a union's tag are values too), aliases followed,
// when two types are the same, a constant of a type, whether a bigint hides
// inside (JSON.stringify would throw on it).
import type { Param, Prop, TypeDecl, TypeExpr } from "./model.ts";
import { declOf } from "./model.ts";
import { accessKey, printLiteral } from "./scope.ts";

/** A value in scope and its type: a parameter, a property of one, an element, a callback's item. */
export interface Atom {
  expr: string;
  type: TypeExpr;
}

/** The parameter, and what can be read from it without `undefined`: `(p ?? c)` for an optional one. */
export function paramAtoms(p: Param, types: readonly TypeDecl[]): Atom[] {
  if (!p.optional) return atomsOf(p.name, p.type, types, 2);
  const fallback = constantOf(p.type, types);
  return fallback === undefined ? [] : [{ expr: `(${p.name} ?? ${fallback})`, type: p.type }];
}

/** A value and the parts of it that are always there (non-optional properties, tuple elements, a union's tag). */
export function atomsOf(expr: string, type: TypeExpr, types: readonly TypeDecl[], depth: number): Atom[] {
  const out: Atom[] = [{ expr, type }];
  if (depth <= 0) return out;
  const t = resolve(type, types);
  const props = (ps: readonly Prop[]) => {
    for (const q of ps) if (!q.optional) out.push(...atomsOf(`${expr}${accessKey(q.key)}`, q.type, types, depth - 1));
  };
  if (t.k === "object") props(t.props);
  if (t.k === "tuple") t.items.forEach((item, i) => out.push(...atomsOf(`${expr}[${i}]`, item, types, depth - 1)));
  if (t.k === "ref") {
    const d = declOf(types, t.name);
    if (d.kind === "interface") props(d.props);
    if (d.kind === "union") out.push({ expr: `${expr}${accessKey(d.tag)}`, type: { k: "literals", values: d.members.map((m) => m.tagValue) } });
  }
  return out;
}

/** Follows aliases to what they name. */
export function resolve(t: TypeExpr, types: readonly TypeDecl[]): TypeExpr {
  for (let i = 0; i < 20 && t.k === "ref"; i++) {
    const d = declOf(types, t.name);
    if (d.kind !== "alias") return t;
    t = d.type;
  }
  return t;
}

/** The two types are the same (aliases followed; interfaces, enums and unions by name). */
export function same(a: TypeExpr, b: TypeExpr, types: readonly TypeDecl[]): boolean {
  const x = resolve(a, types);
  const y = resolve(b, types);
  if (x.k !== y.k) return false;
  switch (x.k) {
    case "literals": {
      const ys = (y as typeof x).values;
      return x.values.length === ys.length && x.values.every((v) => ys.includes(v));
    }
    case "array":
      return same(x.item, (y as typeof x).item, types);
    case "tuple": {
      const ys = (y as typeof x).items;
      return x.items.length === ys.length && x.items.every((t, i) => same(t, ys[i]!, types));
    }
    case "object": {
      const ys = (y as typeof x).props;
      return x.props.length === ys.length && x.props.every((p, i) => p.key === ys[i]!.key && p.optional === ys[i]!.optional && same(p.type, ys[i]!.type, types));
    }
    case "ref":
      return x.name === (y as typeof x).name;
    default:
      return true;
  }
}

/** A constant of the type (for `p ?? c`), when it has a simple one. */
export function constantOf(type: TypeExpr, types: readonly TypeDecl[]): string | undefined {
  const t = resolve(type, types);
  switch (t.k) {
    case "number":
      return "7";
    case "string":
      return JSON.stringify("fallback `${x}` */");
    case "boolean":
      return "false";
    case "bigint":
      return "5n";
    case "literals":
      return printLiteral(t.values[0]!);
    default:
      return undefined;
  }
}

export function mentionsBigint(t: TypeExpr, types: readonly TypeDecl[], seen = new Set<string>()): boolean {
  switch (t.k) {
    case "bigint":
      return true;
    case "array":
      return mentionsBigint(t.item, types, seen);
    case "tuple":
      return t.items.some((u) => mentionsBigint(u, types, seen));
    case "object":
      return t.props.some((p) => mentionsBigint(p.type, types, seen));
    case "ref": {
      if (seen.has(t.name)) return false;
      seen.add(t.name);
      const d = declOf(types, t.name);
      if (d.kind === "interface") return d.props.some((p) => mentionsBigint(p.type, types, seen));
      if (d.kind === "alias") return mentionsBigint(d.type, types, seen);
      if (d.kind === "union") return d.members.some((m) => m.props.some((p) => mentionsBigint(p.type, types, seen)));
      return false;
    }
    default:
      return false;
  }
}
