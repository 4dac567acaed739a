/**
 * What `build()` reports as it goes, for a tool that shows progress (the CLI
 * draws one line on a terminal). The library itself never writes to the terminal.
 */

/** The phases of a build, in the order they start. `check` is skipped with `typeCheck: false`. */
export const BUILD_PHASES = ["check", "scan", "model", "plan", "emit", "bundle", "write"] as const;
export type BuildPhase = (typeof BUILD_PHASES)[number];

/** One phase has started; the counts are those known by then. */
export interface BuildProgressEvent {
  phase: BuildPhase;
  /** Source files of the program (from `scan` on: the files scanned). */
  files?: number;
  /** Functions tagged `@microservice` (from `model` on). */
  functions?: number;
  /** Services planned (from `emit` on). */
  services?: number;
  /** Entry points bundled (from `bundle` on, when there are any). */
  entries?: number;
}

/** Called once per phase, in order, synchronously: keep it cheap. An exception it throws fails the build. */
export type BuildProgressListener = (event: BuildProgressEvent) => void;
