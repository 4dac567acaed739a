// Random arguments of a generated function, from its parameter types: any
// double (NaN, ±Infinity and -0 included), any Date (an invalid one too),
// keys in any order; optional properties and trailing optional arguments
// left out, never set to undefined (a property set to undefined arrives
// missing: a documented difference).
import fc from "fast-check";
import type { FnDecl, Prop, TypeDecl, TypeExpr } from "./model.ts";
import { declOf } from "./model.ts";
import { trickyString } from "./spec.ts";

/** Any double: NaN, ±Infinity and -0 included, which cross as number words (README, Types). */
const number = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }),
  fc.constantFrom(0, 1, -1, 0.5, 2 ** 53, Number.MAX_VALUE, 5e-324, NaN, Infinity, -Infinity, -0),
  fc.double(),
);

export function valueOf(t: TypeExpr, types: readonly TypeDecl[]): fc.Arbitrary<unknown> {
  switch (t.k) {
    case "number":
      return number;
    case "string":
      return trickyString;
    case "boolean":
      return fc.boolean();
    case "date":
      // An Invalid Date now and then: a Date the monolith's function can be given like any other.
      return fc.oneof({ weight: 15, arbitrary: fc.date({ noInvalidDate: true }) }, { weight: 1, arbitrary: fc.constant(null).map(() => new Date(NaN)) });
    case "bigint":
      return fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n });
    case "literals":
      return fc.constantFrom(...t.values);
    case "array":
      return fc.array(valueOf(t.item, types), { maxLength: 3 });
    case "tuple":
      return fc.tuple(...t.items.map((u) => valueOf(u, types)));
    case "object":
      return objectOf(t.props, types);
    case "ref": {
      const d = declOf(types, t.name);
      switch (d.kind) {
        case "enum":
          return fc.constantFrom(...d.members.map((m) => m.value));
        case "interface":
          return objectOf(d.props, types);
        case "alias":
          return valueOf(d.type, types);
        case "union":
          return fc.oneof(...d.members.map((m) => objectOf([{ key: d.tag, optional: false, type: { k: "literals", values: [m.tagValue] } }, ...m.props], types)));
      }
    }
  }
}

/** An object of those properties, its keys in any order (the order a caller wrote them in is observable: `JSON.stringify`). */
function objectOf(props: readonly Prop[], types: readonly TypeDecl[]): fc.Arbitrary<unknown> {
  const model = Object.fromEntries(props.map((p) => [p.key, valueOf(p.type, types)]));
  const record = fc.record(model, { requiredKeys: props.filter((p) => !p.optional).map((p) => p.key), noNullPrototype: true });
  return record.chain((o) => {
    const keys = Object.keys(o);
    return fc.shuffledSubarray(keys, { minLength: keys.length }).map((order) => Object.fromEntries(order.map((k) => [k, (o as Record<string, unknown>)[k]])));
  });
}

/** Argument lists for a function; trailing optional arguments are sometimes left out. */
export function argsOf(fn: FnDecl, types: readonly TypeDecl[]): fc.Arbitrary<unknown[]> {
  return fc.tuple(fc.nat({ max: fn.params.length }), fc.tuple(...fn.params.map((p) => valueOf(p.type, types)))).map(([drop, args]) => {
    let n = args.length;
    while (n > 0 && drop > 0 && fn.params[n - 1]!.optional) {
      n--;
      drop--;
    }
    return args.slice(0, n);
  });
}
