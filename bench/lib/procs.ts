// Every child process of a run goes through here, so that every one of them is
// killed at the end: on success, on a thrown error, on a signal, on the watchdog.
// Children are spawned in their own process group (detached) and killed by group,
// so a wrapper (`/usr/bin/time`, `sh`) never leaves its child behind.
import { spawn } from "node:child_process";
import type { ChildProcess, SpawnOptions } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const live = new Set<ChildProcess>();
const tmpDirs = new Set<string>();

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal); // the group: the child and anything it started
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

/** Synchronous last resort: SIGKILL every child still alive and remove temporary folders. */
export function killAllNow(): void {
  for (const child of live) killGroup(child, "SIGKILL");
  live.clear();
  for (const dir of tmpDirs) rmSync(dir, { recursive: true, force: true });
  tmpDirs.clear();
}

/** How many children are alive (the orchestrator checks it is 0 at the end). */
export function liveCount(): number {
  return live.size;
}

let installed = false;
/** Kill children on exit and on SIGINT/SIGTERM/SIGHUP. Call once, early. */
export function installCleanup(): void {
  if (installed) return;
  installed = true;
  process.on("exit", killAllNow);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      console.error(`\nbench: ${signal}, killing ${live.size} child process(es)`);
      killAllNow();
      process.exit(130);
    });
  }
}

/** spawn(), tracked and in its own process group. */
export function spawnTracked(command: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], ...options, detached: true });
  live.add(child);
  child.once("exit", () => live.delete(child));
  child.once("error", () => live.delete(child));
  return child;
}

/** A temporary folder removed at the end of the run (or at exit). */
export function tempDir(label: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `tsc-micro-bench-${label}-`));
  tmpDirs.add(dir);
  return dir;
}

export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  tmpDirs.delete(dir);
}

export interface Server {
  name: string;
  url: string;
  port: number;
  pid: number;
  child: ChildProcess;
  /** Milliseconds from spawn() to the "listening on" line. */
  listenMs: number;
  /** hrtime (ns) at spawn, for start-up measurements. */
  spawnedAt: bigint;
  output(): string;
  /** Resident set size now, in KiB (from /proc), or undefined off Linux. */
  rssKiB(): number | undefined;
  /** `signal` (default SIGTERM), then SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number, signal?: NodeJS.Signals): Promise<void>;
}

export interface StartOptions {
  env?: Record<string, string>;
  /** Run from a copy of the bundle's folder in a temporary folder, alone, as the Dockerfile does (default true). */
  isolate?: boolean;
  /** How long to wait for the "listening on" line (default 20 s). */
  timeoutMs?: number;
  /** A command that runs node, e.g. `["/usr/bin/valgrind", "--tool=callgrind", …]` (default: none, node itself). */
  wrapper?: string[];
  /** Options for node before the bundle, e.g. `["--single-threaded"]`. */
  nodeArgs?: string[];
}

/**
 * Starts `node <dir>/index.mjs` with PORT=0 HOST=127.0.0.1 and waits for its
 * `listening on http://127.0.0.1:<port>` line: no port race.
 */
export async function startServer(name: string, bundleDir: string, options: StartOptions = {}): Promise<Server> {
  let dir = bundleDir;
  let tmp: string | undefined;
  if (options.isolate ?? true) {
    tmp = tempDir(name);
    dir = path.join(tmp, name);
    cpSync(bundleDir, dir, { recursive: true });
    // A generated service imports the chunks it shares with the others from ../_chunks/ (its Dockerfile copies them too).
    const chunks = path.join(bundleDir, "..", "_chunks");
    if (existsSync(chunks)) cpSync(chunks, path.join(tmp, "_chunks"), { recursive: true });
  }
  const spawnedAt = process.hrtime.bigint();
  const [command, ...wrapperArgs] = [...(options.wrapper ?? []), process.execPath];
  const child = spawnTracked(command!, [...wrapperArgs, ...(options.nodeArgs ?? []), "index.mjs"], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? "", NODE_ENV: "production", ...options.env, PORT: "0", HOST: "127.0.0.1" },
  });
  // A bounded tail: a service logs a line per request, and the orchestrator (which also runs the
  // load generator) must not spend its CPU keeping megabytes of them.
  let output = "";
  const keep = (d: string) => {
    output += d;
    if (output.length > 65_536) output = output.slice(-32_768);
  };
  child.stdout!.setEncoding("utf8").on("data", keep);
  child.stderr!.setEncoding("utf8").on("data", keep);
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
  });
  void exited.then(() => {
    if (tmp) removeTempDir(tmp);
  });
  const timeoutMs = options.timeoutMs ?? 20_000;
  let timer: NodeJS.Timeout | undefined;
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const onData = () => {
        const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
        if (m) {
          child.stdout!.removeListener("data", onData);
          resolve(Number(m[1]));
        }
      };
      child.stdout!.on("data", onData);
      void exited.then(() => reject(new Error(`${name} exited (${child.exitCode ?? child.signalCode}) before listening:\n${output}`)));
      timer = setTimeout(() => reject(new Error(`${name} did not listen within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    });
    const listenMs = Number(process.hrtime.bigint() - spawnedAt) / 1e6;
    return {
      name,
      port,
      url: `http://127.0.0.1:${port}`,
      pid: child.pid!,
      child,
      listenMs,
      spawnedAt,
      output: () => output,
      rssKiB: () => readRssKiB(child.pid!),
      stop: (graceMs = 3000, signal: NodeJS.Signals = "SIGTERM") => stopChild(child, exited, graceMs, signal),
    };
  } catch (e) {
    await stopChild(child, exited, 0);
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

async function stopChild(child: ChildProcess, exited: Promise<void>, graceMs: number, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return exited;
  killGroup(child, graceMs > 0 ? signal : "SIGKILL");
  let timer: NodeJS.Timeout | undefined;
  const forced = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      killGroup(child, "SIGKILL");
      resolve();
    }, graceMs);
  });
  await Promise.race([exited, forced]);
  await exited;
  clearTimeout(timer);
}

/** Stops every server given, even if some already died. */
export async function stopAll(servers: Iterable<Server | undefined>): Promise<void> {
  await Promise.all([...servers].filter((s): s is Server => !!s).map((s) => s.stop()));
}

export function readRssKiB(pid: number): number | undefined {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  wallMs: number;
}

/** Runs a command to its end (killed past `timeoutMs`) and collects its output. */
export async function runToEnd(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<Finished> {
  const start = process.hrtime.bigint();
  const child = spawnTracked(command, args, { cwd: options.cwd, env: options.env ?? process.env });
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(child, "SIGKILL");
  }, options.timeoutMs);
  try {
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
      child.once("error", reject);
      child.once("close", (c, s) => resolve([c, s]));
    });
    if (timedOut) throw new Error(`${command} ${args.join(" ")} took longer than ${options.timeoutMs} ms and was killed`);
    return { code, signal, stdout, stderr, wallMs: Number(process.hrtime.bigint() - start) / 1e6 };
  } finally {
    clearTimeout(timer);
  }
}
