// HTTP load with autocannon's programmatic API, in this process.
// autocannon's own latency histogram keeps whole milliseconds, too coarse on
// loopback; every response's time (a float, in ms, from process.hrtime) is
// collected here instead, and the percentiles computed from all of them.
import autocannon from "autocannon";
import type { BenchConfig } from "./config.ts";
import { median, quantile } from "./stats.ts";

export interface LoadTarget {
  url: string;
  path: string;
  /** JSON bodies; the connections cycle through them. */
  bodies: string[];
}

export interface LoadResult {
  /** Responses (any status) per second over the measured run. */
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Responses measured. */
  total: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  durationS: number;
}

const MAX_SAMPLES = 5_000_000; // bounds memory whatever the duration

async function once(target: LoadTarget, connections: number, durationS: number, latencies?: number[]) {
  const instance = autocannon({
    url: target.url,
    connections,
    pipelining: 1,
    duration: durationS,
    // A bound on count as well as time (loopback on this machine stays far below it).
    maxOverallRequests: Math.ceil(durationS * 200_000),
    timeout: 10,
    requests: target.bodies.map((body) => ({
      method: "POST",
      path: target.path,
      headers: { "content-type": "application/json" },
      body,
    })),
  });
  if (latencies) {
    instance.on("response", (_client: unknown, status: number, _bytes: number, ms: number) => {
      if (status >= 200 && status < 300 && latencies.length < MAX_SAMPLES) latencies.push(ms);
    });
  }
  return await instance;
}

/** A warm-up (results thrown away), then the measured run. */
export async function load(target: LoadTarget, config: Pick<BenchConfig, "connections" | "durationS" | "warmupS">): Promise<LoadResult> {
  if (config.warmupS > 0) await once(target, config.connections, config.warmupS);
  const latencies: number[] = [];
  const r = await once(target, config.connections, config.durationS, latencies);
  const total = r.requests.total;
  return {
    rps: total / r.duration,
    p50Ms: median(latencies),
    p99Ms: quantile(latencies, 0.99),
    total,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    durationS: r.duration,
  };
}

/** Describes failures of a run for a table cell ("0" when clean). */
export function failures(r: LoadResult): string {
  const parts = [];
  if (r.non2xx) parts.push(`${r.non2xx} non-2xx`);
  if (r.errors) parts.push(`${r.errors} errors`);
  if (r.timeouts) parts.push(`${r.timeouts} timeouts`);
  return parts.length ? parts.join(", ") : "0";
}

/**
 * Exactly `amount` requests over `connections` connections (for warming a process before reading its
 * memory, or a counted load under callgrind); stopped past `maxMs`, which then counts the missing as errors.
 */
export async function fire(target: LoadTarget, amount: number, connections: number, maxMs = Infinity): Promise<{ non2xx: number; errors: number }> {
  const instance = autocannon({
    url: target.url,
    connections: Math.min(connections, amount),
    pipelining: 1,
    amount,
    timeout: 10,
    requests: target.bodies.map((body) => ({ method: "POST", path: target.path, headers: { "content-type": "application/json" }, body })),
  });
  const timer = Number.isFinite(maxMs) ? setTimeout(() => instance.stop(), maxMs) : undefined;
  try {
    const r = await instance;
    const missing = Math.max(0, amount - r.requests.total);
    return { non2xx: r.non2xx, errors: r.errors + r.timeouts + missing };
  } finally {
    clearTimeout(timer);
  }
}
