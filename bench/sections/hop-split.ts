// 7. One hop, split: the CPU one call between services costs, divided into the calling
// process (the client), the kernel (the network stack: loopback TCP, epoll, the syscalls of
// both ends) and the called process (the server). Callgrind (section 6) counts user-space
// instructions only; the kernel's share is read here as the processes' system CPU time.
import { readFileSync } from "node:fs";
import path from "node:path";
import { BENCH } from "../lib/config.ts";
import { runToEnd, startServer } from "../lib/procs.ts";
import type { Server } from "../lib/procs.ts";
import { interleave, spread } from "../lib/rounds.ts";
import type { Section } from "../lib/section.ts";
import { bundleHandWritten } from "../lib/servers.ts";
import { fmt, table } from "../lib/stats.ts";
import { parityBuild } from "./shared.ts";

const CLIENT_DRIVER = path.join(BENCH, "children/client-calls.mjs");
/** Linux's USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s. */
const TICK_US = 10_000;

/** A process's user and system CPU so far, in µs, from /proc/<pid>/stat (fields 14 and 15). */
function procCpuUs(pid: number): { user: number; system: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return { user: Number(fields[11]) * TICK_US, system: Number(fields[12]) * TICK_US };
}

interface Way {
  label: string;
  /** The driver's way (bench/children/client-calls.mjs). */
  way: "generated" | "undici" | "node-http";
  server: "generated" | "generated-info" | "node-http";
  /** The way every other is divided by: the cheapest hop between two Node processes here. */
  floor?: true;
}

const WAYS: Way[] = [
  { label: "generated client → generated service (LOG_LEVEL=silent)", way: "generated", server: "generated" },
  { label: "generated client → generated service, as shipped (a log line per call)", way: "generated", server: "generated-info" },
  { label: "undici `Pool.request` → raw node:http (the floor)", way: "undici", server: "node-http", floor: true },
  { label: "node:http keep-alive Agent → raw node:http", way: "node-http", server: "node-http" },
];

/** µs per call of one measured run: the client's user and system time, the server's, and the wall time. */
interface Split {
  clientUser: number;
  clientSystem: number;
  serverUser: number;
  serverSystem: number;
  wall: number;
}

/** CPU µs per call of the whole hop: both processes, user and system. */
function total(s: Split): number {
  return s.clientUser + s.clientSystem + s.serverUser + s.serverSystem;
}

async function measureOnce(way: Way, server: Server, calls: number, warmup: number, clients: string): Promise<Split> {
  const arg = JSON.stringify({ way: way.way, url: server.url, calls, warmup, clients });
  // The server's CPU is read around the whole driver run; the driver's warm-up calls are in the
  // server's figure but not in the client's, so the warm-up is subtracted in proportion below.
  const before = procCpuUs(server.pid);
  const run = await runToEnd(process.execPath, [CLIENT_DRIVER, arg], { timeoutMs: 120_000 + calls * 5 });
  const after = procCpuUs(server.pid);
  if (run.code !== 0) throw new Error(`${way.label}: the driver exited ${run.code}: ${run.stderr.slice(-400)}`);
  const own = JSON.parse(run.stdout.trim().split("\n").pop()!) as { userUs: number; systemUs: number; wallUs: number };
  const share = calls / (calls + warmup);
  return {
    clientUser: own.userUs / calls,
    clientSystem: own.systemUs / calls,
    serverUser: ((after.user - before.user) * share) / calls,
    serverSystem: ((after.system - before.system) * share) / calls,
    wall: own.wallUs / calls,
  };
}

export const hopSplit: Section = {
  id: 7,
  title: "One hop, split into client, network stack and server (CPU per call)",
  async run(config) {
    const parity = await parityBuild();
    const bundles = await bundleHandWritten();
    const generatedDir = path.join(parity.outDir, "services", "is-even");
    const clients = path.join(parity.outDir, "clients/index.js");
    const servers: Record<Way["server"], Server | undefined> = { generated: undefined, "generated-info": undefined, "node-http": undefined };
    const results = new Map<string, Split[]>();
    try {
      servers.generated = await startServer("is-even", generatedDir, { env: { LOG_LEVEL: "silent" } });
      servers["generated-info"] = await startServer("is-even", generatedDir, { env: { LOG_LEVEL: "info" } });
      servers["node-http"] = await startServer("node-http", bundles["node-http"]!);
      // Interleaved, rotated by one each round, as section 1's loads.
      await interleave(WAYS, config.rounds, async (way, round) => {
        const split = await measureOnce(way, servers[way.server]!, config.hopCalls, config.warmupCalls, clients);
        results.set(way.label, [...(results.get(way.label) ?? []), split]);
        console.log(`  round ${round + 1}: ${way.label}: ${fmt(total(split), 1)} µs CPU per call`);
      });
    } finally {
      await Promise.all(Object.values(servers).map((s) => s?.stop()));
    }
    const med = (label: string, pick: (s: Split) => number) => spread(results.get(label)!.map(pick)).median;
    const floor = med(WAYS.find((w) => w.floor)!.label, total);
    const rows = WAYS.map((w) => {
      const kernel = med(w.label, (s) => s.clientSystem + s.serverSystem);
      const sum = med(w.label, total);
      const totals = results.get(w.label)!.map(total);
      return [
        w.label,
        fmt(med(w.label, (s) => s.clientUser), 1),
        fmt(kernel, 1),
        fmt(med(w.label, (s) => s.serverUser), 1),
        fmt(sum, 1),
        `${fmt(Math.min(...totals), 1)}–${fmt(Math.max(...totals), 1)}`,
        `×${(sum / floor).toFixed(2)}`,
        fmt(med(w.label, (s) => s.wall), 1),
      ];
    });
    return {
      method: [
        `The generated is-even service (examples/parity) and the raw node:http server of section 1, each running normally (no valgrind); bench/children/client-calls.mjs, a fresh process per measurement, makes ${fmt(config.warmupCalls)} unmeasured calls (BENCH_WARMUP_CALLS) and then ${fmt(config.hopCalls)} measured ones (BENCH_HOP_CALLS), one in flight.`,
        "Client: the driver's own `process.cpuUsage()` over the measured calls (user and system). Server: its user and system time from `/proc/<pid>/stat` around the driver's run (1/100 s ticks), its warm-up share subtracted in proportion. Network stack: the system time of both processes (loopback TCP, epoll, read/write syscalls), which callgrind cannot see and `perf stat` could not count here (no hardware counters in this VM).",
        `${config.rounds} interleaved rounds (BENCH_ROUNDS), rotated by one each round; medians shown, and the spread of the total over the rounds. CPU time, unlike instructions, moves with the machine's load (caches, frequency): read the shares and the ratio to the floor, and section 6 for user-space instructions of the client and the server.`,
      ],
      body: [
        table(["one call (one hop)", ">client, user µs", ">network stack (both ends' system) µs", ">server, user µs", ">total CPU µs", ">spread of total", ">÷ floor", ">wall µs per call"], rows),
        "",
        "The first row is one hop as the split program makes it; the floor is the cheapest HTTP request this machine makes between two Node processes. Every service added to a chain of calls adds one such hop (section 2's chain, in wall clock).",
      ].join("\n"),
    };
  },
};
