// 6. Instructions per request and per call: valgrind's callgrind counts the CPU
// instructions a process executes, which does not move with the machine's load as
// wall clock does. Steady state by difference of two runs (lib/callgrind.ts).
import path from "node:path";
import { BENCH } from "../lib/config.ts";
import type { BenchConfig } from "../lib/config.ts";
import { CALLGRIND_CONNECTIONS, NODE_ARGS, UNDER_VALGRIND_ENV, VALGRIND, hasValgrind, perCall, scriptTotal, serverTotal } from "../lib/callgrind.ts";
import type { ServerUnderTest } from "../lib/callgrind.ts";
import { startServer } from "../lib/procs.ts";
import type { Server } from "../lib/procs.ts";
import type { Spread } from "../lib/rounds.ts";
import type { Section } from "../lib/section.ts";
import { bundleHandWritten } from "../lib/servers.ts";
import { fmt, table } from "../lib/stats.ts";
import { parityBuild, wallClock } from "./shared.ts";

const CLIENT_DRIVER = path.join(BENCH, "children/client-calls.mjs");

interface Subject {
  /** Row label. */
  label: string;
  /** Key in section 1/2's wall-clock results. */
  key: string;
  /** Measured twice (fresh processes) to show how well runs agree. */
  repeat: boolean;
  /** Sections 1 and 2 have no wall-clock figure for it. */
  noWallClock?: boolean;
  /** Instructions of one process doing `calls` calls. */
  total(calls: number): Promise<number>;
}

/** Runs the tasks `jobs` at a time, each started in the order given. */
async function pool<T>(tasks: (() => Promise<T>)[], jobs: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]!();
    }
  }
  await Promise.all(Array.from({ length: Math.min(jobs, tasks.length) }, worker));
  return results;
}

