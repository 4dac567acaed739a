// Running a program to its end as a child process: the monolith's entry with
// tsx, or a built entry bundle (entries/<name>/index.mjs) calling the services.
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { REPO } from "./paths.ts";

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

const running = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/**
 * Runs `node <args>` to its end and returns its exit code and output. A
 * process still running after `guardMs` is killed (SIGKILL) and reported as
 * such: a guard against hanging the test run, not a timing assertion.
 */
export function runNode(args: readonly string[], options: { cwd?: string; env?: Record<string, string>; guardMs?: number } = {}): Promise<Finished> {
  const child = spawn(process.execPath, [...args], {
    cwd: options.cwd ?? REPO,
    env: { PATH: process.env.PATH ?? "", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  const guard = setTimeout(() => {
    stderr += `\n[test guard: still running after ${options.guardMs ?? 120_000} ms, killed]`;
    child.kill("SIGKILL");
  }, options.guardMs ?? 120_000);
  return new Promise((resolve, reject) => {
    child.once("error", (e) => {
      clearTimeout(guard);
      running.delete(child);
      reject(e);
    });
    child.once("close", (code, signal) => {
      clearTimeout(guard);
      running.delete(child);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** The monolith: `node --import tsx <file>` from the repository (tsx resolves from there). */
export function runMonolith(file: string, env: Record<string, string> = {}): Promise<Finished> {
  return runNode(["--import", "tsx", file], { cwd: REPO, env });
}

/**
 * A built entry bundle, run from a copy of its folder alone (as the services
 * are), with the given environment (the TSC_MICRO_<SERVICE>_URL variables).
 */
export async function runEntryBundle(outDir: string, name: string, env: Record<string, string>): Promise<Finished> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), `tsc-micro-entry-${name}-`));
  try {
    const dir = path.join(tmp, name);
    cpSync(path.join(outDir, "entries", name), dir, { recursive: true });
    return await runNode(["index.mjs"], { cwd: dir, env: { NODE_ENV: "production", ...env } });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
