import assert from "node:assert/strict";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { startOrder } from "../../packages/tsc-micro/src/index.ts";
import type { BuildResult } from "../../packages/tsc-micro/src/index.ts";
import { cachedBuild } from "./build-cache.ts";
import { startBundle, stopAll } from "./services.ts";
import type { RunningProcess } from "./services.ts";

/** A built program with its services running as their own processes. */
export interface SplitProgram {
  result: BuildResult;
  outDir: string;
  /** The running services, by name. */
  processes: Record<string, RunningProcess>;
  /** The generated clients (dist/clients/index.js), pointed at the running services. */
  clients: Record<string, any>;
  /**
   * Starts the services serving these functions and the services they call, directly or not
   * (those not running yet), dependencies first. A no-op for a program started whole.
   */
  start(...functions: string[]): Promise<void>;
  stop(): Promise<void>;
}

export interface SplitOptions {
  /**
   * Start no service now: each starts when a test first asks for one of its functions
   * (`split.start(fn)`), with what it calls. A test that uses a few functions of a fixture of
   * many one-function services runs a few processes, not all (the property round trips need 36
   * of 179; each start and stop costs a service ~0.2 s of CPU).
   */
  lazy?: boolean;
}

/**
 * Builds a project and starts its services on 127.0.0.1 (all, or none yet when `lazy`),
 * dependencies first so each learns its dependencies' URLs from the TSC_MICRO_<NAME>_URL
 * variables the generated clients read.
 */
export async function startSplit(tsconfig: string, label: string, options: SplitOptions = {}): Promise<SplitProgram> {
  const result = await cachedBuild({ project: tsconfig }, label);
  const outDir = result.outDir;
  assert.ok(result.success, JSON.stringify(result.diagnostics, null, 2));
  const plan = result.plan!;
  const order = dependencyOrder(plan.services);
  const processes: Record<string, RunningProcess> = {};
  const env: Record<string, string> = {};
  const clients = (await import(pathToFileURL(path.join(outDir, "clients/index.js")).href)) as Record<string, any>;
  /** Starts the named services that are not running, in dependency order. */
  async function startServices(names: ReadonlySet<string>): Promise<void> {
    for (const service of order) {
      if (!names.has(service.name) || processes[service.name]) continue;
      const p = await startBundle(service.name, path.join(outDir, "services", service.name), { env: { ...env } });
      processes[service.name] = p;
      env[service.envVar] = p.url;
      clients[service.clientName].setBaseUrl(p.url);
    }
  }
  // Starts run one after another: a second caller waits for the first's processes. A start that
  // fails rejects its own caller only; a later start tries again and reports its own failure.
  let starting: Promise<void> = Promise.resolve();
  const split: SplitProgram = {
    result,
    outDir,
    processes,
    clients,
    start(...functions) {
      const started = starting.then(() => startServices(neededServices(plan.services, functions)));
      starting = started.catch(() => undefined);
      return started;
    },
    stop: async () => {
      for (const service of plan.services) clients[service.clientName].close();
      await stopAll(Object.values(processes));
    },
  };
  if (!options.lazy) {
    try {
      await startServices(new Set(plan.services.map((s) => s.name)));
    } catch (e) {
      await split.stop();
      throw e;
    }
  }
  return split;
}

/** The services serving `functions`, with every service they call, directly or not. */
function neededServices(services: readonly { name: string; dependencies: string[]; routes: readonly { name: string }[] }[], functions: readonly string[]): Set<string> {
  const byName = new Map(services.map((s) => [s.name, s]));
  const needed = new Set<string>();
  const visit = (name: string): void => {
    if (needed.has(name)) return;
    needed.add(name);
    for (const dependency of byName.get(name)?.dependencies ?? []) visit(dependency);
  };
  for (const fn of functions) visit(serviceServing(services, fn).name);
  return needed;
}

/** The planned service that serves `fn`; fails the test if none does. */
export function serviceServing<S extends { name: string; routes: readonly { name: string }[] }>(services: readonly S[], fn: string): S {
  const service = services.find((s) => s.routes.some((r) => r.name === fn));
  assert.ok(service, `no service serves ${fn}`);
  return service;
}

/** The running process of the service that serves `fn`; fails the test if it was not started. */
export function runningServing(split: SplitProgram, fn: string): RunningProcess {
  const service = serviceServing(split.result.plan!.services, fn);
  const running = split.processes[service.name];
  assert.ok(running, `${service.name} (serving ${fn}) was not started: call split.start("${fn}") first`);
  return running;
}

function dependencyOrder<T extends { name: string; dependencies: string[] }>(services: readonly T[]): T[] {
  const { order, cycle } = startOrder(services);
  if (cycle) throw new Error(`services call each other in a cycle: ${cycle.join(" → ")}`);
  return order;
}

/** A call's outcome, comparable between monolith and split: its value or its error's name and message. */
export async function outcome(f: () => unknown): Promise<{ value?: unknown; error?: { name: string; message: string } }> {
  try {
    return { value: await f() };
  } catch (e) {
    return { error: { name: (e as Error).name, message: (e as Error).message } };
  }
}
