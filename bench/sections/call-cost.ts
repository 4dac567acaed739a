// 2. Cost of a call: one sequential call at a time, in microseconds, from this
// process to the generated is-even service, by the generated client and by bare
// HTTP clients; then calls through a chain of services A → B → C.
import assert from "node:assert/strict";
import http from "node:http";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Pool } from "undici";
import { isEven as localIsEven } from "../../examples/parity/src/even.ts";
import { chainA as localChainA } from "../fixtures/chain/src/a.ts";
import { WORK } from "../lib/config.ts";
import { buildOrThrow, startProgram } from "../lib/programs.ts";
import type { RunningProgram } from "../lib/programs.ts";
import { startServer } from "../lib/procs.ts";
import type { Server } from "../lib/procs.ts";
import { interleave } from "../lib/rounds.ts";
import type { Section } from "../lib/section.ts";
import { fmt, median, quantile, table } from "../lib/stats.ts";
import { chainProject, parityBuild, wallClock } from "./shared.ts";

const ROUNDS = 4;
const LOCAL_BATCH = 1_000_000;

interface Method {
  name: string;
  /** One call with argument x (7 or 10); resolves with the boolean answer. */
  call(x: number): Promise<unknown>;
}

/** Per-call times in µs: warm-up, then `calls` calls per method in ROUNDS interleaved rounds. */
async function measure(methods: Method[], calls: number, warmupCalls: number): Promise<Map<string, number[]>> {
  const times = new Map(methods.map((m) => [m.name, [] as number[]]));
  for (const m of methods) for (let i = 0; i < warmupCalls; i++) await m.call(i % 2 ? 7 : 10);
  const perRound = Math.ceil(calls / ROUNDS);
  // Rotate the order each round, so drift on a shared machine spreads over all methods.
  await interleave(methods, ROUNDS, async (m) => {
    const t = times.get(m.name)!;
    for (let i = 0; i < perRound; i++) {
      const x = i % 2 ? 7 : 10;
      const t0 = process.hrtime.bigint();
      await m.call(x);
      t.push(Number(process.hrtime.bigint() - t0) / 1000);
    }
  });
  return times;
}

/** A local call is far below the timer's resolution: time a loop of LOCAL_BATCH calls, ROUNDS times. */
function measureLocal(f: (x: number) => unknown): number[] {
  const perCall: number[] = [];
  let sink = 0;
  for (let round = 0; round < ROUNDS + 1; round++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < LOCAL_BATCH; i++) if (f(i)) sink++;
    const us = Number(process.hrtime.bigint() - t0) / 1000 / LOCAL_BATCH;
    if (round > 0) perCall.push(us); // round 0 warms up
  }
  if (sink < 0) console.log(sink); // keeps the calls observable
  return perCall;
}

function readAll(res: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    res.setEncoding("utf8");
    res.on("data", (d: string) => (text += d));
    res.on("end", () => resolve(text));
    res.on("error", reject);
  });
}

