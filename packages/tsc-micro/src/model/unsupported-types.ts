import { ts } from "ts-morph";
import type { Type } from "ts-morph";
import { libraryHint } from "./library-types.js";
import type { TypeSites } from "./type-sites.js";

/**
 * Why a type cannot cross the wire, with the fix to offer, or undefined when it can: `any`,
 * `unknown`, `never`, `undefined`, symbols, unresolved type parameters, `object`, built-ins
 * and class instances with methods (type-to-ir.ts reports it at the type's site).
 */
export function unsupportedReason(type: Type, sites: TypeSites): { what: string; hint: string } | undefined {
  const flags = type.getFlags();
  if (flags & ts.TypeFlags.Any) return { what: "is 'any', which has no schema", hint: "Give it a concrete type, or build with --allow-any to accept any JSON value." };
  if (flags & ts.TypeFlags.Unknown) return { what: "is 'unknown', which has no schema", hint: "Give it a concrete type, or build with --allow-any to accept any JSON value." };
  if (flags & ts.TypeFlags.Never) return { what: "is 'never'", hint: "Give it a type that a value can have." };
  if (flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)) return { what: "is undefined, which JSON cannot carry", hint: "Make it optional or use null." };
  if (flags & (ts.TypeFlags.ESSymbol | ts.TypeFlags.UniqueESSymbol)) return { what: "is a symbol, which cannot cross a process boundary", hint: "Use a string." };
  if (flags & ts.TypeFlags.TypeParameter) return { what: "is an unresolved generic type parameter", hint: "Service signatures need concrete types: wrap the generic function in one with concrete types and tag that." };
  if (flags & ts.TypeFlags.NonPrimitive) return { what: "is 'object', which has no schema", hint: "Describe its properties with an interface." };
  const symbol = type.getSymbol();
  // Anonymous types (`__type`, `__object`) from lib files are mapped types like Record and Partial: plain data.
  if (symbol && !symbol.getName().startsWith("__") && sites.isLibrarySymbol(symbol)) return { what: `is the built-in '${symbol.getName()}', which cannot cross the wire`, hint: libraryHint(symbol.getName()) };
  if (symbol && symbol.getFlags() & ts.SymbolFlags.Class) {
    const hasMethods = type.getProperties().some((p) => p.getFlags() & ts.SymbolFlags.Method);
    if (hasMethods) return { what: "is a class instance; its methods and prototype would not survive the wire", hint: "Use an interface of its data fields, and rebuild the instance in the function." };
  }
  return undefined;
}
