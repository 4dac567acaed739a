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
