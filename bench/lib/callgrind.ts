// Instruction counts with valgrind's callgrind: deterministic where wall clock is not.
// A process's total includes Node's start, module loading and JIT compilation; the
// steady-state cost of one call is the difference of two runs of the same process
// answering (or making) A and B calls: (total_B − total_A) / (B − A).
// node runs with --single-threaded: V8's concurrent compiler and GC threads otherwise
// make totals vary by ±10 % (with it, two runs agree within about 0.5 %). And with
// --predictable-gc-schedule: V8 otherwise sizes its young generation and heap from how fast
// it measured the program and its collector (wall clock), so when collections happen, and how
// many, moved with the machine's load: differenced per-request counts of one server moved
// 2-3 % between runs (107.5 k to 114.7 k over a session), the logging server's more. The flag
// fixes the schedule (a 4 MiB young generation, 30 % heap growth, no idle-time or
// memory-reducing collections): the same for every subject, and two runs then agree within 1 %.
import { cpSync, existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { checkIsEven } from "./check.ts";
import { fire } from "./load.ts";
import { BENCH } from "./config.ts";
import { removeTempDir, runToEnd, startServer, tempDir } from "./procs.ts";

export const VALGRIND = "/usr/bin/valgrind";
export const NODE_ARGS = ["--single-threaded", "--predictable-gc-schedule"];
/**
 * Connections of the load on a server under callgrind: one, so that every request is read, answered
 * and written in an event-loop turn of its own. With 4 the server took in 1 to 4 requests per turn,
 * as the timing of the two processes fell, and the cost per request moved with it.
 */
export const CALLGRIND_CONNECTIONS = 1;

export const hasValgrind = (): boolean => existsSync(VALGRIND);

/**
 * What a server under callgrind is started with besides its own settings: the generated service's
 * log flush timer (TSC_MICRO_LOG_FLUSH_MS, default 250 ms) 50× longer, as valgrind runs it ~50×
 * slower. At full speed a service answering more than ~220 calls a second fills its 16 KiB chunk
 * before the timer fires; under valgrind it answers ~120 a second, so the timer wrote every ~30
 * lines and the line measured 4 k instructions dearer than in a loaded service (124.8 k against
 * 120.9 k per request, same runs otherwise). Other servers ignore the variable.
 */
export const UNDER_VALGRIND_ENV: Readonly<Record<string, string>> = { TSC_MICRO_LOG_FLUSH_MS: String(250 * 50) };

function wrapper(outFile: string): string[] {
  return [VALGRIND, "--tool=callgrind", `--callgrind-out-file=${outFile}`];
}

/** The instruction total of a callgrind output file (its `summary:` or `totals:` line). */
export function readTotal(file: string): number {
  const text = readFileSync(file, "utf8");
  const m = /^(?:summary|totals):\s*(\d+)/m.exec(text);
  if (!m) throw new Error(`no summary/totals line in ${file}`);
  return Number(m[1]);
}

export interface ServerUnderTest {
  id: string;
  bundleDir: string;
  env?: Record<string, string>;
}

/** Instructions of one server process (bundled index.mjs) that answers `calls` POST /isEven, then stops on SIGINT. */
export function serverTotal(s: ServerUnderTest, calls: number, deadlineMs: number): Promise<number> {
  return serverUnderCallgrind(s, calls, deadlineMs, (out) => readTotal(out));
}

/**
 * One server process under callgrind (with `extraNodeArgs` after NODE_ARGS) answering `calls`
 * POST /isEven, stopped on SIGINT; `read(outFile, pid)` reads what it needs from callgrind's file
 * (and anything else the process left, such as Node's perf map) before the temporary folder goes.
 * `leaves(pid)` names files the process writes outside that folder: removed too, whether the run
 * succeeded or failed.
 */
export async function serverUnderCallgrind<T>(
  s: ServerUnderTest,
  calls: number,
  deadlineMs: number,
  read: (outFile: string, pid: number | undefined) => T,
  extraNodeArgs: readonly string[] = [],
  leaves: (pid: number) => readonly string[] = () => [],
): Promise<T> {
  const dir = tempDir(`callgrind-${s.id}`);
  let pid: number | undefined;
  try {
    const out = path.join(dir, "callgrind.out");
    const server = await startServer(s.id, s.bundleDir, { env: { ...UNDER_VALGRIND_ENV, ...s.env }, wrapper: wrapper(out), nodeArgs: [...NODE_ARGS, ...extraNodeArgs], timeoutMs: Math.min(deadlineMs, 180_000) });
    pid = server.child.pid;
    try {
      // Right answers first (the same few requests in both runs, so they cancel out).
      await checkIsEven(`${s.id} under callgrind`, server.url);
      const r = await fire({ url: server.url, path: "/isEven", bodies: ['{"x":7}', '{"x":10}'] }, calls, CALLGRIND_CONNECTIONS, deadlineMs);
      if (r.non2xx || r.errors) {
        const state = server.child.exitCode !== null || server.child.signalCode !== null ? `exited (${server.child.exitCode ?? server.child.signalCode})` : "still running";
        throw new Error(`${s.id} under callgrind: ${r.non2xx} non-2xx, ${r.errors} errors in ${calls} calls; the server ${state}; its output ends:\n${server.output().slice(-2000)}`);
      }
    } finally {
      await server.stop(60_000, "SIGINT");
    }
    if (server.child.signalCode === "SIGKILL") throw new Error(`${s.id} under callgrind did not stop on SIGINT within 60 s`);
    return read(out, pid);
  } finally {
    removeTempDir(dir);
    for (const file of pid === undefined ? [] : leaves(pid)) rmSync(file, { force: true });
  }
}

/**
 * Instructions of one start of a bundled server (`index.mjs` in `bundleDir`, copied alone with the
 * chunks it shares, as startServer does): from Node's own start to the process's `listening on`
 * line, where children/exit-on-listen.mjs ends it. Deterministic where section 5's milliseconds are not.
 */
export async function startupTotal(id: string, bundleDir: string, deadlineMs: number): Promise<number> {
  const dir = tempDir(`callgrind-start-${id}`);
  try {
    const app = path.join(dir, id);
    cpSync(bundleDir, app, { recursive: true });
    const chunks = path.join(bundleDir, "..", "_chunks");
    if (existsSync(chunks)) cpSync(chunks, path.join(dir, "_chunks"), { recursive: true });
    const out = path.join(dir, "callgrind.out");
    const [command, ...args] = wrapper(out);
    const preload = path.join(BENCH, "children", "exit-on-listen.mjs");
    const r = await runToEnd(command!, [...args, process.execPath, ...NODE_ARGS, "--import", preload, "index.mjs"], {
      cwd: app,
      env: { PATH: process.env.PATH ?? "", NODE_ENV: "production", PORT: "0", HOST: "127.0.0.1" },
      timeoutMs: deadlineMs,
    });
    if (r.code !== 0 || !r.stdout.includes(" listening on ")) throw new Error(`${id} under callgrind did not start (exit ${r.code ?? r.signal}):\n${(r.stdout + r.stderr).slice(-3000)}`);
    return readTotal(out);
  } finally {
    removeTempDir(dir);
  }
}

/** Instructions of one `node --single-threaded <script> <arg>` process (a client driver) run to its end. */
export async function scriptTotal(id: string, script: string, arg: string, deadlineMs: number): Promise<number> {
  const dir = tempDir(`callgrind-${id}`);
  try {
    const out = path.join(dir, "callgrind.out");
    const [command, ...args] = wrapper(out);
    const r = await runToEnd(command!, [...args, process.execPath, ...NODE_ARGS, script, arg], { timeoutMs: deadlineMs });
    if (r.code !== 0) throw new Error(`${id} under callgrind exited ${r.code ?? r.signal}:\n${r.stderr.slice(-3000)}`);
    return readTotal(out);
  } finally {
    removeTempDir(dir);
  }
}

export interface PerCall {
  totalA: number;
  totalB: number;
  perCall: number;
}

/** The A-call and B-call runs of one measurement (concurrently: counts do not depend on timing), differenced. */
export async function perCall(run: (calls: number) => Promise<number>, a: number, b: number, parallel: boolean): Promise<PerCall> {
  const [totalA, totalB] = parallel ? await Promise.all([run(a), run(b)]) : [await run(a), await run(b)];
  return { totalA, totalB, perCall: (totalB - totalA) / (b - a) };
}
