import type { Location } from "../../diagnostics/diagnostic.js";

/**
 * Facts about module state and arguments, read from the program once (see
 * collect-facts.ts) and judged against a plan (see check-state.ts). Plain,
 * serialisable data: the checks never touch the compiler.
 */

/** How a place in the program uses a value. `undecided`: the analysis cannot tell whether it changes it. */
export type AccessKind = "read" | "write" | "mutate" | "undecided";

/** One place the program uses a module-level binding. */
export interface StateAccess {
  kind: AccessKind;
  /**
   * The scopes the use sits in, innermost first, with the ids the call graph
   * uses (`file:start` of a function, class or class field); `file:module`
   * alone for a module's top level.
   */
  scopes: string[];
  /** Readable name of the innermost scope: `createOrder`, `Store.add`, `module top level`. */
  scopeName: string;
  location: Location;
  /** For `write`/`mutate`: the expression that changes it; for `undecided`: why the analysis cannot tell. */
  detail?: string;
}

/** A `let`, `var` or `const` declared at a module's top level. */
export interface ModuleBinding {
  name: string;
  file: string;
  declarationKind: "const" | "let" | "var";
  /** The binding's name in its declaration. */
  location: Location;
  /** Marked `@perProcess`: each process keeping its own copy is intended. */
  perProcess: boolean;
  accesses: StateAccess[];
}

/** What a service function does with one of its parameters. */
export interface ParameterFacts {
  name: string;
  index: number;
  /** The function changes the argument's contents (through the parameter or a helper it passes it to). */
  change?: { location: Location; detail: string };
  /** The parameter goes where the analysis cannot follow it, so it cannot tell whether it is changed. */
  undecided?: { location: Location; detail: string };
}

/** A value asserted with `as T`, `<T>x` or `x!`. */
export interface CastFacts {
  location: Location;
  /** The cast as written (shortened). */
  text: string;
}

/** One argument of a call to a service function. */
export interface ArgumentFacts {
  index: number;
  casts: CastFacts[];
  /** The argument is a variable: its name, and its first use after the call in the caller's body if that reads it. */
  variable?: { name: string; laterRead?: { location: Location; text: string } };
}

/** A call of a service function: the call graph's reference, with what its arguments are. */
export interface CallFacts {
  calleeId: string;
  arguments: ArgumentFacts[];
}

export interface StateFacts {
  bindings: ModuleBinding[];
  /** Service function id → what it does with its parameters. */
  parameters: Record<string, ParameterFacts[]>;
  /** `file:start` of a call (as the call graph's references have it) → its arguments. */
  calls: Record<string, CallFacts>;
}

/** The key of a call in {@link StateFacts.calls}. */
export function callKey(file: string, start: number): string {
  return `${file}:${start}`;
}
