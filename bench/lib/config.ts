// Run-wide settings, all from the environment so a run is reproducible from its command line.
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const BENCH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const REPO = path.resolve(BENCH, "..");
/** Scratch space: builds, bundles, generated monoliths (to be git-ignored). */
export const WORK = path.join(BENCH, ".work");
export const RESULTS = path.join(BENCH, "results");

function num(name: string, fallback: number, min = 0): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min) throw new RangeError(`${name} must be a number ≥ ${min}, got "${raw}"`);
  return n;
}

function list(name: string, fallback: number[]): number[] {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const xs = raw.split(",").map((s) => Number(s.trim()));
  if (xs.some((n) => !Number.isInteger(n) || n < 1)) throw new RangeError(`${name} must be a comma list of whole numbers, got "${raw}"`);
  return xs;
}

export const QUICK = process.env.BENCH_QUICK === "1";

export interface BenchConfig {
  quick: boolean;
  /** Seconds of measured load per target (autocannon `duration`). */
  durationS: number;
  /** Seconds of unmeasured load before each measured one. */
  warmupS: number;
  /** Concurrent connections of every load (pipelining is always 1). */
  connections: number;
  /** Measured sequential calls per method in "cost of a call". */
  calls: number;
  /** Unmeasured calls per method before those. */
  warmupCalls: number;
  /** Sizes (tagged functions) of the synthetic monoliths. */
  genSizes: number[];
  /** Builds (and tsc runs) per size; the median is reported. */
  buildSamples: number;
  /** Cold starts per server. */
  startupSamples: number;
  /** Requests sent before measuring idle RSS. */
  footprintRequests: number;
  /** Only these sections (1–5), if set. */
  sections: number[];
  /** Interleaved rounds of section 1: every server loaded once per round, order rotated. */
  rounds: number;
  /** false (BENCH_CALLGRIND=0): section 6 is skipped. */
  callgrind: boolean;
  /** Calls answered (resp. made) in the shorter and the longer callgrind run; their difference is measured. */
  callgrindA: number;
  callgrindB: number;
  /** How many callgrind processes run at once (instruction counts do not depend on it). */
  callgrindJobs: number;
  /** Measured calls per way and round in section 7. */
  hopCalls: number;
  /** Hard limit for the whole run; everything is killed past it. */
  timeoutS: number;
}

export function readConfig(): BenchConfig {
  const sections = list("BENCH_SECTIONS", [1, 2, 3, 4, 5, 6, 7]);
  const callgrind = process.env.BENCH_CALLGRIND !== "0";
  const callgrindA = num("BENCH_CALLGRIND_A", QUICK ? 300 : 10_000, 1);
  const callgrindB = num("BENCH_CALLGRIND_B", QUICK ? 600 : 30_000, callgrindA + 1);
  // Section 6 runs 24 processes under valgrind (~50× slower than without, ~20 s to start each):
  // its share of the time limit grows with the calls.
  const callgrindS = sections.includes(6) && callgrind ? 300 + Math.ceil((callgrindB / 1000) * 150) : 0;
  return {
    quick: QUICK,
    durationS: num("BENCH_DURATION_S", QUICK ? 1 : 5, 0.1),
    warmupS: num("BENCH_WARMUP_S", 1, 0),
    connections: num("BENCH_CONNECTIONS", 32, 1),
    calls: num("BENCH_CALLS", QUICK ? 400 : 2000, 10),
    warmupCalls: num("BENCH_WARMUP_CALLS", QUICK ? 200 : 500, 0),
    genSizes: list("BENCH_GEN_SIZES", QUICK ? [10, 50] : [10, 100, 500]),
    buildSamples: num("BENCH_BUILD_SAMPLES", QUICK ? 1 : 3, 1),
    startupSamples: num("BENCH_STARTUP_SAMPLES", QUICK ? 2 : 5, 1),
    footprintRequests: num("BENCH_FOOTPRINT_REQUESTS", 1000, 1),
    sections,
    rounds: num("BENCH_ROUNDS", QUICK ? 2 : 3, 1),
    callgrind,
    callgrindA,
    callgrindB,
    callgrindJobs: num("BENCH_CALLGRIND_JOBS", 2, 1),
    hopCalls: num("BENCH_HOP_CALLS", QUICK ? 2000 : 20_000, 100),
    timeoutS: num("BENCH_TIMEOUT_S", (QUICK ? 300 : 900) + callgrindS, 10),
  };
}

export const HAS_GNU_TIME = existsSync("/usr/bin/time");
