// "The split program behaves exactly like the monolith": runs the same calls
// through the fixture's own modules (imported directly: the monolith) and
// through a build of it whose services all run as processes on 127.0.0.1
// (called through the generated clients), and compares the outcomes: equal
// values, or errors with the same name, message, class, enumerable fields and
// cause chain.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { build, formatDiagnostics } from "../../packages/tsc-micro/src/index.ts";
import type { BuildOptions, BuildResult } from "../../packages/tsc-micro/src/index.ts";
import { show } from "./parity.ts";
import { FIXTURES, tempOutDir } from "./paths.ts";
import { startBundle, stopAll } from "./services.ts";
import type { RunningProcess } from "./services.ts";

/** Functions by route name: the fixture's own exports (monolith) or the generated client functions (split). */
export type Fns = Record<string, (...args: any[]) => unknown>;
export type Side = "monolith" | "split";

/** One call of a service function by its route name. */
export interface Call {
  fn: string;
  args: readonly unknown[];
  /** Shown in failure messages; default `fn(args)`. */
  label?: string;
}

/** Several calls whose combined result is compared (state, order): runs once per side. */
export interface Scenario {
  label: string;
  run: (fns: Fns, side: Side) => unknown;
}

export type CallList = readonly (Call | Scenario)[] | ((fns: Fns, side: Side) => unknown);

/** An Error class of the program (its own exported subclass of Error). */
export type ErrorClass = abstract new (...args: any[]) => Error;

export interface EquivalenceOptions {
  /** A folder name under fixtures/, or a path to a tsconfig.json. */
  fixture: string;
  calls: CallList;
  /** Build options on top of `{ project, outDir }`: `{ colocate: [...] }`, `{ mode: "monolith" }`, `{ entry }`… */
  build?: Partial<BuildOptions>;
  /** Names the output folder and the failure messages. */
  label: string;
  /**
   * The program's Error classes, imported from the fixture's source. They are
   * registered with the client runtime (`registerErrorClasses`) so the errors
   * the test receives through dist/clients are rebuilt as these classes, and
   * every error is checked for `instanceof` each of them on both sides.
   */
  errorClasses?: Readonly<Record<string, ErrorClass>>;
  /** Assert that every call agrees (default true); false: only return the report. */
  assert?: boolean;
  /** Reuse a program already started with {@link startProgram} (it is not stopped). */
  program?: SplitRun;
}

/** What a call did: its value, the Error it threw (profiled), or a non-Error it threw. */
export type Outcome = { value: unknown } | { error: ErrorProfile } | { thrown: unknown };

/** Everything about a thrown Error that the caller's code can observe and that must survive the wire. */
export interface ErrorProfile {
  name: string;
  message: string;
  /** `error.constructor.name`. */
  constructorName: string;
  /** `error instanceof X` for each built-in error class. */
  builtins: Record<string, boolean>;
  /** `error instanceof X` for each of the program's error classes given. */
  classes: Record<string, boolean>;
  /** Own enumerable properties (`code`, `resource`, an instance `name`…), `cause` excluded. */
  fields: Record<string, unknown>;
  /** The cause: an Error's profile, a non-Error value, or absent. */
  cause?: Outcome;
}

export interface CallResult {
  label: string;
  monolith: Outcome;
  split: Outcome;
  /** Set when the outcomes differ: the failure text. */
  diff?: string;
}

export interface EquivalenceReport {
  label: string;
  build: BuildResult;
  results: CallResult[];
  failures: CallResult[];
  /** Services that died while the calls ran (restarted after each call), with the call after which and their output. */
  crashed: { after: string; name: string; code: number | string | null; output: string }[];
}

const BUILTIN_ERRORS: Record<string, ErrorClass> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
  AggregateError,
};

/** How deep cause chains are followed. */
const MAX_CAUSE_DEPTH = 8;

/** The tsconfig.json of a fixture given by folder name (or a path, kept). */
export function fixtureTsconfig(fixture: string): string {
  if (fixture.endsWith(".json")) return path.resolve(fixture);
  return path.join(FIXTURES, fixture, "tsconfig.json");
}

// ---------------------------------------------------------------------------
// The split side: build, start every service, import the clients.

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
  const outDir = tempOutDir(label);
  const result = await build({ ...options, project: fixtureTsconfig(fixture), outDir });
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
      if (failed) throw failed.reason;
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

