// 5. Start-up and footprint: from spawning a bundle to its first answered
// request, its memory once idle after some traffic, and its size on disk.
import { readFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { checkIsEven } from "../lib/check.ts";
import { hasValgrind, startupTotal } from "../lib/callgrind.ts";
import { fire } from "../lib/load.ts";
import { startServer } from "../lib/procs.ts";
import type { Server } from "../lib/procs.ts";
import type { Section } from "../lib/section.ts";
import { HAND_WRITTEN, bundleHandWritten } from "../lib/servers.ts";
import { spread } from "../lib/rounds.ts";
import { fmt, kib, median, mib, sleep, table } from "../lib/stats.ts";
import { parityBuild } from "./shared.ts";

const POLL_MS = 2;
const IDLE_MS = 1000;
/** The hand-written server the generated one is held to (issue 13): Hono on @hono/node-server, what generated services run on. */
const BASELINE = "hono-plain";
/** The servers counted under callgrind: the generated one, its baseline, and raw node:http for scale. */
const COUNTED = ["tsc-micro", BASELINE, "node-http"];
/** Starts counted per server: two, to show they agree. */
const COUNT_RUNS = 2;
/** The goals: start-up within 1.2 × the baseline's, memory within 1.1 ×. */
const GOAL = { time: 1.2, memory: 1.1 };

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
    // Instructions to the listening line: the same work every time, where the milliseconds above move with the machine.
    const counting = config.callgrind && hasValgrind();
    const instructions = new Map<string, number[]>();
    if (counting) {
      for (const id of COUNTED) {
        const dir = targets.find((t) => t.id === id)!.dir;
        instructions.set(id, await Promise.all(Array.from({ length: COUNT_RUNS }, () => startupTotal(id, dir, 240_000))));
        console.log(`  ${id}: ${instructions.get(id)!.map((n) => fmt(n / 1e6, 1)).join(" / ")} M instructions to listening`);
      }
    }
    const sizes = new Map(targets.map((t) => {
      const text = loadedCode(t.dir);
      return [t.id, { bytes: text.byteLength, gzip: gzipSync(text).byteLength }];
    }));
    const rows = targets.map((t) => {
      const m = measured.get(t.id)!;
      const size = sizes.get(t.id)!;
      const counted = instructions.get(t.id);
      console.log(`  ${t.label}: first answer ${fmt(median(m.first), 1)} ms`);
      return [t.label, kib(size.bytes), kib(size.gzip), fmt(median(m.listen), 1), fmt(median(m.first), 1), counted ? fmt(median(counted) / 1e6, 1) : "–", mib(m.rssStart), mib(m.rssAfter), m.failed];
    });
    // Generated ÷ hand-written Hono, measure by measure (issue 13's goals). Times: the ratio of each
    // sample's two starts (taken one right after the other), median and range over the samples.
    const gen = measured.get("tsc-micro")!;
    const base = measured.get(BASELINE)!;
    const perSample = (a: number[], b: number[]) => spread(a.map((v, i) => v / b[i]!));
    const times = (label: string, ours: number[], theirs: number[]) => {
      const r = perSample(ours, theirs);
      return [label, fmt(median(ours), 1), fmt(median(theirs), 1), `×${r.median.toFixed(2)}`, `×${r.min.toFixed(2)}–${r.max.toFixed(2)}`, `≤ ×${GOAL.time}`, r.median <= GOAL.time ? "yes" : "no"];
    };
    const one = (label: string, ours: number | undefined, theirs: number | undefined, show: (n: number) => string, goal?: number) => {
      if (ours === undefined || theirs === undefined) return [label, "–", "–", "–", "", goal ? `≤ ×${goal}` : "", ""];
      const r = ours / theirs;
      return [label, show(ours), show(theirs), `×${r.toFixed(2)}`, "", goal ? `≤ ×${goal}` : "", goal ? (r <= goal ? "yes" : "no") : ""];
    };
    const genCount = instructions.get("tsc-micro");
    const baseCount = instructions.get(BASELINE);
    const ratios = [
      times("listening ms", gen.listen, base.listen),
      times("first answer ms", gen.first, base.first),
      genCount && baseCount
        ? [
            "instructions to listening (M)",
            fmt(median(genCount) / 1e6, 1),
            fmt(median(baseCount) / 1e6, 1),
            `×${(median(genCount) / median(baseCount)).toFixed(3)}`,
            `runs ×${(Math.min(...genCount) / Math.max(...baseCount)).toFixed(3)}–${(Math.max(...genCount) / Math.min(...baseCount)).toFixed(3)}`,
            `≤ ×${GOAL.time}`,
            median(genCount) / median(baseCount) <= GOAL.time ? "yes" : "no",
          ]
        : ["instructions to listening (M)", "–", "–", "–", counting ? "" : "not counted (BENCH_CALLGRIND=0 or no valgrind)", `≤ ×${GOAL.time}`, ""],
      one("RSS idle at start", gen.rssStart, base.rssStart, (k) => mib(k), GOAL.memory),
      one(`RSS idle after ${config.footprintRequests} req`, gen.rssAfter, base.rssAfter, (k) => mib(k), GOAL.memory),
      one("bundle (loaded at start)", sizes.get("tsc-micro")!.bytes, sizes.get(BASELINE)!.bytes, kib),
      one("gzip", sizes.get("tsc-micro")!.gzip, sizes.get(BASELINE)!.gzip, kib),
    ];
    return {
      method: [
        `Each bundle started ${config.startupSamples} times (BENCH_STARTUP_SAMPLES; one start of each in turn, then again) with \`node index.mjs\` from a copy of its folder alone, PORT=0 HOST=127.0.0.1, NODE_ENV=production; medians shown.`,
        `*listening*: spawn() to the process's \`listening on\` line; *first answer*: spawn() to the first 200 of GET /health/live on a fresh connection, polled every ${POLL_MS} ms from the moment the port is known.`,
        `RSS (VmRSS from /proc, first start only): idle ${IDLE_MS} ms after start, and idle ${IDLE_MS} ms after ${config.footprintRequests} POST /isEven (autocannon, 8 connections).`,
        "Size: index.mjs as written and the chunks it loads at start (the generated one by tsc-micro, whose services share chunks in services/_chunks/; the hand-written ones by esbuild with the same options: ESM, node20, not minified, one file); gzip is zlib's default level, of them all together.",
        counting
          ? `*instructions to listening*: callgrind, \`node --single-threaded\` with children/exit-on-listen.mjs ending the process at its \`listening on\` line, ${COUNT_RUNS} starts each of ${COUNTED.join(", ")}; median (in millions).`
          : "*instructions to listening*: not counted (BENCH_CALLGRIND=0, or no /usr/bin/valgrind).",
        `Second table: the generated service ÷ ${BASELINE} (Hono on @hono/node-server by hand), the issue's goals beside (start-up ≤ ×${GOAL.time}, memory ≤ ×${GOAL.memory}); the time ratios are per sample (the two starts of one sample run back to back), median and min–max over the samples.`,
      ],
      body: [
        table(["server", ">bundle", ">gzip", ">listening ms", ">first answer ms", ">instructions to listening (M)", ">RSS idle at start", `>RSS idle after ${config.footprintRequests} req`, "failed"], rows),
        "",
        table(["generated ÷ Hono by hand", ">generated", `>${BASELINE}`, ">ratio", "spread", "goal", "met"], ratios),
      ].join("\n"),
    };
  },
};
