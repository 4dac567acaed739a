/**
 * `tsc-micro dev`: the whole split program on one machine. Builds, starts
 * every service as its own supervised process on a free 127.0.0.1 port (all
 * ports chosen first, so every service gets every URL variable and start order
 * only matters for readiness), runs the entry programs once the services are
 * ready, and with `watch` rebuilds on a source change and restarts only the
 * services whose bundles changed. Stopping stops everything gracefully.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { build } from "../build.js";
import type { BuildOptions, BuildResult } from "../build.js";
import { watchBuilder } from "../incremental/watch-builder.js";
import type { WatchBuilder } from "../incremental/watch-builder.js";
import { serviceHash, stageService } from "../package/stage-service.js";
import { startOrder } from "../plan/start-order.js";
import { freePort } from "./free-port.js";
import { PREFIX_COLORS, prefixLines } from "./prefix-lines.js";
import { Supervisor } from "./supervisor.js";
import { watchSources } from "./watch-sources.js";
import { startDashboard } from "./dashboard/server.js";
import type { Dashboard } from "./dashboard/server.js";
import { fileURLToPath } from "node:url";

/** The dashboard's tracing preload, compiled (a service runs plain node, so never the .ts). */
const TRACING_PRELOAD = fileURLToPath(new URL("../../dist/dev/tracing-preload.js", import.meta.url));

export interface DevOptions extends Omit<BuildOptions, "onProgress"> {
  /** Rebuild on source changes and restart the services whose bundles changed. */
  watch?: boolean;
  /** The services' and entries' output, prefixed with their names. Default: process.stdout. */
  write?: (text: string) => void;
  /** dev's own messages (ready lines, restarts, rebuilds). Default: process.stdout. */
  say?: (line: string) => void;
  /**
   * Each rebuild's result, with its diagnostics (after a failed one the services keep running);
   * after an incremental rebuild, also the result of the checks that follow it (see incremental/).
   */
  onBuildResult?: (result: BuildResult) => void;
  /** Colour the prefixes (on a terminal). */
  color?: boolean;
  /**
   * Serve the dashboard (dashboard/server.ts) and trace the services into it. Default off here
   * (an embedding program gets no extra port and no preload); the CLI turns it on.
   */
  dashboard?: boolean | { port?: number };
}

export interface DevService {
  name: string;
  url: string;
  pid: number | undefined;
}

export interface DevSession {
  /** The running services, in start order. */
  services(): DevService[];
  /** Stops the watcher, the entries and every service (SIGTERM: their graceful shutdown); resolves when all exited. */
  stop(): Promise<void>;
  /** Kills every process at once (a second Ctrl-C). */
  kill(): void;
  /** The dashboard's page, when `dashboard` is on. */
  dashboardUrl?: string;
}

