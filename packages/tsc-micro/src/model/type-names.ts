import { ts } from "ts-morph";
import type { Type } from "ts-morph";

/** `Page<User>` → `Page_User`, `Result<User, ApiError>` → `Result_User_ApiError`. */
export function componentName(base: string, args: readonly Type[]): string {
  return args.length === 0 ? base : [base, ...args.map(typeArgumentName)].join("_");
}

/**
 * A readable, machine-independent name for a type argument: `User`, `UserOrOrder`,
 * `NumberArray`, `Page_User`. Never the checker's text, which can hold `import("/abs/path")`.
 */
function typeArgumentName(a: Type): string {
  if (a.isArray()) return `${typeArgumentName(a.getArrayElementType() ?? a.getTypeArguments()[0]!)}Array`;
  const named = (a.getAliasSymbol() ?? a.getSymbol())?.getName();
  const nested = a.getAliasTypeArguments().length ? a.getAliasTypeArguments() : a.getTypeArguments();
  if (named && !named.startsWith("__")) return componentName(named, nested);
  if (a.isUnion()) return a.getUnionTypes().map(typeArgumentName).join("Or");
  if (a.isIntersection()) return a.getIntersectionTypes().map(typeArgumentName).join("And");
  if (a.isLiteral()) return pascal(String(a.getLiteralValue()));
  if (a.getFlags() & ts.TypeFlags.BooleanLiteral) return pascal(a.getText());
  if (a.isObject()) return "Object";
  return pascal(a.getText());
}

export function pascal(text: string): string {
  const words = text.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join("") || "Value";
}

/** A component's request for a name, made when the converter first meets its type. */
export interface NameClaim {
  /** The name it was given while converting: unique, but in the order the types were met. */
  provisional: string;
  /** The name it asks for: the type's own (`User`) or one made up (`Page_User` for `Page<User>`, `Shape_Circle`). */
  base: string;
  /** `base` is the type's declared name, not one made up from a generic's arguments or a union's tag. */
  declared: boolean;
  /** Where it is declared (project-relative file, offset; then its type arguments'), to order claims of one name. */
  site: readonly (string | number)[];
}

/**
 * Final component names: provisional name → name. Claims of one name are
 * ordered declared names first (a type declared as `Page_User` keeps that
 * name beside `Page<User>`), then by where they are declared (`src/shop/user.ts`'s
 * `User` before `src/staff/user.ts`'s), then in the order they were met; the
 * first gets the name, the others `_2`, `_3`… never a name some claim asks
 * for. So names do not change with the order the services use the types.
 */
export function settledNames(claims: readonly NameClaim[]): Map<string, string> {
  const groups = new Map<string, { claim: NameClaim; met: number }[]>();
  claims.forEach((claim, met) => {
    const group = groups.get(claim.base) ?? [];
    group.push({ claim, met });
    groups.set(claim.base, group);
  });
  const taken = new Set(groups.keys());
  const names = new Map<string, string>();
  for (const base of [...groups.keys()].sort(byCodeUnits)) {
    const [first, ...rest] = groups.get(base)!.sort(
      (a, b) => Number(b.claim.declared) - Number(a.claim.declared) || compareSites(a.claim.site, b.claim.site) || a.met - b.met,
    );
    names.set(first!.claim.provisional, base);
    for (const { claim } of rest) {
      let name = base;
      for (let i = 2; taken.has(name); i++) name = `${base}_${i}`;
      taken.add(name);
      names.set(claim.provisional, name);
    }
  }
  return names;
}

function compareSites(a: readonly (string | number)[], b: readonly (string | number)[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    return typeof x === "number" && typeof y === "number" ? x - y : byCodeUnits(String(x), String(y));
  }
  return a.length - b.length;
}

/** Locale-independent order: the same names on every machine. */
function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
