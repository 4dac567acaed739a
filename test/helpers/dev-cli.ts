// `tsc-micro dev` run as a user runs it (the CLI as a child process in its own process group, as
// a terminal gives it) on a copy of examples/parity, with its output collected and waited on.
// Every process it starts must still be killed by the test (see killDev).
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { cpSync, mkdtempSync } from "node:fs";
import path from "node:path";
import { REPO, TMP } from "./paths.ts";

const CLI = path.join(REPO, "packages/tsc-micro/bin/tsc-micro.js");

/** A fresh copy of examples/parity's sources under .tmp. */
export function copyParity(label: string): string {
  const dir = mkdtempSync(path.join(TMP, `${label}-`));
  for (const part of ["src", "tsconfig.json", "package.json"]) cpSync(path.join(REPO, "examples/parity", part), path.join(dir, part), { recursive: true });
  return dir;
}

export interface DevCli {
  child: ChildProcess;
  output(): string;
  /** Resolves with the first match of `pattern` in the output at or after `from` (an index into the output). */
  waitFor(pattern: RegExp, from?: number): Promise<RegExpExecArray>;
  exited: Promise<number | null>;
}

export function startDevCli(dir: string, args: string[]): DevCli {
  const child = spawn(process.execPath, [CLI, "dev", ...args], { cwd: dir, detached: true, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, CI: "true" } });
  let output = "";
  const waiters = new Set<() => void>();
  for (const stream of [child.stdout!, child.stderr!]) {
    stream.setEncoding("utf8").on("data", (d: string) => {
      output += d;
      for (const wake of waiters) wake();
    });
  }
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    child,
    output: () => output,
    exited,
    waitFor(pattern, from = 0) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = new RegExp(pattern.source, pattern.flags.replace("g", "")).exec(output.slice(from));
          if (found) {
            waiters.delete(check);
            resolve(found);
          }
        };
        waiters.add(check);
        void exited.then((code) => reject(new Error(`dev exited (${code}) before ${pattern}:\n${output}`)));
        check();
      });
    },
  };
}

/** The services' URLs and pids from dev's `ready` lines. */
export function readyServices(output: string): Map<string, { url: string; pid: number }> {
  const services = new Map<string, { url: string; pid: number }>();
  for (const m of output.matchAll(/\[tsc-micro\] (\S+)\s+(http:\/\/127\.0\.0\.1:\d+)\s+ready \(pid (\d+)\)/g)) services.set(m[1]!, { url: m[2]!, pid: Number(m[3]) });
  return services;
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGKILLs the services (`pids`) and dev itself. */
export function killDev(dev: DevCli, pids: readonly number[]): void {
  for (const pid of pids) if (alive(pid)) process.kill(pid, "SIGKILL");
  if (dev.child.exitCode === null) dev.child.kill("SIGKILL");
}