/** Instructions per call of every subject (and of its repeat), every A and B run scheduled over `jobs` slots, longest first. */
async function measureAll(subjects: Subject[], config: BenchConfig): Promise<number[][]> {
  const runs: { subject: number; repeat: number; calls: number }[] = [];
  for (const [i, s] of subjects.entries())
    for (let r = 0; r < (s.repeat ? 2 : 1); r++) for (const calls of [config.callgrindB, config.callgrindA]) runs.push({ subject: i, repeat: r, calls });
  runs.sort((x, y) => y.calls - x.calls);
  let done = 0;
  const totals = await pool(
    runs.map((run) => async () => {
      const t0 = Date.now();
      const total = await subjects[run.subject]!.total(run.calls).catch((e: unknown) => {
        // A lost run (a crash, the shared machine stalling past a timeout) costs minutes to redo by hand; the
        // count itself does not depend on the attempt, so one more attempt is safe.
        console.error(`  ${subjects[run.subject]!.label}, ${fmt(run.calls)} calls failed, trying once more: ${e instanceof Error ? e.message : String(e)}`);
        return subjects[run.subject]!.total(run.calls);
      });
      console.log(`  [${++done}/${runs.length}] ${subjects[run.subject]!.label}${run.repeat ? " (repeat)" : ""}, ${fmt(run.calls)} calls: ${fmt(total)} instructions (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
      return total;
    }),
    config.callgrindJobs,
  );
  return subjects.map((_, i) =>
    [0, 1].flatMap((r) => {
      const of = (calls: number) => totals[runs.findIndex((x) => x.subject === i && x.repeat === r && x.calls === calls)];
      const a = of(config.callgrindA);
      const b = of(config.callgrindB);
      return a === undefined || b === undefined ? [] : [(b - a) / (config.callgrindB - config.callgrindA)];
    }),
  );
}

const kInstr = (n: number) => `${fmt(n / 1000, 1)} k`;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Two runs' agreement: their difference as a share of their mean. */
function agreement(xs: number[]): string {
  return xs.length < 2 ? "–" : `±${((Math.abs(xs[0]! - xs[1]!) / mean(xs)) * 50).toFixed(2)} %`;
}

function wallRatio(key: string, baseKey: string): string {
  const v = wallClock.get(key);
  const base = wallClock.get(baseKey);
  if (v === undefined) return "(section not run)";
  if (typeof v === "object") return `×${(v as Spread).median.toFixed(2)} (×${v.min.toFixed(2)}–${v.max.toFixed(2)})`;
  return typeof base === "number" ? `×${(v / base).toFixed(2)}` : "–";
}

/** Label, instructions per call (each run), agreement, ratio to the base subject (this ÷ base), then `extra` columns. */
function rows(subjects: Subject[], perCalls: number[][], baseKey: string, extra: (s: Subject, perCall: number, base: number) => string[]): string[][] {
  const base = mean(perCalls[subjects.findIndex((s) => s.key === baseKey)]!);
  return subjects.map((s, i) => {
    const xs = perCalls[i]!;
    return [s.label, xs.map(kInstr).join(" / "), agreement(xs), `×${(mean(xs) / base).toFixed(2)}`, ...extra(s, mean(xs), base)];
  });
}

export const instructions: Section = {
  id: 6,
  title: "Instructions per request and per call (callgrind)",
  async run(config) {
    if (!config.callgrind) return { method: ["BENCH_CALLGRIND=0: skipped."], body: "*skipped (BENCH_CALLGRIND=0)*" };
    if (!hasValgrind()) return { method: [`${VALGRIND} not found: skipped.`], body: `*skipped: no ${VALGRIND} (Debian: \`apt-get install valgrind\`)*` };
    const parity = await parityBuild();
    const bundles = await bundleHandWritten();
    const generatedDir = path.join(parity.outDir, "services", "is-even");
    // Per run: node's start under valgrind plus ~10 ms per call, generously.
    const runMs = (calls: number) => 180_000 + calls * 30;
    const server = (s: ServerUnderTest) => (calls: number) => serverTotal(s, calls, runMs(calls));
    const servers: Subject[] = [
      { label: "raw node:http", key: "server:node-http", repeat: true, total: server({ id: "node-http", bundleDir: bundles["node-http"]! }) },
      { label: "Hono + @hono/node-server, by hand", key: "server:hono-plain", repeat: false, total: server({ id: "hono-plain", bundleDir: bundles["hono-plain"]! }) },
      { label: "Fastify 5", key: "server:fastify", repeat: false, total: server({ id: "fastify", bundleDir: bundles.fastify! }) },
      { label: "tsc-micro generated (is-even), LOG_LEVEL=info", key: "server:tsc-micro", repeat: true, total: server({ id: "is-even", bundleDir: generatedDir, env: { LOG_LEVEL: "info" } }) },
      { label: "tsc-micro generated, LOG_LEVEL=silent", key: "server:tsc-micro-silent", repeat: false, total: server({ id: "is-even", bundleDir: generatedDir, env: { LOG_LEVEL: "silent" } }) },
      // Neither logs nor traces: the floor for what tracing and logging cost (issue 12's goal).
      { label: "tsc-micro generated, LOG_LEVEL=silent TSC_MICRO_TRACING=off", key: "server:tsc-micro-bare", repeat: true, total: server({ id: "is-even", bundleDir: generatedDir, env: { LOG_LEVEL: "silent", TSC_MICRO_TRACING: "off" } }) },
    ];
    console.log(`  servers: ${config.callgrindA} and ${config.callgrindB} requests per process, ${config.callgrindJobs} at a time …`);
    const serverPerCall = await measureAll(servers, config);
    const serverRows = rows(servers, serverPerCall, "server:node-http", (s, x, base) => [`×${(base / x).toFixed(2)}`, wallRatio(s.key, "server:node-http")]);
    const serverTable = table(["server", ">instructions per request", ">agreement", ">÷ node:http's", ">as throughput: node:http's ÷ this", ">req/s vs node:http (section 1)"], serverRows);
    console.log(`\n${serverTable}\n`); // on the console already, should the clients' part fail

    // The clients: each way a fresh driver process under callgrind, against an ordinary server.
    let target: Server | undefined;
    let clientPerCall: number[][];
    const clients: Subject[] = [];
    try {
      target = await startServer("is-even", generatedDir, { env: { LOG_LEVEL: "silent" } });
      const url = target.url;
      const way = (w: string, tracing?: "off") => (calls: number) =>
        scriptTotal(`client-${w}${tracing ? "-untraced" : ""}`, CLIENT_DRIVER, JSON.stringify({ way: w, url, calls, clients: path.join(parity.outDir, "clients/index.js"), tracing }), runMs(calls));
      clients.push(
        { label: "node:http keep-alive Agent", key: "client:node-http", repeat: true, total: way("node-http") },
        { label: "undici `Pool.request`", key: "client:undici", repeat: false, total: way("undici") },
        { label: "undici `Client.dispatch`, bare handler (the generated client's transport)", key: "client:undici-dispatch", repeat: false, noWallClock: true, total: way("undici-dispatch") },
        { label: "generated client `isEven(x)`", key: "client:generated", repeat: true, total: way("generated") },
        { label: "generated client, TSC_MICRO_TRACING=off", key: "client:generated-untraced", repeat: true, noWallClock: true, total: way("generated", "off") },
      );
      console.log(`  clients: ${config.callgrindA} and ${config.callgrindB} calls per process …`);
      clientPerCall = await measureAll(clients, config);
    } finally {
      await target?.stop();
    }
    const perClient = (key: string) => mean(clientPerCall[clients.findIndex((c) => c.key === key)]!);
    const generated = perClient("client:generated");
    const clientRows = rows(clients, clientPerCall, "client:node-http", (s) => [s.noWallClock ? "–" : wallRatio(s.key, "client:node-http")]);
    const vsUndici = `generated client ÷ undici Pool: **×${(generated / perClient("client:undici")).toFixed(2)}** in instructions${
      typeof wallClock.get("client:undici") === "number" ? `, ${wallRatio("client:generated", "client:undici")} in median µs (section 2)` : ""
    }; generated client ÷ node:http Agent: **×${(generated / perClient("client:node-http")).toFixed(2)}**; its policies (deadline, retry, breaker, trace context, metrics, error mapping) over the bare dispatch it is built on: **${kInstr(generated - perClient("client:undici-dispatch"))}** per call.`;
    const perServer = (key: string) => mean(serverPerCall[servers.findIndex((s) => s.key === key)]!);
    const bare = perServer("server:tsc-micro-bare");
    const share = (x: number, base: number) => `${(((x - base) / base) * 100).toFixed(1)} %`;
    const telemetryCost = [
      "**What tracing and logging cost** (no SDK registered; each against the same build with them off, `LOG_LEVEL=silent TSC_MICRO_TRACING=off`):",
      `- a request the service answers: tracing and a log line per call **+${share(perServer("server:tsc-micro"), bare)}** (${kInstr(perServer("server:tsc-micro") - bare)}), tracing alone (LOG_LEVEL=silent) +${share(perServer("server:tsc-micro-silent"), bare)} (${kInstr(perServer("server:tsc-micro-silent") - bare)});`,
      `- a generated client call: its span and \`traceparent\` **+${share(generated, perClient("client:generated-untraced"))}** (${kInstr(generated - perClient("client:generated-untraced"))}).`,
    ].join("\n");
    return {
      method: [
        `\`${VALGRIND} --tool=callgrind --callgrind-out-file=<temp> node ${NODE_ARGS.join(" ")} …\`: --single-threaded because V8's concurrent compiler and GC threads make totals vary by ±10 %, --predictable-gc-schedule because V8 otherwise sizes its heap from wall-clock speeds, which moved per-request counts 2–3 % between runs; the instruction total is the output file's \`summary:\`/\`totals:\` line.`,
        `Steady state by difference: the same subject run twice, fresh process each, doing A = ${fmt(config.callgrindA)} and B = ${fmt(config.callgrindB)} calls (BENCH_CALLGRIND_A/B); instructions per call = (total_B − total_A) ÷ (B − A). Start-up, module loading and the first JIT compilations are in both runs and cancel out; a window that starts early (A ≈ 2,000) still holds TurboFan's compilations and overstates the cost by ~35 %.`,
        `Servers: each bundled index.mjs (no tsx) from a copy of its folder, NODE_ENV=production; first the correctness check of section 1 (the same few requests in both runs), then A resp. B POST /isEven (\`{"x":7}\`/\`{"x":10}\`) from autocannon (\`amount\`, ${CALLGRIND_CONNECTIONS} connection: one request per event-loop turn, where more connections let the batching vary with timing; in the orchestrating process, not counted); stopped with SIGINT so callgrind writes its file. Started with ${Object.entries(UNDER_VALGRIND_ENV).map(([k, v]) => `${k}=${v}`).join(" ")}: the log flush timer scaled to valgrind's ~50× slow-down, so that log chunks fill before it fires, as in a service answering more than ~220 calls a second.`,
        `Clients: bench/children/client-calls.mjs (plain Node) makes A resp. B sequential calls one way against the generated is-even service running normally (LOG_LEVEL=silent); only the client process is counted.`,
        `Runs marked with two numbers were measured twice (two fresh pairs of processes); *agreement* is half their difference ÷ their mean. ${config.callgrindJobs} valgrind process(es) at a time (BENCH_CALLGRIND_JOBS): counts do not depend on the machine's load.`,
        "Wall-clock columns repeat sections 1 and 2 of this run (empty when those did not run): req/s ÷ raw node:http's (median and spread over rounds), and the median µs per call ÷ node:http Agent's.",
      ],
      body: [
        serverTable,
        "",
        table(["client (one call, in the calling process)", ">instructions per call", ">agreement", ">÷ node:http Agent's", ">µs ÷ node:http Agent's (section 2)"], clientRows),
        "",
        vsUndici,
        "",
        telemetryCost,
        "",
        "*as throughput* is what the instruction counts predict for the req/s ratio of section 1 if the server's user-space instructions were all that mattered; the measured req/s ratio is usually closer to 1, because the kernel's work per request (not counted by callgrind) and the load generator sharing the cores are the same for every server.",
      ].join("\n"),
    };
  },
};
