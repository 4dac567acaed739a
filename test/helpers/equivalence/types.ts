// The vocabulary of the equivalence check: calls and scenarios, options,
// outcomes (values and profiled errors) and the report.
import type { BuildOptions, BuildResult } from "../../../packages/tsc-micro/src/index.ts";
import type { SplitRun } from "./program.ts";

/** Functions by route name: the fixture's own exports (monolith) or the generated client functions (split). */
export type Fns = Record<string, (...args: any[]) => unknown>;
export type Side = "monolith" | "split";

/** One call of a service function by its route name. */
export interface Call {
  fn: string;
  args: readonly unknown[];
  /** Shown in failure messages; default `fn(args)`. */
  label?: string;
}

/** Several calls whose combined result is compared (state, order): runs once per side. */
export interface Scenario {
  label: string;
  run: (fns: Fns, side: Side) => unknown;
}

export type CallList = readonly (Call | Scenario)[] | ((fns: Fns, side: Side) => unknown);

/** An Error class of the program (its own exported subclass of Error). */
export type ErrorClass = abstract new (...args: any[]) => Error;

export interface EquivalenceOptions {
  /** A folder name under fixtures/, or a path to a tsconfig.json. */
  fixture: string;
  calls: CallList;
  /** Build options on top of `{ project, outDir }`: `{ colocate: [...] }`, `{ mode: "monolith" }`, `{ entry }`… */
  build?: Partial<BuildOptions>;
  /** Names the output folder and the failure messages. */
  label: string;
  /**
   * The program's Error classes, imported from the fixture's source. They are
   * registered with the client runtime (`registerErrorClasses`) so the errors
   * the test receives through dist/clients are rebuilt as these classes, and
   * every error is checked for `instanceof` each of them on both sides.
   */
  errorClasses?: Readonly<Record<string, ErrorClass>>;
  /** Assert that every call agrees (default true); false: only return the report. */
  assert?: boolean;
  /** Reuse a program already started with {@link startProgram} (it is not stopped). */
  program?: SplitRun;
}

/** What a call did: its value, the Error it threw (profiled), or a non-Error it threw. */
export type Outcome = { value: unknown } | { error: ErrorProfile } | { thrown: unknown };

/** Everything about a thrown Error that the caller's code can observe and that must survive the wire. */
export interface ErrorProfile {
  name: string;
  message: string;
  /** `error.constructor.name`. */
  constructorName: string;
  /** `error instanceof X` for each built-in error class. */
  builtins: Record<string, boolean>;
  /** `error instanceof X` for each of the program's error classes given. */
  classes: Record<string, boolean>;
  /** Own enumerable properties (`code`, `resource`, an instance `name`…), `cause` excluded. */
  fields: Record<string, unknown>;
  /** The cause: an Error's profile, a non-Error value, or absent. */
  cause?: Outcome;
}

export interface CallResult {
  label: string;
  monolith: Outcome;
  split: Outcome;
  /** Set when the outcomes differ: the failure text. */
  diff?: string;
}

export interface EquivalenceReport {
  label: string;
  build: BuildResult;
  results: CallResult[];
  failures: CallResult[];
  /** Services that died while the calls ran (restarted after each call), with the call after which and their output. */
  crashed: { after: string; name: string; code: number | string | null; output: string }[];
}
