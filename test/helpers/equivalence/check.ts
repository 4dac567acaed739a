// The check itself: the same calls through the monolith (the fixture's own
// modules) and through the split build, outcome against outcome.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { BuildResult } from "../../../packages/tsc-micro/src/index.ts";
import { show } from "../parity.ts";
import { describeOutcome, outcomeOf } from "./outcomes.ts";
import { startProgram } from "./program.ts";
import type { SplitRun } from "./program.ts";
import type { Call, CallList, CallResult, EquivalenceOptions, EquivalenceReport, ErrorClass, Fns, Scenario } from "./types.ts";

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
// The comparison.

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

function lastLines(text: string, n: number): string {
  return text.trimEnd().split("\n").slice(-n).join("\n");
}

function indent(text: string, prefix: string): string {
  return text.split("\n").map((l) => prefix + l).join("\n");
}
