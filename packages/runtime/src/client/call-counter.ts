/**
 * A series of tsc_micro_client_calls_total (telemetry/client-metrics.ts) as a counter
 * whose `inc()` adds 1 to a number. prom-client's own `inc(labels)`, and a
 * `labels()` child's, hashes the labels into a string on every call: about
 * 4 % of a whole client call's instructions. The numbers are added to the
 * series whenever the registry is read (the counter's `collect`), so every
 * scrape shows what it showed before.
 */
import type { Counter } from "prom-client";
import { clientMetricsRegistry } from "../telemetry/client-metrics.js";

type Labels = { service: string; function: string; code: string };

/** One series, counted here until the registry is read. */
class Tally {
  pending = 0;
  constructor(readonly labels: Labels) {}
  inc(): void {
    this.pending++;
  }
}

/**
 * The tallies live on the counter itself: the client metrics are one per process, shared by
 * every copy of the runtime (client-metrics.ts), and so must their tallies be.
 */
const TALLIES = Symbol.for("tsc-micro.clientCallTallies.v1");

type CallsCounter = Counter<keyof Labels> & {
  [TALLIES]?: Map<string, Tally>;
  // prom-client calls a metric's `collect` (a config option, kept as a property) before reading it.
  collect?: (this: CallsCounter) => void;
};

/** The counter of calls of `service`'s `fn` that ended with `code` ("OK" or an error code). */
export function callCounter(service: string, fn: string, code: string): { inc(): void } {
  const calls = clientMetricsRegistry().getSingleMetric("tsc_micro_client_calls_total") as CallsCounter;
  let tallies = calls[TALLIES];
  if (tallies === undefined) {
    const all = (tallies = new Map());
    Object.defineProperty(calls, TALLIES, { value: all });
    calls.collect = function addTallies(): void {
      for (const tally of all.values()) {
        if (tally.pending === 0) continue;
        this.inc(tally.labels, tally.pending);
        tally.pending = 0;
      }
    };
  }
  const key = `${service}\n${fn}\n${code}`;
  let tally = tallies.get(key);
  if (tally === undefined) {
    tally = new Tally({ service, function: fn, code });
    tallies.set(key, tally);
    // The series exists from now on (at 0 until read), so it keeps the place in the output its first call gives it.
    calls.inc(tally.labels, 0);
  }
  return tally;
}
