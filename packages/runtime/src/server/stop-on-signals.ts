/**
 * What a service does on SIGTERM/SIGINT (what Docker, Kubernetes and Ctrl-C
 * send), in order:
 *
 * 1. `/health/ready` answers 503 at once, and every response carries
 *    `Connection: close`, but the listener keeps accepting and serving for
 *    the pre-stop delay. Kubernetes removes a terminating pod from its
 *    Service endpoints asynchronously (kube-proxy, ingress and other
 *    clients learn it a moment later), so requests keep arriving for a
 *    while; closing the listener at once would reset them.
 * 2. The listener closes and in-flight requests get the drain grace to finish.
 * 3. Exit 0 when all finished, 1 when some had to be cut (the count is logged).
 *
 * A second signal exits at once with 128 + the signal number (130 for
 * SIGINT, 143 for SIGTERM). A handler is always installed, because as PID 1
 * in a container Node's default action (die) does not apply: an unhandled
 * SIGTERM would be ignored and the container killed only by SIGKILL.
 */
import { integerFromEnv, TIMER_MS } from "../env-integer.js";
import { constants } from "node:os";
import type { Drainer } from "./drain-server.js";

export interface ShutdownSettings {
  /** Still accept and serve (while not ready) this long after the signal. */
  preStopMs: number;
  /** Then how long in-flight requests may take before they are cut. */
  drainMs: number;
}

/**
 * Defaults keep pre-stop + drain (8 s) under Docker's default stop timeout
 * (10 s, after which it sends SIGKILL); Kubernetes' default grace is 30 s.
 * The pre-stop delay only helps behind something that routes by readiness,
 * so it is on by default only with NODE_ENV=production (which the generated
 * Dockerfile sets); a local run or test stops at once.
 */
export const DEFAULT_PRESTOP_MS = 3_000;
export const DEFAULT_DRAIN_MS = 5_000;

/** Options beat `TSC_MICRO_PRESTOP_MS` / `TSC_MICRO_DRAIN_MS`, which beat the defaults. */
export function shutdownSettings(
  env: Record<string, string | undefined>,
  options: { preStopMs?: number; shutdownTimeoutMs?: number } = {},
): ShutdownSettings {
  const production = env.NODE_ENV === "production";
  return {
    preStopMs:
      options.preStopMs ?? integerFromEnv(env, "TSC_MICRO_PRESTOP_MS", MILLISECONDS) ?? (production ? DEFAULT_PRESTOP_MS : 0),
    drainMs: options.shutdownTimeoutMs ?? integerFromEnv(env, "TSC_MICRO_DRAIN_MS", MILLISECONDS) ?? DEFAULT_DRAIN_MS,
  };
}

/** The shell convention for "killed by this signal": 130 for SIGINT, 143 for SIGTERM. */
export function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + (constants.signals[signal] ?? 0);
}

export const STOP_SIGNALS = ["SIGTERM", "SIGINT"] as const;

export interface StopOnSignalsOptions {
  name: string;
  settings: ShutdownSettings;
  drainer: Drainer;
  /** Turns /health/ready to 503. */
  markNotReady(): void;
  log(line: string): void;
  exit?(code: number): void;
  /**
   * Stop as on SIGTERM when this process stops being that process's child (it
   * died, even by SIGKILL, and the orphan was re-parented): a supervisor such
   * as `tsc-micro dev` sets TSC_MICRO_PARENT_PID so no service outlives it.
   */
  parentPid?: number;
}

/** Installs the handlers; returns a function that removes them. */
export function stopOnSignals(options: StopOnSignalsOptions): () => void {
  const { name, settings, drainer, log } = options;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let stopping = false;

  function onSignal(signal: NodeJS.Signals): void {
    if (stopping) {
      const code = signalExitCode(signal);
      log(`${name} received a second ${signal}, exiting at once with ${code}, cut ${drainer.inFlight()} request(s)`);
      exit(code);
      return;
    }
    stopping = true;
    log(`${name} received ${signal}, stopping`);
    options.markNotReady();
    drainer.closeAfterResponses();
    setTimeout(function preStopOver() {
      const inFlight = drainer.inFlight();
      const drained = drainer.drain(settings.drainMs);
      // Logged after the listener closed, so a reader of this line can rely on it.
      log(`${name} closed its listener, draining ${inFlight} request(s) for up to ${settings.drainMs} ms`);
      void drained.then(function done({ clean, cut }) {
        if (clean) log(`${name} stopped cleanly`);
        else log(`${name} drain timed out after ${settings.drainMs} ms, cut ${cut} request(s)`);
        exit(clean ? 0 : 1);
      });
    }, settings.preStopMs);
  }

  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  // Checked once a second, unref'd so it never keeps the process alive by itself.
  const watchParent =
    options.parentPid === undefined
      ? undefined
      : setInterval(function checkParent() {
          if (process.ppid === options.parentPid || stopping) return;
          log(`${name}: its supervisor (pid ${options.parentPid}) is gone`);
          onSignal("SIGTERM");
        }, 1_000).unref();
  return function remove() {
    for (const signal of STOP_SIGNALS) process.removeListener(signal, onSignal);
    if (watchParent) clearInterval(watchParent);
  };
}

/** TSC_MICRO_PARENT_PID as a pid; unset or empty → undefined. */
export function parentPidFromEnv(env: Record<string, string | undefined>): number | undefined {
  return integerFromEnv(env, "TSC_MICRO_PARENT_PID", { min: 1, expected: "a process id" });
}

/** The delays: a whole number of milliseconds a timer can wait (Node turns more than 2^31 − 1 into 1 ms). */
const MILLISECONDS = { min: 0, max: TIMER_MS.max, expected: `a whole number of milliseconds from 0 to ${TIMER_MS.max}` } as const;
