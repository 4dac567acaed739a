// 1. Service throughput and latency: the generated is-even service against
// hand-written servers doing the same work, each its own process, each loaded alone.
import path from "node:path";
import { checkIsEven } from "../lib/check.ts";
import { failures, load } from "../lib/load.ts";
import type { LoadResult } from "../lib/load.ts";
import { startServer, stopAll } from "../lib/procs.ts";
import type { Server } from "../lib/procs.ts";
import type { Section } from "../lib/section.ts";
import { HAND_WRITTEN, bundleHandWritten } from "../lib/servers.ts";
import { fmt, ratio, table } from "../lib/stats.ts";
import { parityBuild } from "./shared.ts";

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
      ...HAND_WRITTEN.map((s) => ({ ...s, dir: bundles[s.id]! })),
    ] as Array<{ id: string; label: string; validation: string; dir: string; env?: Record<string, string> }>;
    const servers: Server[] = [];
    const results = new Map<string, LoadResult>();
    try {
      for (const t of targets) {
        const s = await startServer(t.id, t.dir, t.env ? { env: t.env } : {});
        servers.push(s);
        await checkIsEven(t.label, s.url);
      }
      for (const [i, t] of targets.entries()) {
        process.stdout.write(`  load ${t.label} … `);
        const r = await load({ url: servers[i]!.url, path: "/isEven", bodies: ['{"x":7}', '{"x":10}'] }, config);
        results.set(t.id, r);
        console.log(`${fmt(r.rps)} req/s`);
      }
    } finally {
      await stopAll(servers);
    }
    const base = results.get("node-http")!.rps;
    const rows = targets.map((t) => {
      const r = results.get(t.id)!;
      return [t.label, t.validation, fmt(r.rps), ratio(r.rps, base), fmt(r.p50Ms, 2), fmt(r.p99Ms, 2), fmt(r.total), failures(r)];
    });
    return {
      method: [
        `autocannon ${config.connections} connections, pipelining 1, ${config.warmupS} s warm-up then ${config.durationS} s measured, per server, one server at a time, load generator in the orchestrating process.`,
        `Request: POST /isEven with \`{"x":7}\` and \`{"x":10}\` alternately (200 \`false\` / \`true\`); each server first passes a check (right answers, 400 for a string, a missing or an extra property, malformed JSON).`,
        "Every server is one esbuild bundle (ESM, node20, not minified) run with `node index.mjs` from a copy of its folder alone, NODE_ENV=production, PORT=0 HOST=127.0.0.1.",
        "Latency: every 2xx response's time (autocannon's hrtime value, in ms), p50 and p99 over all of them.",
      ],
      body: table(["server", "validation", ">req/s", ">vs node:http", ">p50 ms", ">p99 ms", ">responses", "failed"], rows),
    };
  },
};
