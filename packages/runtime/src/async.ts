/**
 * Array methods whose callback became async because it now calls another
 * service. The compiler rewrites `xs.map((x) => isEven(x))` into
 * `(await map(xs, async (x) => (await isEven(x))))`. Callbacks run one after
 * another, in index order, as the sync callbacks did in the monolith: side
 * effects and thrown errors happen in the same order. (Write
 * `await Promise.all(xs.map(async …))` yourself for concurrent calls.)
 */

/** `xs?.map(…)` is rewritten too: a missing array gives undefined, as the optional call would. */
type List<T> = readonly T[] | null | undefined;

type Callback<T, R> = (value: T, index: number, array: readonly T[]) => R | Promise<R>;

export async function map<T, R>(xs: List<T>, cb: Callback<T, R>, thisArg?: unknown): Promise<R[]> {
  if (xs == null) return undefined as never;
  const out: R[] = [];
  for (let i = 0; i < xs.length; i++) out.push(await cb.call(thisArg, xs[i]!, i, xs));
  return out;
}

export async function flatMap<T, R>(xs: List<T>, cb: Callback<T, R | readonly R[]>, thisArg?: unknown): Promise<R[]> {
  if (xs == null) return undefined as never;
  return (await map(xs, cb, thisArg)).flat() as R[];
}

export async function filter<T>(xs: List<T>, cb: Callback<T, unknown>, thisArg?: unknown): Promise<T[]> {
  if (xs == null) return undefined as never;
  const out: T[] = [];
  for (let i = 0; i < xs.length; i++) if (await cb.call(thisArg, xs[i]!, i, xs)) out.push(xs[i]!);
  return out;
}

export async function forEach<T>(xs: List<T>, cb: Callback<T, unknown>, thisArg?: unknown): Promise<void> {
  if (xs == null) return undefined as never;
  for (let i = 0; i < xs.length; i++) await cb.call(thisArg, xs[i]!, i, xs);
}

export async function some<T>(xs: List<T>, cb: Callback<T, unknown>, thisArg?: unknown): Promise<boolean> {
  if (xs == null) return undefined as never;
  for (let i = 0; i < xs.length; i++) if (await cb.call(thisArg, xs[i]!, i, xs)) return true;
  return false;
}

export async function every<T>(xs: List<T>, cb: Callback<T, unknown>, thisArg?: unknown): Promise<boolean> {
  if (xs == null) return undefined as never;
  for (let i = 0; i < xs.length; i++) if (!(await cb.call(thisArg, xs[i]!, i, xs))) return false;
  return true;
}

export async function find<T>(xs: List<T>, cb: Callback<T, unknown>, thisArg?: unknown): Promise<T | undefined> {
  if (xs == null) return undefined as never;
  const i = await findIndex(xs, cb, thisArg);
  return i < 0 ? undefined : xs[i];
}

export async function findIndex<T>(xs: List<T>, cb: Callback<T, unknown>, thisArg?: unknown): Promise<number> {
  if (xs == null) return undefined as never;
  for (let i = 0; i < xs.length; i++) if (await cb.call(thisArg, xs[i]!, i, xs)) return i;
  return -1;
}

export async function findLast<T>(xs: List<T>, cb: Callback<T, unknown>, thisArg?: unknown): Promise<T | undefined> {
  if (xs == null) return undefined as never;
  const i = await findLastIndex(xs, cb, thisArg);
  return i < 0 ? undefined : xs[i];
}

export async function findLastIndex<T>(xs: List<T>, cb: Callback<T, unknown>, thisArg?: unknown): Promise<number> {
  if (xs == null) return undefined as never;
  for (let i = xs.length - 1; i >= 0; i--) if (await cb.call(thisArg, xs[i]!, i, xs)) return i;
  return -1;
}

/** `reduce` with or without an initial value, as Array#reduce (a TypeError on an empty array without one). */
export async function reduce<T, A>(xs: List<T>, cb: (acc: A, value: T, index: number, array: readonly T[]) => A | Promise<A>, ...init: [A?]): Promise<A> {
  if (xs == null) return undefined as never;
  let i = 0;
  let acc: A;
  if (init.length > 0) acc = init[0] as A;
  else if (xs.length === 0) throw new TypeError("Reduce of empty array with no initial value");
  else acc = xs[i++] as unknown as A;
  for (; i < xs.length; i++) acc = await cb(acc, xs[i]!, i, xs);
  return acc;
}

/** The array methods the compiler knows how to rewrite. */
export const ASYNC_ARRAY_METHODS = ["map", "flatMap", "filter", "forEach", "some", "every", "find", "findIndex", "findLast", "findLastIndex", "reduce"] as const;
