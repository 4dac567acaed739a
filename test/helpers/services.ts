import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { request } from "undici";
import { dockerImage, materialize } from "./image.ts";

/** A service bundle running as a child process on 127.0.0.1. */
export interface RunningProcess {
  name: string;
  url: string;
  port: number;
  child: ChildProcess;
  /** Everything the process printed, for assertions and failure messages. */
  output(): string;
  /** SIGTERM, then wait for the exit; resolves with the exit code. */
  stop(): Promise<number | null>;
}

const running = new Set<ChildProcess>();
// Whatever happens to the test process, its children die with it.
process.on("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

export interface StartOptions {
  /** Extra environment (service URLs). */
  env?: Record<string, string>;
  /**
   * Run from a fresh temporary folder holding what the service's image holds (default true):
   * the files its Dockerfile copies from dist/services, at the same paths, run from its WORKDIR.
   */
  isolate?: boolean;
  /** Listen on this port instead of an ephemeral one (default 0: no port race). */
  port?: number;
}

/**
 * Starts `<serviceDir>/index.mjs` with PORT=0 on 127.0.0.1 and waits for its
 * "listening on http://127.0.0.1:<port>" line, so there is no port race. By
 * default it runs from a copy of exactly what its Dockerfile copies, as the image does
 * (a folder without a Dockerfile: from a copy of the folder alone).
 */
export async function startBundle(name: string, serviceDir: string, options: StartOptions = {}): Promise<RunningProcess> {
  let dir = serviceDir;
  let tmp: string | undefined;
  if (options.isolate ?? true) {
    tmp = mkdtempSync(path.join(os.tmpdir(), `tsc-micro-${name}-`));
    const dockerfile = path.join(serviceDir, "Dockerfile");
    if (existsSync(dockerfile)) {
      dir = materialize(dockerImage(path.dirname(serviceDir), dockerfile), tmp);
    } else {
      dir = path.join(tmp, name);
      cpSync(serviceDir, dir, { recursive: true });
    }
  }
  const child = spawn(process.execPath, ["index.mjs"], {
    cwd: dir,
    // No load balancer routes by readiness here, so no pre-stop delay (3 s by default in production).
    env: { PATH: process.env.PATH ?? "", NODE_ENV: "production", TSC_MICRO_PRESTOP_MS: "0", ...options.env, PORT: String(options.port ?? 0), HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  let output = "";
  child.stdout!.setEncoding("utf8").on("data", (d: string) => (output += d));
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (output += d));
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => {
      running.delete(child);
      if (tmp) rmSync(tmp, { recursive: true, force: true });
      resolve(code);
    }),
  );
  const port = await new Promise<number>((resolve, reject) => {
    const onData = () => {
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (m) resolve(Number(m[1]));
    };
    child.stdout!.on("data", onData);
    void exited.then((code) => reject(new Error(`${name} exited with ${code} before listening:\n${output}`)));
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

/** Stops every process given, even if some already died. */
export async function stopAll(processes: Iterable<RunningProcess | undefined>): Promise<void> {
  await Promise.all([...processes].filter((p): p is RunningProcess => !!p).map((p) => p.stop()));
}

/** POSTs a JSON body (or raw text) and returns status and parsed body. */
export async function post(url: string, body: unknown, raw = false): Promise<{ status: number; body: any }> {
  const res = await postText(url, raw ? (body as string) : JSON.stringify(body));
  return { status: res.status, body: res.text ? JSON.parse(res.text) : undefined };
}

/**
 * POSTs raw text as `application/json`; returns status and text. Through undici's `request` on
 * kept-alive connections, not the global `fetch`: the property tests send thousands of requests,
 * and fetch's Request/Response and web streams took a quarter of such a file's CPU (~470 µs a
 * call against ~106 µs, measured on loopback).
 */
export async function postText(url: string, body: string): Promise<{ status: number; text: string }> {
  const res = await request(url, { method: "POST", headers: { "content-type": "application/json" }, body });
  return { status: res.statusCode, text: await res.body.text() };
}
