/**
 * What the built-in collections and `Object`/`Reflect` do to the values they
 * are called on: the names the analysis recognises without reading a body.
 */

/** Methods of Map, Set, WeakMap, WeakSet, arrays and typed arrays that change their receiver. */
export const MUTATING_METHODS: ReadonlySet<string> = new Set([
  "set",
  "delete",
  "clear",
  "add",
  "push",
  "pop",
  "shift",
  "unshift",
  "splice",
  "sort",
  "reverse",
  "fill",
  "copyWithin",
]);

/**
 * Methods that hand out an element of their receiver (or an iterator over
 * them): changing what they return changes the receiver's contents.
 */
export const ELEMENT_METHODS: ReadonlySet<string> = new Set(["get", "at", "find", "findLast", "values"]);

/** Methods whose callback receives the receiver's elements: argument index of the callback → parameter index of the element. */
export const ELEMENT_CALLBACKS: ReadonlyMap<string, number> = new Map([
  ["forEach", 0],
  ["map", 0],
  ["flatMap", 0],
  ["filter", 0],
  ["find", 0],
  ["findIndex", 0],
  ["findLast", 0],
  ["findLastIndex", 0],
  ["some", 0],
  ["every", 0],
  ["reduce", 1],
  ["reduceRight", 1],
]);

/** Functions that change their first argument. */
export const MUTATING_FUNCTIONS: ReadonlySet<string> = new Set([
  "Object.assign",
  "Object.defineProperty",
  "Object.defineProperties",
  "Object.setPrototypeOf",
  "Reflect.set",
  "Reflect.deleteProperty",
  "Reflect.defineProperty",
  "Reflect.setPrototypeOf",
]);
