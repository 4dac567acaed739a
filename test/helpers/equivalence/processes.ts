// Service processes for the split side: liveness, start order, free ports, and
// starting a bundle on a given port (for services that call each other in a cycle).
import { createServer } from "node:net";
import { startBundle } from "../services.ts";
import type { RunningProcess } from "../services.ts";
import { startOrder } from "../../../packages/tsc-micro/src/index.ts";

/** The process runs and answers GET /health/live. */
export async function isAlive(p: RunningProcess): Promise<boolean> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return false;
  try {
    const res = await fetch(`${p.url}/health/live`, { signal: AbortSignal.timeout(15_000) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

/** Dependencies first; undefined when services call each other in a cycle. */
export function dependencyOrder<T extends { name: string; dependencies: string[] }>(services: readonly T[]): T[] | undefined {
  const { order, cycle } = startOrder(services);
  return cycle ? undefined : order;
}

/** A port nobody listens on right now (for services that must know each other's URLs before starting). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

/** Like startBundle, on a given port (startBundle always asks for port 0). */
export async function startBundleOnPort(name: string, serviceDir: string, port: number, env: Record<string, string>): Promise<RunningProcess> {
  return startBundle(name, serviceDir, { env, port });
}
