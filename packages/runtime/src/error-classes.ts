/**
 * The program's own error classes, by the name their instances carry, so that
 * an error thrown in a service is rebuilt on the caller's side as an instance
 * of the caller's class: `e instanceof NotFoundError` holds as in the monolith.
 *
 * The registry is module-level, one per copy of this runtime. That is what we
 * want: every service bundle has its own copy, and the entry the compiler
 * generates registers the program's classes imported from the same sources
 * the bundle's code uses, so `instanceof` checks the very class the caller
 * sees.
 */

/** A class whose instances are errors (abstract classes included). */
export type ErrorClass = abstract new (...args: any[]) => Error;

// A Map, not an object: names like "__proto__" or "constructor" stay keys.
const registry = new Map<string, ErrorClass>();

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
 * A later registration of the same name replaces the earlier one. Throws a
 * TypeError, registering nothing, if any entry is not an Error class.
 *
 * @returns a function that removes these registrations again (names since
 *   registered to another class are left alone).
 */
export function registerErrorClasses(
  classes: Iterable<ErrorClass> | Readonly<Record<string, ErrorClass>>,
): () => void {
  const entries = isIterable(classes)
    ? Array.from(classes, (cls): [string, ErrorClass] => [keyOf(cls), cls])
    : Object.entries(classes);
  // Check everything first so a bad entry leaves the registry untouched.
  for (const [name, cls] of entries) checkEntry(name, cls);
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