/** The process runs and answers GET /health/live. */
async function isAlive(p: RunningProcess): Promise<boolean> {
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
function dependencyOrder<T extends { name: string; dependencies: string[] }>(services: readonly T[]): T[] | undefined {
  const byName = new Map(services.map((s) => [s.name, s]));
  const done = new Set<string>();
  const order: T[] = [];
  let cyclic = false;
  const visit = (s: T, stack: string[]): void => {
    if (done.has(s.name) || cyclic) return;
    if (stack.includes(s.name)) {
      cyclic = true;
      return;
    }
    for (const d of s.dependencies) {
      const dep = byName.get(d);
      if (dep) visit(dep, [...stack, s.name]);
    }
    done.add(s.name);
    order.push(s);
  };
  for (const s of services) visit(s, []);
  return cyclic ? undefined : order;
}

/** A port nobody listens on right now (for services that must know each other's URLs before starting). */
async function freePort(): Promise<number> {
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
async function startBundleOnPort(name: string, serviceDir: string, port: number, env: Record<string, string>): Promise<RunningProcess> {
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

// ---------------------------------------------------------------------------
// The monolith side: the fixture's modules, imported as they are.

/**
 * The fixture's own functions by route name, found through the build's plan
 * (`routes[].file` / `exportName`) and imported from the sources directly:
 * every call is local, as in the monolith.
 */
export async function monolithFns(result: BuildResult): Promise<Fns> {
  const fns: Fns = {};
  for (const service of result.plan!.services) {
    for (const route of service.routes) {
      const file = path.join(result.rootDir, route.file);
      assert.ok(existsSync(file), `${route.name}: no source file ${file}`);
      const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
      const fn = mod[route.exportName];
      assert.equal(typeof fn, "function", `${route.file} does not export a function '${route.exportName}' (route ${route.name})`);
      fns[route.name] = fn as (...args: any[]) => unknown;
    }
  }
  return fns;
}

// ---------------------------------------------------------------------------
// Outcomes.

/** Profiles an error (or the value thrown), so that both sides can be compared with deepStrictEqual. */
export function profileThrown(thrown: unknown, classes: Readonly<Record<string, ErrorClass>> = {}, depth = 0): Outcome {
  if (!(thrown instanceof Error)) return { thrown };
  const e = thrown;
  const fields: Record<string, unknown> = {};
  for (const key of Object.keys(e)) if (key !== "cause") fields[key] = (e as unknown as Record<string, unknown>)[key];
  const profile: ErrorProfile = {
    name: e.name,
    message: e.message,
    constructorName: (e.constructor as { name?: string } | undefined)?.name ?? "(none)",
    builtins: Object.fromEntries(Object.entries(BUILTIN_ERRORS).map(([n, c]) => [n, e instanceof c])),
    classes: Object.fromEntries(Object.entries(classes).map(([n, c]) => [n, e instanceof c])),
    fields,
  };
  if ("cause" in e && depth < MAX_CAUSE_DEPTH) profile.cause = profileThrown(e.cause, classes, depth + 1);
  return { error: profile };
}

/** Runs `f` and returns what it did: its (awaited) value or what it threw, profiled. */
export async function outcomeOf(f: () => unknown, classes: Readonly<Record<string, ErrorClass>> = {}): Promise<Outcome> {
  try {
    return { value: await f() };
  } catch (e) {
    return profileThrown(e, classes);
  }
}

function isCall(item: Call | Scenario): item is Call {
  return typeof (item as Call).fn === "string";
}

function normalise(calls: CallList): Scenario[] {
  if (typeof calls === "function") return [{ label: "calls", run: calls }];
  return calls.map((item) => {
    if (!isCall(item)) return item;
    const label = item.label ?? `${item.fn}(${item.args.map((a) => show(a, 120)).join(", ")})`;
    return {
      label,
      run: (fns: Fns) => {
        const f = fns[item.fn];
        if (typeof f !== "function") throw new TypeError(`no function '${item.fn}' on this side`);
        return f(...item.args);
      },
    };
  });
}

/**
 * Registers the program's error classes with the client runtime the generated
 * clients import (the same module instance: both resolve to
 * packages/runtime/dist). Returns a note when the runtime cannot do it.
 */
export async function registerProgramErrors(classes: Readonly<Record<string, ErrorClass>>): Promise<{ note?: string; unregister: () => void }> {
  const none = () => {};
  if (Object.keys(classes).length === 0) return { unregister: none };
  const runtime = (await import("@tsc-micro/runtime/client")) as Record<string, unknown>;
  const register = runtime.registerErrorClasses;
  if (typeof register !== "function") {
    return { note: "@tsc-micro/runtime/client exports no registerErrorClasses: program error classes cannot be rebuilt in the test process", unregister: none };
  }
  const unregister = (register as (c: Readonly<Record<string, ErrorClass>>) => unknown)(classes);
  return { unregister: typeof unregister === "function" ? (unregister as () => void) : none };
}

/**
 * Runs every call through the monolith and through the split build and
 * compares the outcomes. Each call goes to the split program first, then to
 * the monolith (each side keeps its own state: module-level state lives in
 * the service processes on one side, in this process on the other).
 */
export async function checkEquivalence(options: EquivalenceOptions): Promise<EquivalenceReport> {
  const classes = options.errorClasses ?? {};
  const { note, unregister } = await registerProgramErrors(classes);
  let program: SplitRun;
  try {
    program = options.program ?? (await startProgram(options.fixture, options.build ?? {}, options.label));
  } catch (e) {
    unregister();
    throw e;
  }
  const results: CallResult[] = [];
  const crashed: EquivalenceReport["crashed"] = [];
  try {
    const local = await monolithFns(program.result);
    for (const item of normalise(options.calls)) {
      const split = await outcomeOf(() => item.run(program.fns, "split"), classes);
      const monolith = await outcomeOf(() => item.run(local, "monolith"), classes);
      const result: CallResult = { label: item.label, monolith, split };
      try {
        assert.deepStrictEqual(split, monolith);
      } catch {
        result.diff = `  ${item.label}\n    expected: ${describeOutcome(monolith)} (monolith)\n    actual:   ${describeOutcome(split)} (built services)`;
      }
      results.push(result);
      for (const c of await program.revive()) {
        crashed.push({ after: item.label, name: c.name, code: c.code ?? c.signal, output: c.output });
      }
    }
  } finally {
    unregister();
    if (!options.program) await program.stop();
  }
  const failures = results.filter((r) => r.diff);
  const report: EquivalenceReport = { label: options.label, build: program.result, results, failures, crashed };
  if (options.assert ?? true) assertReport(report, note);
  return report;
}

/** Fails with every differing call (and every crashed service) listed. */
export function assertReport(report: EquivalenceReport, note?: string): void {
  const lines: string[] = [];
  if (report.failures.length > 0) {
    lines.push(`${report.label}: ${report.failures.length} of ${report.results.length} calls differ from the monolith:`, ...report.failures.map((f) => f.diff!));
  }
  for (const c of report.crashed) lines.push(`${report.label}: service ${c.name} died (exit ${c.code}) during ${c.after}:\n${indent(lastLines(c.output, 25), "    ")}`);
  if (lines.length > 0 && note) lines.push(`note: ${note}`);
  assert.equal(lines.length, 0, lines.join("\n"));
}

/** The three ways to build one program, for {@link checkBuildWays}. */
export type BuildWays = Readonly<Record<string, Partial<BuildOptions>>>;

/**
 * The same calls through several builds of one fixture (split, colocated,
 * monolith mode…): every build must agree with the monolith, hence with each
 * other. Returns the reports by way without asserting.
 */
export async function runBuildWays(options: Omit<EquivalenceOptions, "build" | "program" | "assert"> & { ways: BuildWays }): Promise<Record<string, EquivalenceReport>> {
  const reports: Record<string, EquivalenceReport> = {};
  for (const [way, buildOptions] of Object.entries(options.ways)) {
    reports[way] = await checkEquivalence({ ...options, label: `${options.label}-${way}`, build: buildOptions, assert: false });
  }
  return reports;
}

/** Asserts that the split outcomes of every way are the same, call by call. */
export function assertWaysAgree(reports: Readonly<Record<string, EquivalenceReport>>): void {
  const ways = Object.keys(reports);
  const lines: string[] = [];
  const first = reports[ways[0]!]!;
  for (const way of ways.slice(1)) {
    const other = reports[way]!;
    assert.equal(other.results.length, first.results.length);
    other.results.forEach((r, i) => {
      const f = first.results[i]!;
      try {
        assert.deepStrictEqual(r.split, f.split);
      } catch {
        lines.push(`  ${r.label}\n    ${ways[0]}: ${describeOutcome(f.split)}\n    ${way}: ${describeOutcome(r.split)}`);
      }
    });
  }
  assert.equal(lines.length, 0, `the builds disagree:\n${lines.join("\n")}`);
}

/**
 * A one-line rendering of an outcome for failure messages: the value, or
 * `Name: message` with the class, the `instanceof` checks that hold, the
 * enumerable fields and the cause chain.
 */
export function describeOutcome(o: Outcome): string {
  if ("value" in o) return `value ${show(o.value, 600)}`;
  if ("thrown" in o) return `threw non-Error ${show(o.thrown, 300)}`;
  const e = o.error;
  const holds = [...Object.entries(e.builtins), ...Object.entries(e.classes)].filter(([, v]) => v).map(([k]) => k);
  const parts = [`class ${e.constructorName}`, `instanceof ${holds.join("/") || "nothing"}`];
  if (Object.keys(e.fields).length > 0) parts.push(`fields ${show(e.fields, 300)}`);
  if (e.cause) parts.push(`cause ${describeOutcome(e.cause)}`);
  const message = e.message.length > 300 ? `${e.message.slice(0, 300)}…` : e.message;
  return `threw ${e.name}: ${JSON.stringify(message)} [${parts.join("; ")}]`;
}

function lastLines(text: string, n: number): string {
  return text.trimEnd().split("\n").slice(-n).join("\n");
}

function indent(text: string, prefix: string): string {
  return text.split("\n").map((l) => prefix + l).join("\n");
}
