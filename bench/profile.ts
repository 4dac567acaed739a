// Where a server's instructions per request go, by function, deterministically: section 6's
// method (callgrind, two runs of A and B calls, differenced) with the JIT-compiled JavaScript named.
// Node writes /tmp/perf-<pid>.map (--perf-basic-prof: the address range of every function it
// compiles, --interpreted-frames-native-stack: interpreted ones too); callgrind names code it has
// no symbols for by its address, which the map turns into `JS <function> <file>:<line>`.
//
//   npm run build && node --import tsx bench/profile.ts [server] [A] [B]
//
// server: is-even (the generated service of examples/parity, default), node-http, hono-plain,
// fastify, express. BENCH_PROFILE_ENV='{"LOG_LEVEL":"info"}' sets the server's environment
// (default: LOG_LEVEL=silent TSC_MICRO_TRACING=off). Prints the top functions by own instructions
// per request and a summary by kind (JavaScript, V8's builtins, GC, Node and libuv, other native).
// The perf maps make V8 compute line tables for what it compiles: totals run ~1 % above section 6's.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { serverUnderCallgrind } from "./lib/callgrind.ts";
import { installCleanup } from "./lib/procs.ts";
import { bundleHandWritten } from "./lib/servers.ts";
import { parityBuild } from "./sections/shared.ts";

interface Profile {
  /** Own instructions by function name. */
  own: Map<string, number>;
}

interface MapEntry {
  start: number;
  size: number;
  name: string;
}

/** One server process under callgrind answering `calls` POST /isEven (section 6's run, lib/callgrind.ts); its own instructions by function. */
function profileRun(id: string, dir: string, env: Record<string, string>, calls: number): Promise<Profile> {
  return serverUnderCallgrind(
    { id, bundleDir: dir, env },
    calls,
    600_000 + calls * 30,
    (out, pid) => ({ own: ownCosts(out, perfMap(perfMapOf(pid))) }),
    PERF_MAP_ARGS,
    // Removed after a failed run too.
    (pid) => [perfMapOf(pid)],
  );
}

function perfMapOf(pid: number | undefined): string {
  return `/tmp/perf-${pid}.map`;
}

/** Node writes /tmp/perf-<pid>.map with every function it compiles, interpreted ones included. */
const PERF_MAP_ARGS = ["--perf-basic-prof", "--interpreted-frames-native-stack"];

function perfMap(file: string): MapEntry[] {
  if (!existsSync(file)) return [];
  const entries: MapEntry[] = [];
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const m = /^([0-9a-f]+) ([0-9a-f]+) (.*)$/.exec(line);
    if (m) entries.push({ start: parseInt(m[1]!, 16), size: parseInt(m[2]!, 16), name: m[3]! });
  }
  return entries.sort((a, b) => a.start - b.start);
}

function lookup(map: readonly MapEntry[], address: number): string | undefined {
  let lo = 0;
  let hi = map.length - 1;
  let best: MapEntry | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (map[mid]!.start <= address) {
      best = map[mid];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best && address < best.start + best.size ? best.name : undefined;
}

/** callgrind_annotate's own cost per function, JIT addresses named (temp folders and chunk hashes dropped, so two runs' names match). */
function ownCosts(file: string, map: readonly MapEntry[]): Map<string, number> {
  const text = execFileSync("callgrind_annotate", ["--threshold=100", file], { maxBuffer: 1 << 28 }).toString();
  const costs = new Map<string, number>();
  for (const line of text.split("\n")) {
    const m = /^\s*([\d,]+) \([^)]*\)\s+(.*)$/.exec(line);
    if (!m || m[2]!.startsWith("PROGRAM")) continue;
    let name = m[2]!.replace(/ \[[^\]]*\]$/, "").replace(/^\?\?\?:/, "");
    const hex = /^0x([0-9a-f]+)$/i.exec(name);
    if (hex) name = `JS ${(lookup(map, parseInt(hex[1]!, 16)) ?? `(unnamed ${name})`).replace(/^JS:/, "")}`;
    name = name.replace(/file:\/\/\/\S*\/(_chunks\/)?/, "").replace(/chunk-[A-Z0-9]+\.mjs/, "chunk.mjs").replace(/\(.*$/, "");
    costs.set(name, (costs.get(name) ?? 0) + Number(m[1]!.replaceAll(",", "")));
  }
  return costs;
}

function kindOf(name: string): string {
  if (name.startsWith("JS ")) return "JavaScript (compiled or interpreted)";
  if (name.startsWith("Builtins_")) return "V8 builtins";
  if (/v8::internal::(Heap|Scavenger|MarkCompact|Sweeper|Evacuat|\w*Marking|\w*GC)/.test(name)) return "GC";
  if (/^(node::|uv_|uv__|llhttp)/.test(name)) return "Node and libuv";
  return "other native";
}

async function main(): Promise<void> {
  installCleanup();
  const [server = "is-even", a = "10000", b = "30000"] = process.argv.slice(2);
  const A = Number(a);
  const B = Number(b);
  const env = process.env.BENCH_PROFILE_ENV ? (JSON.parse(process.env.BENCH_PROFILE_ENV) as Record<string, string>) : { LOG_LEVEL: "silent", TSC_MICRO_TRACING: "off" };
  const dir = server === "is-even" ? path.join((await parityBuild()).outDir, "services", "is-even") : (await bundleHandWritten())[server];
  if (!dir) throw new Error(`unknown server ${server}`);
  console.log(`${server} ${JSON.stringify(env)}: ${A} and ${B} calls under callgrind …`);
  const [pa, pb] = await Promise.all([profileRun(server, dir, env, A), profileRun(server, dir, env, B)]);
  const perCall = [...new Set([...pa.own.keys(), ...pb.own.keys()])]
    .map((name) => [name, ((pb.own.get(name) ?? 0) - (pa.own.get(name) ?? 0)) / (B - A)] as const)
    .sort((x, y) => y[1] - x[1]);
  const total = perCall.reduce((sum, [, v]) => sum + v, 0);
  console.log(`\ninstructions per request: ${(total / 1000).toFixed(1)} k\n`);
  for (const [name, v] of perCall.slice(0, Number(process.env.BENCH_PROFILE_TOP ?? 50))) console.log(`${v.toFixed(0).padStart(8)}  ${name.slice(0, 140)}`);
  const kinds = new Map<string, number>();
  for (const [name, v] of perCall) kinds.set(kindOf(name), (kinds.get(kindOf(name)) ?? 0) + v);
  console.log("");
  for (const [kind, v] of [...kinds].sort((x, y) => y[1] - x[1])) console.log(`${(v / 1000).toFixed(1).padStart(7)} k  ${kind}`);
}

await main();
process.exit(0);
