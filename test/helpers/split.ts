import assert from "node:assert/strict";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { startOrder } from "../../packages/tsc-micro/src/index.ts";
import type { BuildResult } from "../../packages/tsc-micro/src/index.ts";
import { cachedBuild } from "./build-cache.ts";
import { startBundle, stopAll } from "./services.ts";
import type { RunningProcess } from "./services.ts";

/** A built program with every service running as its own process. */
export interface SplitProgram {
  result: BuildResult;
  outDir: string;
  processes: Record<string, RunningProcess>;
  /** The generated clients (dist/clients/index.js), pointed at the running services. */
  clients: Record<string, any>;
  stop(): Promise<void>;
}

/**
 * Builds a project and starts all its services on 127.0.0.1, dependencies
 * first so each learns its dependencies' URLs from the TSC_MICRO_<NAME>_URL
 * variables the generated clients read.
 */
export async function startSplit(tsconfig: string, label: string): Promise<SplitProgram> {
  const result = await cachedBuild({ project: tsconfig }, label);
  const outDir = result.outDir;
  assert.ok(result.success, JSON.stringify(result.diagnostics, null, 2));
  const plan = result.plan!;
  const processes: Record<string, RunningProcess> = {};
  const env: Record<string, string> = {};
  try {
    for (const service of dependencyOrder(plan.services)) {
      const p = await startBundle(service.name, path.join(outDir, "services", service.name), { env: { ...env } });
      processes[service.name] = p;
      env[service.envVar] = p.url;
    }
  } catch (e) {
    await stopAll(Object.values(processes));
    throw e;
  }
  const clients = (await import(pathToFileURL(path.join(outDir, "clients/index.js")).href)) as Record<string, any>;
  for (const service of plan.services) clients[service.clientName].setBaseUrl(processes[service.name]!.url);
  return {
    result,
    outDir,
    processes,
    clients,
    stop: async () => {
      for (const service of plan.services) clients[service.clientName].close();
      await stopAll(Object.values(processes));
    },
  };
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
