// The split side: build a fixture, start every service, import the clients.
import path from "node:path";
import { pathToFileURL } from "node:url";
import { formatDiagnostics } from "../../../packages/tsc-micro/src/index.ts";
import type { BuildOptions, BuildResult } from "../../../packages/tsc-micro/src/index.ts";
import { cachedBuild } from "../build-cache.ts";
import { FIXTURES } from "../paths.ts";
import { startBundle, stopAll } from "../services.ts";
import type { RunningProcess } from "../services.ts";
import { dependencyOrder, freePort, isAlive, startBundleOnPort } from "./processes.ts";
import type { Fns } from "./types.ts";

/** The tsconfig.json of a fixture given by folder name (or a path, kept). */
export function fixtureTsconfig(fixture: string): string {
  if (fixture.endsWith(".json")) return path.resolve(fixture);
  return path.join(FIXTURES, fixture, "tsconfig.json");
}

/** A build of a fixture with every service running as its own process. */
export interface SplitRun {
  result: BuildResult;
  outDir: string;
  processes: Record<string, RunningProcess>;
  /** `TSC_MICRO_<SERVICE>_URL` → URL for every running service (for entries and extra processes). */
  env: Record<string, string>;
  /** The generated clients module (dist/clients/index.js), pointed at the running services. */
  clients: Record<string, any>;
  /** The client functions by route name. */
  fns: Fns;
  /**
   * Restarts every service process that died (on its port, with its
   * environment, so its callers' URLs stay right) and returns what died, with
   * its output: one crash does not turn every later call into a failure.
   */
  revive(): Promise<{ name: string; code: number | null; signal: string | null; output: string }[]>;
  stop(): Promise<void>;
}

/** Thrown when a build fails: carries the result, its text is the formatted diagnostics. */
export class BuildFailed extends Error {
  declare readonly result: BuildResult;
  constructor(result: BuildResult) {
    super(`build failed:\n${formatDiagnostics(result.diagnostics)}`);
    this.name = "BuildFailed";
    // Not enumerable: the test runner prints the message, not the whole result.
    Object.defineProperty(this, "result", { value: result, enumerable: false });
  }
}

/** Builds a fixture; throws {@link BuildFailed} with the diagnostics when the build fails. */
export async function buildFixture(fixture: string, options: Partial<BuildOptions>, label: string): Promise<BuildResult> {
  const result = await cachedBuild({ ...options, project: fixtureTsconfig(fixture) }, label);
  if (!result.success) throw new BuildFailed(result);
  return result;
}

/**
 * Builds a fixture and starts all its services on 127.0.0.1. Services that do
 * not call each other in a cycle start dependencies first, each on a port it
 * picks itself; services in a cycle (mutual recursion across services) need
 * each other's URLs before either listens, so every service gets a port
 * reserved up front and all URLs in its environment.
 */
export async function startProgram(fixture: string, options: Partial<BuildOptions>, label: string): Promise<SplitRun> {
  const result = await buildFixture(fixture, options, label);
  return startBuilt(result);
}

/** Starts the services of a successful build (see {@link startProgram}). */
export async function startBuilt(result: BuildResult): Promise<SplitRun> {
  const plan = result.plan!;
  const outDir = result.outDir;
  const processes: Record<string, RunningProcess> = {};
  const env: Record<string, string> = {};
  const envOf: Record<string, Record<string, string>> = {};
  const dir = (name: string) => path.join(outDir, "services", name);
  try {
    const order = dependencyOrder(plan.services);
    if (order) {
      for (const service of order) {
        envOf[service.name] = { ...env };
        const p = await startBundle(service.name, dir(service.name), { env: { ...env } });
        processes[service.name] = p;
        env[service.envVar] = p.url;
      }
    } else {
      // Services that call each other in a cycle must know each other's URLs before they start, so
      // their ports are picked first. Another process (a test file running beside this one) may bind
      // a picked port before the service does: then all start again on new ports, a few times.
      for (let attempt = 1; ; attempt++) {
        const ports: Record<string, number> = {};
        for (const service of plan.services) {
          ports[service.name] = await freePort();
          env[service.envVar] = `http://127.0.0.1:${ports[service.name]}`;
        }
        for (const service of plan.services) envOf[service.name] = { ...env };
        const started = await Promise.allSettled(plan.services.map((s) => startBundleOnPort(s.name, dir(s.name), ports[s.name]!, { ...env })));
        started.forEach((s, i) => {
          if (s.status === "fulfilled") processes[plan.services[i]!.name] = s.value;
        });
        const failed = started.find((s): s is PromiseRejectedResult => s.status === "rejected");
        if (!failed) break;
        if (attempt === 3 || !String(failed.reason).includes("EADDRINUSE")) throw failed.reason;
        await stopAll(Object.values(processes));
        for (const name of Object.keys(processes)) delete processes[name];
      }
    }
  } catch (e) {
    await stopAll(Object.values(processes));
    throw e;
  }
  let clients: Record<string, any>;
  try {
    clients = (await import(pathToFileURL(path.join(outDir, "clients/index.js")).href)) as Record<string, any>;
    for (const service of plan.services) clients[service.clientName].setBaseUrl(processes[service.name]!.url);
  } catch (e) {
    await stopAll(Object.values(processes));
    throw e;
  }
  const fns: Fns = {};
  for (const service of plan.services) {
    for (const route of service.routes) {
      if (typeof clients[route.name] === "function") fns[route.name] = clients[route.name];
    }
  }
  return {
    result,
    outDir,
    processes,
    env,
    clients,
    fns,
    revive: async () => {
      // A process that is dying may not have reported its exit yet: ask each
      // one whether it is alive; one that does not answer is waited for (or
      // stopped) before it is restarted.
      const alive = await Promise.all(Object.values(processes).map(async (p) => ({ p, alive: await isAlive(p) })));
      const dead = alive.filter((a) => !a.alive).map((a) => a.p);
      const report: { name: string; code: number | null; signal: string | null; output: string }[] = [];
      for (const p of dead) {
        await p.stop();
        report.push({ name: p.name, code: p.child.exitCode, signal: p.child.signalCode, output: p.output() });
        processes[p.name] = await startBundleOnPort(p.name, dir(p.name), p.port, envOf[p.name] ?? {});
      }
      return report;
    },
    stop: async () => {
      for (const service of plan.services) clients[service.clientName]?.close();
      await stopAll(Object.values(processes));
    },
  };
}
