// Service processes for the split side: liveness, start order, free ports, and
// starting a bundle on a given port (for services that call each other in a cycle).
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
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

const extraChildren = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of extraChildren) child.kill("SIGKILL");
});

/** Like startBundle, on a given port (startBundle always asks for port 0). */
export async function startBundleOnPort(name: string, serviceDir: string, port: number, env: Record<string, string>): Promise<RunningProcess> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), `tsc-micro-${name}-`));
  const dir = path.join(tmp, name);
  cpSync(serviceDir, dir, { recursive: true });
  const child = spawn(process.execPath, ["index.mjs"], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? "", NODE_ENV: "production", ...env, PORT: String(port), HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  extraChildren.add(child);
  let output = "";
  child.stdout!.setEncoding("utf8").on("data", (d: string) => (output += d));
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (output += d));
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => {
      extraChildren.delete(child);
      rmSync(tmp, { recursive: true, force: true });
      resolve(code);
    }),
  );
  await new Promise<void>((resolve, reject) => {
    const onData = () => {
      if (output.includes(`listening on http://127.0.0.1:${port}`)) resolve();
    };
    child.stdout!.on("data", onData);
    void exited.then((code) => reject(new Error(`${name} exited with ${code} before listening on ${port}:\n${output}`)));
  });
  return {
    name,
    port,
    url: `http://127.0.0.1:${port}`,
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}