/** Starts the program; `session` is undefined when the first build failed (see `result.diagnostics`). */
export async function dev(options: DevOptions): Promise<{ result: BuildResult; session?: DevSession }> {
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  const say = options.say ?? ((line: string) => void process.stdout.write(`${line}\n`));
  const { watch: watching, write: _w, say: _s, onBuildResult, color, dashboard: dashboardOption, ...buildOptions } = options;
  // Watching, the first build keeps what the rebuilds start from (incremental/watch-builder.ts).
  let builder: WatchBuilder | undefined;
  let result: BuildResult;
  if (watching) ({ result, builder } = await watchBuilder(buildOptions));
  else result = await build(buildOptions);
  if (!result.success || !result.plan) return { result };

  // Each service runs from its own copy of its bundle, named by content, so a rebuild never
  // rewrites a file a running (or restarting) process uses.
  const runDir = mkdtempSync(path.join(os.tmpdir(), "tsc-micro-dev-"));
  const supervisors = new Map<string, Supervisor>();
  const hashes = new Map<string, string>();
  const ports = new Map<string, number>();
  const envVars = new Map<string, string>();
  const entries = new Set<ChildProcess>();
  let colorIndex = 0;
  let outDir = result.outDir;

  // First, so its span intake URL is in every service's environment.
  const dashboard: Dashboard | undefined = dashboardOption
    ? await startDashboard({
        services: () => [...supervisors.values()].map((s) => ({ name: s.options.name, url: s.url, pid: s.pid })),
        openapi: function readOpenapi(name) {
          try {
            return JSON.parse(readFileSync(path.join(outDir, "services", name, "openapi.json"), "utf8"));
          } catch {
            return undefined; // mid-rebuild or no document
          }
        },
        ...(typeof dashboardOption === "object" && dashboardOption.port !== undefined ? { port: dashboardOption.port } : {}),
      })
    : undefined;

  function environment(): Record<string, string> {
    const env: Record<string, string> = { ...(process.env as Record<string, string>), NODE_ENV: "development", TSC_MICRO_PRESTOP_MS: "0" };
    if (dashboard) env.TSC_MICRO_DEV_SPANS_URL = dashboard.spansUrl;
    for (const [name, envVar] of envVars) env[envVar] = `http://127.0.0.1:${ports.get(name)}`;
    return env;
  }

  /** The service's bundle and the shared chunks it loads, copied under runDir (package/stage-service.ts). */
  function stage(built: BuildResult, name: string): { file: string; hash: string } {
    return stageService(built.outDir, built.services.find((s) => s.name === name)!, runDir);
  }

  async function startServices(built: BuildResult, names: readonly string[]): Promise<void> {
    const plan = built.plan!;
    for (const service of plan.services) {
      envVars.set(service.name, service.envVar);
      if (!ports.has(service.name)) ports.set(service.name, await freePort());
    }
    const { order } = startOrder(plan.services);
    const ordered = order.length > 0 ? order : plan.services; // a cycle: ports are fixed, any order works
    for (const service of ordered.filter((s) => names.includes(s.name))) {
      const { file, hash } = stage(built, service.name);
      const supervisor = new Supervisor({
        name: service.name,
        file,
        port: ports.get(service.name)!,
        env: environment(),
        write,
        say,
        ...(color ? { color: PREFIX_COLORS[colorIndex++ % PREFIX_COLORS.length] } : {}),
        ...(dashboard ? { nodeArgs: ["--import", TRACING_PRELOAD] } : {}),
      });
      supervisors.set(service.name, supervisor);
      hashes.set(service.name, hash);
      await supervisor.start();
      say(`${service.name.padEnd(width(plan.services))}  ${supervisor.url}  ready (pid ${supervisor.pid})`);
    }
  }

  function runEntries(built: BuildResult): void {
    for (const entry of built.entries ?? []) {
      const dir = path.join(runDir, `entry-${entry.name}-${Date.now()}`);
      mkdirSync(dir, { recursive: true });
      copyFileSync(path.join(built.outDir, "entries", entry.name, "index.mjs"), path.join(dir, "index.mjs"));
      const child = spawn(process.execPath, [path.join(dir, "index.mjs")], { env: environment(), stdio: ["ignore", "pipe", "pipe"] });
      entries.add(child);
      const prefix = prefixLines(entry.name, color ? PREFIX_COLORS[colorIndex++ % PREFIX_COLORS.length] : undefined, write);
      child.stdout!.setEncoding("utf8").on("data", prefix.push);
      child.stderr!.setEncoding("utf8").on("data", prefix.push);
      child.once("exit", (code, signal) => {
        prefix.flush();
        entries.delete(child);
        say(`entry ${entry.name} ${signal ? `was stopped by ${signal}` : `exited with code ${code}`}`);
      });
    }
  }

  try {
    await startServices(result, result.plan.services.map((s) => s.name));
  } catch (error) {
    await Promise.all([...supervisors.values()].map((s) => s.stop()));
    await dashboard?.close();
    rmSync(runDir, { recursive: true, force: true });
    throw error;
  }
  runEntries(result);

  // The files changed since the last rebuild started.
  let pending = new Set<string>();
  let watcher: { close(): void } | undefined;
  if (builder) {
    watcher = watchSources(result, (files) => {
      for (const file of files) pending.add(file);
      void rebuild(builder);
    });
  }

  // One rebuild at a time; changes during a rebuild ask for one more.
  let building: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  // An incremental rebuild left the checks for later (cleared once they ran, or a whole build did).
  let checkOwed = false;
  async function rebuild(builder: WatchBuilder): Promise<void> {
    if (building) {
      again = true;
      return;
    }
    building = (async () => {
      do {
        again = false;
        const files = pending;
        pending = new Set();
        let next: Awaited<ReturnType<WatchBuilder["rebuild"]>>;
        try {
          next = await builder.rebuild(files);
        } catch (e) {
          // Ctrl-C reaches esbuild's process too: a rebuild under way when dev stops fails so, quietly.
          if (stopped) return;
          for (const file of files) pending.add(file); // the next change rebuilds them too
          say(`rebuild failed (${(e as Error).message}); the running services keep running`);
          continue;
        }
        if (stopped) return;
        if (next.how === "unchanged") {
          if (checkOwed && !again) await check(builder);
          continue;
        }
        checkOwed = next.how === "incremental";
        say(next.how === "incremental" ? `incremental rebuild: ${next.function ? `${next.function}'s body` : "a function body"} in ${next.file} changed; the checks follow` : `full rebuild: ${next.why}`);
        onBuildResult?.(next.result);
        if (!next.result.success || !next.result.plan) {
          say(`rebuild failed; the running services keep running`);
          continue;
        }
        await apply(next.result, next.changed);
        // Changes came meanwhile: the next rebuild checks (a whole build type-checks first).
        if (checkOwed && !again && !stopped) await check(builder);
      } while (again && !stopped);
    })().finally(() => (building = undefined));
    await building;
  }

  /** The checks an incremental rebuild left out (TypeScript's type check, the state checks), reported as tsc --watch does: after the restart. */
  async function check(builder: WatchBuilder): Promise<void> {
    checkOwed = false;
    const checked = await builder.check();
    if (stopped) return;
    onBuildResult?.(checked.result);
    if (checked.stale) {
      say(`the incremental rebuild missed a change (a tsc-micro bug): rebuilding in full`);
      again = true;
    } else if (checked.result.success) say(`checked: no errors`);
    else say(`check failed: the services run the edited code, which a full build would refuse; fix the errors above`);
  }

  /** Restarts the services whose bundle changed (of `candidates` when given: the others are known unchanged), starts new ones, stops removed ones. */
  async function apply(next: BuildResult, candidates?: readonly string[]): Promise<void> {
    const plan = next.plan!;
    outDir = next.outDir;
    const names = plan.services.map((s) => s.name);
    const removed = [...supervisors.keys()].filter((name) => !names.includes(name));
    const added = names.filter((name) => !supervisors.has(name));
    const changed: string[] = [];
    for (const name of names.filter((n) => supervisors.has(n) && (candidates === undefined || candidates.includes(n)))) {
      if (serviceHash(next.outDir, next.services.find((s) => s.name === name)!) !== hashes.get(name)) changed.push(name);
    }
    for (const name of removed) {
      await supervisors.get(name)!.stop();
      supervisors.delete(name);
      hashes.delete(name);
      envVars.delete(name);
      ports.delete(name);
    }
    if (added.length > 0) await startServices(next, added);
    for (const name of changed) {
      const supervisor = supervisors.get(name)!;
      const { file, hash } = stage(next, name);
      supervisor.options.env = environment();
      await supervisor.replace(file);
      hashes.set(name, hash);
      say(`${name} restarted with its new bundle at ${supervisor.url} (pid ${supervisor.pid})`);
    }
    const unchanged = names.filter((n) => !changed.includes(n) && !added.includes(n));
    say(`rebuilt: ${describe("restarted", changed)}${describe("started", added)}${describe("stopped", removed)}${describe("unchanged", unchanged)}`.replace(/; $/, ""));
  }

  return {
    result,
    session: {
      services: () => [...supervisors.values()].map((s) => ({ name: s.options.name, url: s.url, pid: s.pid })),
      ...(dashboard ? { dashboardUrl: dashboard.url } : {}),
      async stop() {
        stopped = true;
        watcher?.close();
        await building?.catch(() => {});
        for (const child of entries) child.kill("SIGTERM");
        await Promise.all([...supervisors.values()].map((s) => s.stop()));
        await Promise.all([...entries].map((child) => new Promise((resolve) => child.once("exit", resolve))));
        await dashboard?.close();
        rmSync(runDir, { recursive: true, force: true });
      },
      kill() {
        stopped = true;
        watcher?.close();
        for (const child of entries) child.kill("SIGKILL");
        for (const s of supervisors.values()) s.kill();
        void dashboard?.close();
        rmSync(runDir, { recursive: true, force: true });
      },
    },
  };
}

function describe(what: string, names: readonly string[]): string {
  return names.length > 0 ? `${what} ${names.join(", ")}; ` : "";
}

function width(services: readonly { name: string }[]): number {
  return Math.max(...services.map((s) => s.name.length));
}
