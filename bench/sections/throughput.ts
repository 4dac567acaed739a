// 1. Service throughput and latency: the generated is-even service against
// hand-written servers doing the same work, each its own process, each loaded alone,
// in interleaved rounds so that every ratio compares loads of the same moment.
import path from "node:path";
import { checkIsEven } from "../lib/check.ts";
import { failures, load } from "../lib/load.ts";
import type { LoadResult } from "../lib/load.ts";
import { startServer, stopAll } from "../lib/procs.ts";
import type { Server } from "../lib/procs.ts";
import type { Section } from "../lib/section.ts";
import { HAND_WRITTEN, bundleHandWritten } from "../lib/servers.ts";
import { interleave, medianIndex, middle, spread } from "../lib/rounds.ts";
import { fmt, table } from "../lib/stats.ts";
import { parityBuild, wallClock } from "./shared.ts";

function sum(results: readonly LoadResult[], key: "total" | "non2xx" | "errors" | "timeouts"): number {
  return results.reduce((n, r) => n + r[key], 0);
}

export const throughput: Section = {
  id: 1,
  title: "Service throughput and latency",
  async run(config) {
    const parity = await parityBuild();
    const bundles = await bundleHandWritten();
    const targets = [
      { id: "tsc-micro", label: "tsc-micro generated (is-even)", validation: "Ajv standalone, compiled at build time", dir: path.join(parity.outDir, "services", "is-even") },
      // The same bundle without its per-request log line: what logging costs (tracing with no SDK stays on).
      { id: "tsc-micro-silent", label: "tsc-micro generated, LOG_LEVEL=silent", validation: "Ajv standalone, compiled at build time", dir: path.join(parity.outDir, "services", "is-even"), env: { LOG_LEVEL: "silent" } },
      // Neither the line nor tracing: what the two cost together (issue 12's goal: under 10 %).
      { id: "tsc-micro-bare", label: "tsc-micro generated, LOG_LEVEL=silent TSC_MICRO_TRACING=off", validation: "Ajv standalone, compiled at build time", dir: path.join(parity.outDir, "services", "is-even"), env: { LOG_LEVEL: "silent", TSC_MICRO_TRACING: "off" } },
      ...HAND_WRITTEN.map((s) => ({ ...s, dir: bundles[s.id]! })),
    ] as Array<{ id: string; label: string; validation: string; dir: string; env?: Record<string, string> }>;
    const servers: Server[] = [];
    let rounds: LoadResult[][];
    try {
      // All started (and checked) once up front; then interleaved rounds of loads.
      for (const t of targets) {
        const s = await startServer(t.id, t.dir, t.env ? { env: t.env } : {});
        servers.push(s);
        await checkIsEven(t.label, s.url);
      }
      rounds = await interleave(targets, config.rounds, async (t, round) => {
        process.stdout.write(`  round ${round + 1}/${config.rounds}: load ${t.label} … `);
        const r = await load({ url: servers[targets.indexOf(t)]!.url, path: "/isEven", bodies: ['{"x":7}', '{"x":10}'] }, config);
        console.log(`${fmt(r.rps)} req/s`);
        return r;
      });
    } finally {
      await stopAll(servers);
    }
    const baseIndex = targets.findIndex((t) => t.id === "node-http");
    const rows = targets.map((t, i) => {
      const perRound = rounds.map((row) => row[i]!);
      const rps = perRound.map((r) => r.rps);
      const ratios = spread(rounds.map((row) => row[i]!.rps / row[baseIndex]!.rps));
      wallClock.set(`server:${t.id}`, ratios);
      const mid = perRound[medianIndex(rps)]!;
      const failed = failures({ ...mid, non2xx: sum(perRound, "non2xx"), errors: sum(perRound, "errors"), timeouts: sum(perRound, "timeouts") });
      return [
        t.label,
        t.validation,
        fmt(middle(rps)),
        `×${ratios.median.toFixed(2)}`,
        `×${ratios.min.toFixed(2)}–${ratios.max.toFixed(2)}`,
        fmt(mid.p50Ms, 2),
        fmt(mid.p99Ms, 2),
        fmt(sum(perRound, "total")),
        failed,
      ];
    });
    // Ratios within a round, like "vs node:http": the generated service as shipped and with tracing only, each ÷ the bare one.
    const index = (id: string) => targets.findIndex((t) => t.id === id);
    const vsBare = (id: string) => spread(rounds.map((row) => row[index(id)]!.rps / row[index("tsc-micro-bare")]!.rps));
    // A ratio above 1 (the configuration with more work answered more) happens when the rounds' spread is wider than the difference.
    const change = (r: number) => (r <= 1 ? `${((1 - r) * 100).toFixed(1)} % fewer req/s` : `${((r - 1) * 100).toFixed(1)} % more req/s`);
    const shipped = vsBare("tsc-micro");
    const tracingOnly = vsBare("tsc-micro-silent");
    const telemetry = `**What tracing and logging cost in req/s** (no SDK; ÷ the same service with \`LOG_LEVEL=silent TSC_MICRO_TRACING=off\`, per round, median and spread): as shipped (a line per call, tracing) ×${shipped.median.toFixed(3)} (×${shipped.min.toFixed(2)}–${shipped.max.toFixed(2)}), **${change(shipped.median)}**; tracing alone ×${tracingOnly.median.toFixed(3)} (×${tracingOnly.min.toFixed(2)}–${tracingOnly.max.toFixed(2)}). A spread wider than the difference means this run cannot tell them apart; section 6 counts the instructions.`;
    return {
      method: [
        `All servers started once up front; then ${config.rounds} interleaved rounds (BENCH_ROUNDS), each loading every server once, one at a time, the order rotated by one each round (A B C …, then B C … A); per load autocannon ${config.connections} connections, pipelining 1, ${config.warmupS} s warm-up then ${config.durationS} s measured; load generator in the orchestrating process.`,
        "req/s: median over the rounds (for an even number of rounds, the mean of the middle two). vs node:http: this server's req/s ÷ raw node:http's **in the same round**, median over the rounds, and its spread (min–max over the rounds). p50/p99: from this server's median round (by req/s; the lower middle for an even number). responses and failed: summed over the rounds.",
        `Request: POST /isEven with \`{"x":7}\` and \`{"x":10}\` alternately (200 \`false\` / \`true\`); each server first passes a check (right answers, 400 for a string, a missing or an extra property, malformed JSON).`,
        "Every server is one esbuild bundle (ESM, node20, not minified) run with `node index.mjs` from a copy of its folder alone, NODE_ENV=production, PORT=0 HOST=127.0.0.1.",
        "Latency: every 2xx response's time (autocannon's hrtime value, in ms), p50 and p99 over all of them.",
      ],
      body: [table(["server", "validation", ">req/s (median)", ">vs node:http (median)", ">spread over rounds", ">p50 ms", ">p99 ms", ">responses", "failed"], rows), "", telemetry].join("\n"),
    };
  },
};