export const callCost: Section = {
  id: 2,
  title: "Cost of a call",
  async run(config) {
    const parity = await parityBuild();
    const chain = await buildOrThrow({ project: chainProject, outDir: path.join(WORK, "chain", "dist") });
    let server: Server | undefined;
    let program: RunningProgram | undefined;
    let client: { setBaseUrl(url: string): void; close(): void } | undefined;
    const agent = new http.Agent({ keepAlive: true });
    let pool: Pool | undefined;
    try {
      server = await startServer("is-even", path.join(parity.outDir, "services", "is-even"));
      const url = server.url;
      const clients = (await import(pathToFileURL(path.join(parity.outDir, "clients/index.js")).href)) as Record<string, any>;
      client = clients.isEvenService;
      client!.setBaseUrl(url);
      pool = new Pool(url);
      const bodies: Record<number, string> = { 7: '{"x":7}', 10: '{"x":10}' };
      const headers = { "content-type": "application/json" };

      const methods: Method[] = [
        { name: "generated client `isEven(x)`", call: (x) => clients.isEven(x) },
        {
          name: "node:http keep-alive Agent",
          call: (x) =>
            new Promise((resolve, reject) => {
              const req = http.request(`${url}/isEven`, { method: "POST", agent, headers: { ...headers, "content-length": bodies[x]!.length } }, (res) =>
                readAll(res).then((t) => resolve(JSON.parse(t)), reject),
              );
              req.on("error", reject);
              req.end(bodies[x]);
            }),
        },
        {
          name: "undici `Pool.request`",
          call: async (x) => {
            const res = await pool!.request({ path: "/isEven", method: "POST", headers, body: bodies[x] });
            return res.body.json();
          },
        },
        {
          name: "global `fetch`",
          call: async (x) => (await fetch(`${url}/isEven`, { method: "POST", headers, body: bodies[x] })).json(),
        },
      ];
      for (const m of methods) {
        assert.equal(await m.call(7), false, `${m.name}: isEven(7)`);
        assert.equal(await m.call(10), true, `${m.name}: isEven(10)`);
      }
      console.log(`  ${methods.length} ways to call is-even, ${config.calls} calls each …`);
      const times = await measure(methods, config.calls, config.warmupCalls);
      const local = measureLocal(localIsEven);
      const clientMedian = median(times.get(methods[0]!.name)!);
      // For section 6's wall-clock column: median µs per call of each way it also counts.
      for (const [key, m] of [["generated", methods[0]], ["node-http", methods[1]], ["undici", methods[2]]] as const) wallClock.set(`client:${key}`, median(times.get(m!.name)!));

      const rows = [
        ["local function call `isEven(x)` (imported directly)", fmt(median(local), 4), "–", "–"],
        ...methods.map((m) => {
          const t = times.get(m.name)!;
          const over = m === methods[0] ? "–" : fmt(clientMedian - median(t), 1);
          return [m.name, fmt(median(t), 1), fmt(quantile(t, 0.99), 1), over];
        }),
      ];

      // The chain: A → B → C, each its own process.
      program = await startProgram(chain);
      const chainClients = await program.clients();
      const hops: Method[] = [
        { name: "client → chainC (1 service)", call: (x) => chainClients.chainC(x) },
        { name: "client → chainB → chainC (2 services)", call: (x) => chainClients.chainB(x) },
        { name: "client → chainA → chainB → chainC (3 services)", call: (x) => chainClients.chainA(x) },
      ];
      assert.equal(await chainClients.chainA(5), localChainA(5), "chainA(5) split vs local");
      assert.equal(await chainClients.chainC(5), 10, "chainC(5)");
      console.log(`  chain A → B → C, ${config.calls} calls per depth …`);
      const chainTimes = await measure(hops, config.calls, config.warmupCalls);
      const localChain = measureLocal(localChainA);
      let previous = NaN;
      const chainRows = [
        ["local `chainA(x)` (A, B and C in-process)", "0", fmt(median(localChain), 4), "–", "–"],
        ...hops.map((h, i) => {
          const m = median(chainTimes.get(h.name)!);
          const step = i === 0 ? "–" : fmt(m - previous, 1);
          previous = m;
          return [h.name, String(i + 1), fmt(m, 1), fmt(quantile(chainTimes.get(h.name)!, 0.99), 1), step];
        }),
      ];

      return {
        method: [
          `Sequential calls from the orchestrating process (one in flight at a time) to the generated is-even service (examples/parity) on 127.0.0.1: ${config.warmupCalls} warm-up calls per way, then ${config.calls} measured calls per way in ${ROUNDS} interleaved rounds (order rotated each round); each call timed with process.hrtime from before the call to the parsed answer.`,
          "The bare requests send the same pre-serialised body (`{\"x\":7}` / `{\"x\":10}`) and parse the JSON answer; the generated client also serialises the arguments, checks the status and decodes errors.",
          `Local calls are timed as loops of ${LOCAL_BATCH.toLocaleString("en-US")} calls (median of ${ROUNDS} loops), since one call is far below the timer's resolution.`,
          `undici ${pkgVersion("undici")} (\`new Pool(url)\` with its defaults), Node's global fetch (its built-in undici ${process.versions.undici}, default keep-alive dispatcher), \`new http.Agent({ keepAlive: true })\`. The generated client uses its own keep-alive \`http.Agent\`.`,
          "Chain: bench/fixtures/chain (chainA calls chainB calls chainC, one service each), built and started dependencies first, each finding the next through TSC_MICRO_<SERVICE>_URL; called through the generated clients.",
        ],
        body: [
          table(["call", ">median µs", ">p99 µs", ">client's overhead above it (µs)"], rows),
          "",
          "*client's overhead above it* = median of the generated client − median of that way (positive: the client is slower by that much).",
          "",
          table(["call", ">services", ">median µs", ">p99 µs", ">+ per added hop (µs)"], chainRows),
        ].join("\n"),
      };
    } finally {
      client?.close();
      agent.destroy();
      await pool?.close();
      await program?.stop();
      await server?.stop();
    }
  },
};

function pkgVersion(name: string): string {
  return (createRequire(import.meta.url)(`${name}/package.json`) as { version: string }).version;
}
