/**
 * Diagnostics are collected, never thrown: every phase returns the problems it
 * found as plain data and the build reports them all at once, like `tsc` does.
 * Throwing is reserved for bugs in tsc-micro itself.
 */

/** Every diagnostic code tsc-micro can report, with the phase that owns it. */
export const DiagnosticCode = {
  // scan: the @microservice tag and what it is attached to
  TagOnNonFunction: 1001,
  TagOnNonExported: 1002,
  UnknownTagOption: 1003,
  InvalidTagOption: 1004,
  ConflictingServiceOptions: 1005,
  DuplicateRoute: 1006,
  UnsupportedParameter: 1007,
  /** A misspelt tag (`@Microservice`), or the tag in a comment TypeScript does not read as docs (`// @microservice`). */
  NearMissTag: 1008,
  /** A tagged function in a file of the project folder that the tsconfig does not include. */
  TaggedOutsideProgram: 1009,
  // model: types that cannot cross the wire
  UnsupportedType: 2001,
  InvalidConstraint: 2002,
  AmbiguousUnion: 2003,
  // plan: calls that must become network calls
  CannotBecomeAsync: 3001,
  ServiceFunctionAsValue: 3002,
  /** A type predicate or assertion function would have to become async. */
  PredicateCannotBecomeAsync: 3003,
  // plan: state and arguments a split cannot share
  SharedModuleState: 3101,
  MutatedArgument: 3102,
  SharedStateUndecided: 3103,
  CastAtBoundary: 3104,
  // build set-up and bundling
  ConfigNotFound: 5001,
  ConfigInvalid: 5002,
  NoServices: 5003,
  OutDirUnsafe: 5004,
  BundleFailed: 6001,
  // check: this build against the previous one (check/)
  /** A change that breaks callers built from the previous build (a request narrowed, a result widened, a function removed…). */
  BreakingChange: 7001,
  /** The previous build given to `check --against` cannot be read. */
  PreviousBuildUnreadable: 7002,
  /** A change that may break callers of the previous build, which the documents cannot tell for sure (an error class removed). */
  PossiblyBreakingChange: 7003,
} as const;

export type DiagnosticCode = (typeof DiagnosticCode)[keyof typeof DiagnosticCode];

export type DiagnosticCategory = "error" | "warning";

/**
 * A problem found while building, located in a file (project-relative path).
 * tsc-micro's own problems have a {@link DiagnosticCode} (printed `TSM1001`);
 * TypeScript's errors in the program keep TypeScript's code and say so with
 * `source: "ts"` (printed `TS2322`), since the two number ranges overlap.
 */
export type Diagnostic = DiagnosticFields & ({ code: DiagnosticCode; source?: undefined } | { code: number; source: "ts" });

interface DiagnosticFields {
  category: DiagnosticCategory;
  /** Project-relative POSIX path, or undefined for problems with no file. */
  file?: string;
  /** 0-based character offset of the problem in the file. */
  start?: number;
  /** Length of the span the problem covers. */
  length?: number;
  /** 1-based line and column, computed when the diagnostic is made. */
  line?: number;
  column?: number;
  message: string;
  /** What the user can do about it. */
  hint?: string;
}

/** Where in a file a diagnostic points. */
export interface Location {
  file: string;
  start: number;
  length: number;
  line: number;
  column: number;
}

export function error(code: DiagnosticCode, message: string, at?: Location, hint?: string): Diagnostic {
  return { code, category: "error", ...at, message, ...(hint ? { hint } : {}) };
}

export function warning(code: DiagnosticCode, message: string, at?: Location, hint?: string): Diagnostic {
  return { code, category: "warning", ...at, message, ...(hint ? { hint } : {}) };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.category === "error");
}

/**
 * Stable order for reporting: TypeScript's own errors first (tsc-micro's
 * findings in a program that does not type-check may be their consequences,
 * e.g. an 'any' where TypeScript could not type an expression), then by file,
 * position and code.
 */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const fromTs = (d: Diagnostic) => (d.source === "ts" ? 0 : 1);
  return [...diagnostics].sort(
    (a, b) =>
      fromTs(a) - fromTs(b) ||
      (a.file ?? "").localeCompare(b.file ?? "") ||
      (a.start ?? -1) - (b.start ?? -1) ||
      a.code - b.code ||
      a.message.localeCompare(b.message),
  );
}
