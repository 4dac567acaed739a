import type { Type } from "ts-morph";

/**
 * Whether a value of this type can be an object (or array, Map, …), the only
 * kind of value whose contents can be changed. Strings, numbers, booleans and
 * their literals cannot: passing or storing one hands out a copy.
 */
export function mayHoldObject(type: Type): boolean {
  if (type.isAny() || type.isUnknown() || type.isTypeParameter() || type.isIntersection()) return true;
  if (type.isUnion()) return type.getUnionTypes().some(mayHoldObject);
  return type.isObject();
}
