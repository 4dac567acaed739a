import type { Diagnostic, Location } from "../diagnostics/diagnostic.js";
import type { ServiceOptions } from "./tag-options.js";
import type { ErrorClass } from "./error-classes.js";

/** The JSDoc of a tagged function, as plain text. */
export interface FunctionDocs {
  description?: string;
  params: Record<string, string>;
  returns?: string;
  deprecated?: boolean;
}

export interface ScannedParameter {
  name: string;
  /** `x?: T` or a default value: the argument may be left out. */
  optional: boolean;
}

/**
 * One overload signature of a tagged function (`function f(x: string): number;`).
 * The route serves the implementation; the client's typings declare these.
 */
export interface ScannedOverload {
  /** Id (`file:start`) of the signature, for the model to find it. */
  id: string;
  /** Its own parameter names (the wire uses the implementation's, by position). */
  params: ScannedParameter[];
  /** Its own JSDoc: TypeScript shows the resolved overload's docs at a call. */
  docs: FunctionDocs;
}

/** One exported function tagged `@microservice`. */
export interface TaggedFunction {
  /** Function id (`file:start`), shared with the call graph. */
  id: string;
  /** The function's own name: the route is `POST /<name>`. */
  name: string;
  /** The name it is exported under (`default` for a default export). */
  exportName: string;
  /** Project-relative POSIX path of the file that declares it. */
  file: string;
  /** Where the function's name is, for diagnostics. */
  location: Location;
  isAsync: boolean;
  docs: FunctionDocs;
  options: ServiceOptions;
  params: ScannedParameter[];
  /** The overload signatures, in source order, when the function is overloaded (id, location and params are then the implementation's). */
  overloads?: ScannedOverload[];
}

/** The kinds of scope a call can sit in; only some of them can become async. */
export type ContextKind =
  | "function"
  | "arrow"
  | "function-expression"
  | "method"
  | "constructor"
  | "getter"
  | "setter"
  | "static-block"
  | "class-field"
  | "module";

/**
 * `xs.map(cb)` (and filter, forEach, some, every, find…, reduce) on an array,
 * where the callback is the first argument: the call can be rewritten to
 * `(await $tsmAsync.map(xs, cb))` when the callback must become async.
 */
export interface ArrayCallSite {
  method: string;
  callStart: number;
  callEnd: number;
  /** End of the receiver (`xs`) and start of the callback: `.map(` between them is replaced. */
  receiverEnd: number;
  firstArgStart: number;
  /** The scope the call itself sits in (it must then be able to await). */
  contextId: string;
  /** Compound assignments whose right side holds the call (see {@link Reference.compounds}). */
  compounds?: CompoundAssignment[];
  line: number;
  column: number;
}

/** A scope that contains calls: a function of the program, or a module's top level. */
export interface CallContext {
  id: string;
  file: string;
  kind: ContextKind;
  /** A readable name for messages (`isOdd`, `Shop.total`, `<callback>`). */
  name: string;
  isAsync: boolean;
  isGenerator: boolean;
  /** Where `async ` is inserted to make this function async. */
  asyncAt?: number;
  /**
   * The declared return type's span, rewritten to `Promise<…>` when made async. `predicate`:
   * it is a type predicate (`x is T`) or an assertion (`asserts x`), which cannot become async.
   */
  returnType?: { start: number; end: number; text: string; predicate?: "type" | "assertion" };
  /** Set when this function is an argument of a call (a callback): the callee's text. */
  callbackOf?: string;
  /** Set when that call is an array method the compiler can make async. */
  arrayCallback?: ArrayCallSite;
  /** A callback of `then`/`catch`/`finally` on a promise: it may become async as it is. */
  promiseCallback?: boolean;
  /** An immediately invoked function: the call (in `contextId`) must await it when it becomes async. */
  iife?: { file: string; start: number; end: number; contextId: string; line: number; column: number; compounds?: CompoundAssignment[] };
  /** An anonymous function that flows elsewhere as a value (returned, stored in a property…). */
  escapes?: boolean;
  /** Location of the function's start, for diagnostics. */
  line: number;
  column: number;
  start: number;
  length: number;
  /** The enclosing scope's id (a function, or the module's top level). */
  parentId?: string;
}

/** A reference from one scope to a function of the program. */
export interface Reference {
  file: string;
  /** The referenced function's id. */
  calleeId: string;
  /** The scope the reference sits in. */
  contextId: string;
  /** `call` when the function is called there, `value` when it is used as a value. */
  kind: "call" | "value";
  /** The call expression (or the identifier, for a value reference). */
  start: number;
  end: number;
  /** The callee expression (`isEven`, `ns.isEven`). */
  calleeStart: number;
  calleeEnd: number;
  /** The call is already the operand of an `await`. */
  awaited: boolean;
  /** A value reference passed as the callback of an array method (`xs.map(isEven)`). */
  arrayCallback?: ArrayCallSite;
  /** The reference sits in a parameter's default value, where `await` is not allowed. */
  inParameter?: boolean;
  /**
   * The call is on the right of `x += …` (any arithmetic compound assignment, innermost
   * first): once it is awaited, `x` is read after the await, so that updates other callers
   * make meanwhile are kept, as they were in the sync monolith.
   */
  compounds?: CompoundAssignment[];
  line: number;
  column: number;
}

/**
 * `target op= right` around a call that becomes awaited. The rewrite reads the
 * target after the await, and evaluates the target's object and key exactly
 * once, in place, before the right side, as JS does:
 * `x = ((v$) => x + v$)(right)`, or
 * `((o$, k$, v$) => o$[k$] = o$[k$] + v$)(object, key, right)`.
 */
export interface CompoundAssignment {
  start: number;
  end: number;
  rightStart: number;
  /** The operator without `=`: `+`, `**`, `>>>`… */
  operator: string;
  /** The target as the rewrite reads and writes it: `total`, `this.n`, `o$.total`, `o$[k$]`. */
  access: string;
  /** The object and key of the target, in source order, each evaluated once into the named parameter. */
  captures: { start: number; end: number; name: string }[];
  /** The parameter holding the right side's value: `v$`, or a name the file does not use. */
  value: string;
}

/** Everything the scan phase found: plain, serialisable data. */
export interface ScanResult {
  /** Project-relative paths of the program's own source files, sorted. */
  files: string[];
  functions: TaggedFunction[];
  /** Exported Error subclasses, registered with the client runtime in every bundle. */
  errorClasses: ErrorClass[];
  contexts: Record<string, CallContext>;
  references: Reference[];
  /** Per file, the identifiers it spells that the rewrite's imported names (`f$remote`, `$tsmAsync`) must avoid; files with none are left out. */
  namesInUse?: Record<string, string[]>;
  /**
   * Some program file names `@tsc-micro/runtime` (say, to read `callSignal()`): its services then
   * keep the call context even when they call no other service (see plan's `callContext`).
   */
  importsRuntime?: boolean;
  diagnostics: Diagnostic[];
}
