// 5. Start-up and footprint: from spawning a bundle to its first answered
// request, its memory once idle after some traffic, and its size on disk.
import { readFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { checkIsEven } from "../lib/check.ts";
import { fire } from "../lib/load.ts";
import { startServer } from "../lib/procs.ts";
import type { Server } from "../lib/procs.ts";
import type { Section } from "../lib/section.ts";
import { HAND_WRITTEN, bundleHandWritten } from "../lib/servers.ts";
import { fmt, kib, median, mib, sleep, table } from "../lib/stats.ts";
import { parityBuild } from "./shared.ts";

const POLL_MS = 2;
const IDLE_MS = 1000;

/** GET /health/live on a fresh connection; the status, or 0 if refused. */
function live(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(`${url}/health/live`, { agent: false, timeout: 2000 }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(0));
  });
}

/** Polls /health/live until 200; ms since the process was spawned. */
async function firstAnswerMs(server: Server, deadlineMs = 20_000): Promise<number> {
  const start = Date.now();
  while (Date.now() - start < deadlineMs) {
    if ((await live(server.url)) === 200) return Number(process.hrtime.bigint() - server.spawnedAt) / 1e6;
    await sleep(POLL_MS);
  }
  throw new Error(`${server.name}: /health/live did not answer 200 within ${deadlineMs} ms`);
}

/** `<dir>/index.mjs` and the files it imports relatively (a generated service's shared chunks, at ../_chunks/), concatenated. */
function loadedCode(dir: string): Buffer {
  const seen = new Set<string>();
  const parts: Buffer[] = [];
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file);
    parts.push(text);
    for (const m of text.toString("utf8").matchAll(/^(?:import|export)\s[^;]*?["'](\.\.?\/[^"']+)["']/gm)) visit(path.resolve(path.dirname(file), m[1]!));
  };
  visit(path.join(dir, "index.mjs"));
  return Buffer.concat(parts);
}

export const startup: Section = {
  id: 5,
  title: "Start-up and footprint",
  async run(config) {
    const parity = await parityBuild();
    const bundles = await bundleHandWritten();
    const targets = [
      { id: "tsc-micro", label: "tsc-micro generated (is-even)", dir: path.join(parity.outDir, "services", "is-even") },
      ...HAND_WRITTEN.map((s) => ({ id: s.id, label: s.label, dir: bundles[s.id]! })),
    ];
    interface Measured {
      listen: number[];
      first: number[];
      rssStart?: number;
      rssAfter?: number;
      failed: string;
    }
    const measured = new Map<string, Measured>(targets.map((t) => [t.id, { listen: [], first: [], failed: "0" }]));
    // Sample by sample across all servers, so a busy moment of the machine spreads over all of them.
    for (let s = 0; s < config.startupSamples; s++) {
      for (const t of targets) {
        const m = measured.get(t.id)!;
        const server = await startServer(t.id, t.dir);
        try {
          m.first.push(await firstAnswerMs(server));
          m.listen.push(server.listenMs);
          if (s === 0) {
            await checkIsEven(t.label, server.url);
            await sleep(IDLE_MS);
            m.rssStart = server.rssKiB();
            const r = await fire({ url: server.url, path: "/isEven", bodies: ['{"x":7}', '{"x":10}'] }, config.footprintRequests, 8);
            if (r.non2xx || r.errors) m.failed = `${r.non2xx} non-2xx, ${r.errors} errors`;
            await sleep(IDLE_MS);
            m.rssAfter = server.rssKiB();
          }
        } finally {
          await server.stop();
        }
      }
    }
    const rows = targets.map((t) => {
      const m = measured.get(t.id)!;
      const text = loadedCode(t.dir);
      console.log(`  ${t.label}: first answer ${fmt(median(m.first), 1)} ms`);
      return [t.label, kib(text.byteLength), kib(gzipSync(text).byteLength), fmt(median(m.listen), 1), fmt(median(m.first), 1), mib(m.rssStart), mib(m.rssAfter), m.failed];
    });
    return {
      method: [
        `Each bundle started ${config.startupSamples} times (BENCH_STARTUP_SAMPLES; one start of each in turn, then again) with \`node index.mjs\` from a copy of its folder alone, PORT=0 HOST=127.0.0.1, NODE_ENV=production; medians shown.`,
        `*listening*: spawn() to the process's \`listening on\` line; *first answer*: spawn() to the first 200 of GET /health/live on a fresh connection, polled every ${POLL_MS} ms from the moment the port is known.`,
        `RSS (VmRSS from /proc, first start only): idle ${IDLE_MS} ms after start, and idle ${IDLE_MS} ms after ${config.footprintRequests} POST /isEven (autocannon, 8 connections).`,
        "Size: index.mjs as written and the chunks it loads (the generated one by tsc-micro, whose services share chunks in services/_chunks/; the hand-written ones by esbuild with the same options: ESM, node20, not minified, one file); gzip is zlib's default level, of them all together.",
      ],
      body: table(["server", ">bundle", ">gzip", ">listening ms", ">first answer ms", ">RSS idle at start", `>RSS idle after ${config.footprintRequests} req`, "failed"], rows),
    };
  },
};
