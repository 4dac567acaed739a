/**
 * The program's own error classes, by the name their instances carry, so that
 * an error thrown in a service is rebuilt on the caller's side as an instance
 * of the caller's class: `e instanceof NotFoundError` holds as in the monolith.
 *
 * The registry is shared by every copy of this runtime loaded in the process:
 * it lives on `globalThis` under a registry-wide symbol, as well-known
 * libraries keep their process-wide state. A consumer that ends up with two
 * copies (its own install and the one a producer's `dist/clients` resolves,
 * say) registers in one and rebuilds errors in the other; a module-level map
 * would make `instanceof` silently false. Each service bundle still runs in
 * its own process, with its own registry.
 */

/** A class whose instances are errors (abstract classes included). */
export type ErrorClass = abstract new (...args: any[]) => Error;

/**
 * The layout of the shared registry object. Raise it whenever that layout
 * changes: a copy finding another shape refuses to start rather than share
 * state it does not understand.
 */
export const REGISTRY_SHAPE = 1;

/** `globalThis[REGISTRY_KEY]`: the registry every copy shares. */
export const REGISTRY_KEY: unique symbol = Symbol.for("tsc-micro.errorClasses") as never;

interface SharedRegistry {
  readonly shape: typeof REGISTRY_SHAPE;
  // A Map, not an object: names like "__proto__" or "constructor" stay keys.
  readonly classes: Map<string, ErrorClass>;
}

const registry = sharedRegistry().classes;

/** The process-wide registry: the one another copy made, else a new one. Throws if another copy's is incompatible. */
function sharedRegistry(): SharedRegistry {
  const holder = globalThis as { [REGISTRY_KEY]?: unknown };
  const existing = holder[REGISTRY_KEY];
  if (existing === undefined) {
    const created: SharedRegistry = Object.freeze({ shape: REGISTRY_SHAPE, classes: new Map<string, ErrorClass>() });
    // Not enumerable, so it never shows in a dump of globalThis.
    Object.defineProperty(globalThis, REGISTRY_KEY, { value: created, writable: false, enumerable: false, configurable: true });
    return created;
  }
  const found = existing as Partial<SharedRegistry> | null;
  if (typeof found === "object" && found !== null && found.shape === REGISTRY_SHAPE && found.classes instanceof Map) {
    return found as SharedRegistry;
  }
  const shape = typeof found === "object" && found !== null ? String((found as { shape?: unknown }).shape) : typeof found;
  throw new Error(
    `@tsc-micro/runtime: two incompatible copies of the runtime are loaded in this process: another copy's error-class registry ` +
      `(globalThis[Symbol.for("tsc-micro.errorClasses")]) has shape ${shape}, this copy understands shape ${REGISTRY_SHAPE}. ` +
      `Errors from services would not be rebuilt as the program's classes. Make every package use one version of ` +
      `@tsc-micro/runtime: align the versions in package.json, then run \`npm dedupe\` (check with \`npm ls @tsc-micro/runtime\`).`,
  );
}

/**
 * Registers error classes, so a service error whose `name` matches is
 * rebuilt on the client side as an instance of that class (its constructor is
 * not called; see the client's `ServiceClient`).
 *
 * Generated service bundles do this for the program's own classes. Code that
 * calls services through the generated clients from elsewhere (tests, another
 * program) calls it itself, with the classes it wants `instanceof` to see.
 *
 * - `registerErrorClasses([NotFoundError, Conflict])`: each is keyed by its
 *   prototype's own `name` when it has one (`NotFoundError.prototype.name =
 *   "NotFoundError"`), else by the class's name. A class that sets
 *   `this.name` in its constructor has no prototype name: it is keyed by
 *   `NotFoundError.name`, which a bundler or minifier may have renamed.
 * - `registerErrorClasses({ NotFoundError })`: the key is the given one,
 *   which survives renaming; this is the form generated code uses.
 *
 * A later registration of the same name replaces the earlier one, unless it
 * passes `{ replace: false }`: then names already registered keep their class
 * (the generated `dist/clients` registers the program's classes so, letting a
 * consumer's own registration win whichever runs first). Throws a TypeError,
 * registering nothing, if any entry is not an Error class.
 *
 * The registry is process-wide: every copy of this runtime sees these
 * registrations (see the top of this module).
 *
 * @returns a function that removes these registrations again (names since
 *   registered to another class are left alone).
 */
export function registerErrorClasses(
  classes: Iterable<ErrorClass> | Readonly<Record<string, ErrorClass>>,
  options: { replace?: boolean } = {},
): () => void {
  const all = isIterable(classes)
    ? Array.from(classes, (cls): [string, ErrorClass] => [keyOf(cls), cls])
    : Object.entries(classes);
  // Check everything first so a bad entry leaves the registry untouched.
  for (const [name, cls] of all) checkEntry(name, cls);
  const entries = options.replace === false ? all.filter(([name]) => !registry.has(name)) : all;
  for (const [name, cls] of entries) registry.set(name, cls);
  return function unregisterErrorClasses(): void {
    for (const [name, cls] of entries) {
      if (registry.get(name) === cls) registry.delete(name);
    }
  };
}

/** The class registered for `name`, if any. @internal */
export function errorClassFor(name: string): ErrorClass | undefined {
  return registry.get(name);
}

function isIterable(value: object): value is Iterable<ErrorClass> {
  return typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] === "function";
}

/** The name instances of `cls` carry: its prototype's own name, else the class name. */
function keyOf(cls: ErrorClass): string {
  if (typeof cls !== "function") {
    throw new TypeError(`registerErrorClasses: ${describe(cls)} is not a class`);
  }
  const proto: unknown = cls.prototype;
  if (typeof proto === "object" && proto !== null && Object.hasOwn(proto, "name")) {
    const name = (proto as { name?: unknown }).name;
    if (typeof name === "string" && name !== "") return name;
  }
  if (cls.name === "") {
    throw new TypeError("registerErrorClasses: an anonymous class has no name to register; pass { Name: TheClass }");
  }
  return cls.name;
}

function checkEntry(name: string, cls: unknown): void {
  if (name === "") throw new TypeError("registerErrorClasses: the name must not be empty");
  const proto: unknown = typeof cls === "function" ? cls.prototype : undefined;
  // Rebuilt errors must be `instanceof Error` like the ones thrown.
  if (typeof proto !== "object" || proto === null || !(proto === Error.prototype || Object.prototype.isPrototypeOf.call(Error.prototype, proto))) {
    throw new TypeError(`registerErrorClasses: ${name} (${describe(cls)}) is not a class extending Error`);
  }
}

function describe(value: unknown): string {
  return typeof value === "function" ? `class ${value.name || "(anonymous)"}` : typeof value;
}
