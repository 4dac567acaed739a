// A build cache shared by the test processes of one test run. Many test files
// build the same project with the same options (golden, OpenAPI, Redocly, the
// e2e and equivalence tests), each in its own process; builds are deterministic
// (test/deterministic-output.test.ts proves it), so the first process to need a
// build makes it and the others reuse it.
//
// scripts/run-tests.mjs sets TSC_MICRO_TEST_RUN once per run: the cache lives
// under .tmp/build-cache/<run>/, so it never outlives a run nor sees an older
// compiler. Without that variable (a test file run on its own) every build is
// private, as before.
//
// Every caller gets its own copy of the output folder, so a test that writes
// into it, or imports the generated clients (module state), affects nobody else.
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { build } from "../../packages/tsc-micro/src/index.ts";
import type { BuildOptions, BuildResult } from "../../packages/tsc-micro/src/index.ts";
import { REPO, tempOutDir } from "./paths.ts";

export const RUN_ENV = "TSC_MICRO_TEST_RUN";

/** Options a cached build may take: plain data (no progress callback), no output folder (the cache picks it). */
export type CacheableOptions = Omit<BuildOptions, "outDir" | "onProgress" | "cwd"> & { project: string };

/** What a cache entry holds beside its output folder. */
type Entry = { result: BuildResult } | { thrown: { name: string; message: string; stack?: string } };

/** Entries (as JSON) made or read by this process, by key: a second caller waits on the first. */
const inProcess = new Map<string, Promise<string>>();

/**
 * Builds `options.project` (or reuses this run's build of it with the same
 * options) and returns the result with `outDir` a fresh private copy of the
 * output (`tempOutDir(label)`). A build that threw throws again, for every caller.
 */
export async function cachedBuild(options: CacheableOptions, label: string): Promise<BuildResult> {
  const outDir = tempOutDir(label);
  const run = process.env[RUN_ENV];
  // A callback or a cwd cannot be part of a key: such a build stays private.
  const plain = !("onProgress" in options) && !("cwd" in options);
  if (!run || !/^[\w-]+$/.test(run) || !plain) return build({ ...options, outDir });
  const key = keyOf(options);
  let pending = inProcess.get(key);
  if (!pending) {
    pending = entryOf(path.join(REPO, ".tmp", "build-cache", run, key), options);
    inProcess.set(key, pending);
  }
  // Decoded per caller: no two callers share an object they might change.
  const entry = decode(await pending);
  if ("thrown" in entry) {
    const e = new Error(entry.thrown.message);
    e.name = entry.thrown.name;
    if (entry.thrown.stack) e.stack = entry.thrown.stack;
    throw e;
  }
  const shared = entry.result.outDir;
  if (existsSync(shared)) cpSync(shared, outDir, { recursive: true });
  return { ...entry.result, outDir };
}

/** The key of a build: the tsconfig's absolute path and the other options, with sorted keys. */
function keyOf(options: CacheableOptions): string {
  const normalized = { ...options, project: path.resolve(options.project) };
  return createHash("sha256").update(JSON.stringify(sortKeys(normalized))).digest("hex").slice(0, 24);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
  }
  return value;
}

/**
 * The entry in `dir`: made here if this process wins the lock (an atomic
 * mkdir of `dir`), else waited for until its maker writes entry.json.
 */
async function entryOf(dir: string, options: CacheableOptions): Promise<string> {
  mkdirSync(path.dirname(dir), { recursive: true });
  const file = path.join(dir, "entry.json");
  let owner = false;
  try {
    mkdirSync(dir);
    owner = true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
  }
  if (owner) {
    writeFileSync(path.join(dir, "pid"), String(process.pid));
    let entry: Entry;
    try {
      entry = { result: await build({ ...options, outDir: path.join(dir, "dist") }) };
    } catch (e) {
      const err = e as Error;
      entry = { thrown: { name: err.name, message: err.message, ...(err.stack ? { stack: err.stack } : {}) } };
    }
    // Written whole, then renamed: a waiter never reads half a file.
    const text = encode(entry);
    writeFileSync(`${file}.tmp`, text);
    renameSync(`${file}.tmp`, file);
    return text;
  }
  return waitFor(dir, file);
}

/** Polls for entry.json; fails (rather than hanging) if the maker's process died without writing it. */
async function waitFor(dir: string, file: string): Promise<string> {
  for (;;) {
    if (existsSync(file)) return readFileSync(file, "utf8");
    const pid = Number(existsSync(path.join(dir, "pid")) ? readFileSync(path.join(dir, "pid"), "utf8") : NaN);
    if (Number.isInteger(pid) && pid > 0 && !alive(pid) && !existsSync(file)) {
      throw new Error(`build cache: process ${pid} died while building ${dir}`);
    }
    await sleep(100);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

// JSON drops properties whose value is undefined; deepEqual tells `{ a: undefined }`
// from `{}`, so they are kept as a marker and restored.
const UNDEFINED = "\u0000undefined";

function encode(entry: Entry): string {
  return JSON.stringify(entry, (_key, value: unknown) => (value === undefined ? UNDEFINED : value));
}

function decode(text: string): Entry {
  return restore(JSON.parse(text)) as Entry;
}

function restore(value: unknown): unknown {
  if (value === UNDEFINED) return undefined;
  if (Array.isArray(value)) return value.map(restore);
  if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) (value as Record<string, unknown>)[k] = restore(v);
  }
  return value;
}
