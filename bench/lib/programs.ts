// Building a project with tsc-micro (in a child process) and running all its services.
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { startOrder } from "tsc-micro";
import { BENCH, HAS_GNU_TIME, REPO } from "./config.ts";
import { runToEnd, startServer, stopAll, tempDir, removeTempDir } from "./procs.ts";
import type { Server } from "./procs.ts";

export interface BuiltServiceInfo {
  name: string;
  envVar: string;
  clientName: string;
  dependencies: string[];
  routes: string[];
}

export interface BuildRun {
  success: boolean;
  /** From spawn to exit of the child: Node start, loading tsc-micro (ts-morph, TypeScript), the build. */
  wallMs: number;
  /** build() alone, inside the child. */
  buildMs: number;
  importMs: number;
  /** Peak RSS of the child (GNU time when present, else the child's own resourceUsage()). */
  maxRssKiB: number;
  /** CPU of the child process itself (user + system), all of it: Node start, imports, the build. */
  cpuMs: number;
  /** CPU of esbuild's service process (read from /proc before the child exits; null off Linux). */
  esbuildCpuMs: number | null;
  /** The child's own CPU per build phase (`check` … `write`, from the progress events), `setup` before the first. */
  phaseCpuMs: Record<string, number>;
  diagnostics: string;
  services: BuiltServiceInfo[];
  bundleBytes: Record<string, number>;
  /** The services' shared chunks (services/_chunks/), each once, by path. */
  chunkBytes: Record<string, number>;
  outDir: string;
}

export interface BuildRequest {
  project: string;
  outDir: string;
  mode?: "split" | "monolith";
  colocate?: string[][];
  /** false: build without TypeScript's type check (`--no-type-check`). */
  typeCheck?: boolean;
}

/** Peak RSS in KiB from a `/usr/bin/time -v -o file` report. */
export function gnuTimeMaxRss(file: string): number | undefined {
  try {
    const m = /Maximum resident set size \(kbytes\):\s*(\d+)/.exec(readFileSync(file, "utf8"));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** User + system CPU in milliseconds from a `/usr/bin/time -v -o file` report (the process and the children it waited for). */
export function gnuTimeCpuMs(file: string): number | undefined {
  try {
    const text = readFileSync(file, "utf8");
    const user = /User time \(seconds\):\s*([\d.]+)/.exec(text);
    const system = /System time \(seconds\):\s*([\d.]+)/.exec(text);
    return user && system ? (Number(user[1]) + Number(system[1])) * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** Runs `node <args>` under `/usr/bin/time -v` when available; returns the run and the peak RSS and CPU it measured. */
export async function runMeasured(
  args: string[],
  timeoutMs: number,
): Promise<{ run: Awaited<ReturnType<typeof runToEnd>>; maxRssKiB: number | undefined; cpuMs: number | undefined }> {
  if (!HAS_GNU_TIME) {
    const run = await runToEnd(process.execPath, args, { cwd: REPO, timeoutMs });
    return { run, maxRssKiB: undefined, cpuMs: undefined };
  }
  const dir = tempDir("time");
  try {
    const report = path.join(dir, "time.txt");
    const run = await runToEnd("/usr/bin/time", ["-v", "-o", report, process.execPath, ...args], { cwd: REPO, timeoutMs });
    return { run, maxRssKiB: gnuTimeMaxRss(report), cpuMs: gnuTimeCpuMs(report) };
  } finally {
    removeTempDir(dir);
  }
}

/** One tsc-micro build in a fresh child process (bench/children/build.mjs), output folder emptied first. */
export async function buildProject(request: BuildRequest, timeoutMs = 300_000): Promise<BuildRun> {
  rmSync(request.outDir, { recursive: true, force: true });
  const { run, maxRssKiB } = await runMeasured([path.join(BENCH, "children/build.mjs"), JSON.stringify(request)], timeoutMs);
  const line = run.stdout.split("\n").find((l) => l.startsWith("BENCH_RESULT "));
  if (!line) throw new Error(`build of ${request.project} died (code ${run.code}, signal ${run.signal}):\n${run.stderr.slice(-4000)}`);
  const r = JSON.parse(line.slice("BENCH_RESULT ".length));
  return { ...r, wallMs: run.wallMs, maxRssKiB: maxRssKiB ?? r.maxRssKiB, outDir: request.outDir };
}

/** Like buildProject, but throws with the diagnostics unless the build succeeded. */
export async function buildOrThrow(request: BuildRequest): Promise<BuildRun> {
  const r = await buildProject(request);
  if (!r.success) throw new Error(`tsc-micro build of ${path.relative(REPO, request.project)} failed:\n${r.diagnostics}`);
  return r;
}

export interface RunningProgram {
  build: BuildRun;
  servers: Record<string, Server>;
  /** Service serving the route `fn`. */
  serviceOf(fn: string): BuiltServiceInfo;
  urlOf(fn: string): string;
  /** The generated clients (dist/clients/index.js), pointed at the running services. */
  clients(): Promise<Record<string, any>>;
  stop(): Promise<void>;
}

/**
 * Starts every service of a build on 127.0.0.1, dependencies first, each told
 * the URLs of the others by the TSC_MICRO_<SERVICE>_URL variables its clients read.
 */
export async function startProgram(build: BuildRun): Promise<RunningProgram> {
  const servers: Record<string, Server> = {};
  const env: Record<string, string> = {};
  try {
    for (const service of dependencyOrder(build.services)) {
      const s = await startServer(service.name, path.join(build.outDir, "services", service.name), { env: { ...env } });
      servers[service.name] = s;
      env[service.envVar] = s.url;
    }
  } catch (e) {
    await stopAll(Object.values(servers));
    throw e;
  }
  let clients: Record<string, any> | undefined;
  const serviceOf = (fn: string) => {
    const s = build.services.find((x) => x.routes.includes(fn));
    if (!s) throw new Error(`no service serves ${fn}`);
    return s;
  };
  return {
    build,
    servers,
    serviceOf,
    urlOf: (fn) => servers[serviceOf(fn).name]!.url,
    clients: async () => {
      if (!clients) {
        clients = (await import(pathToFileURL(path.join(build.outDir, "clients/index.js")).href)) as Record<string, any>;
        for (const s of build.services) clients[s.clientName].setBaseUrl(servers[s.name]!.url);
      }
      return clients;
    },
    stop: async () => {
      if (clients) for (const s of build.services) clients[s.clientName].close();
      await stopAll(Object.values(servers));
    },
  };
}

function dependencyOrder<T extends { name: string; dependencies: string[] }>(services: readonly T[]): T[] {
  const { order, cycle } = startOrder(services);
  if (cycle) throw new Error(`services call each other in a cycle: ${cycle.join(" → ")}`);
  return order;
}
