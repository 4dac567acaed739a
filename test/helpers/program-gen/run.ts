// One run of the property: sample the programs (fixed seed), build them all,
// run every check over all the builds at once, then the split-against-
// monolith check on a subset. Returns every problem found; the test
// reports them by class (and shrinks one program per class: shrink.ts).
import { rmSync } from "node:fs";
import fc from "fast-check";
import { tempDir } from "../openapi-tools.ts";
import { buildOne, buildProblems, dtsProblems, generatorProblems, openapiProblems, succeeded, syntaxProblems } from "./checks.ts";
import type { Built } from "./checks.ts";
import { equivalenceProblems } from "./equivalence-check.ts";
import type { Program } from "./model.ts";
import { checkNames, prepareNames } from "./names.ts";
import type { Position } from "./names.ts";
import type { Problem } from "./problems.ts";
import { realize } from "./realize.ts";
import type { Avoid } from "./realize.ts";
import { programSpec } from "./spec.ts";
import type { ProgramSpec } from "./spec.ts";

export interface RunOptions {
  runs: number;
  seed: number;
  /** How many programs also run split against monolith. */
  e2e: number;
  /** Builds at a time. */
  concurrency: number;
  /** Only these program indexes (a replay). */
  only?: readonly number[];
  /** Names to steer around (see realize.ts). */
  avoid?: Avoid;
}

export interface RunResult {
  root: string;
  specs: ProgramSpec[];
  builds: Built[];
  problems: Problem[];
  /** Programs that ran split against monolith. */
  e2e: number[];
  /** Programs that could have: built, and their emitted code parses. */
  e2eCandidates: number;
  /** Milliseconds per phase. */
  timings: Record<string, number>;
}

/** Every name a spec asks for, in every position: one batch for the legality check. */
function namesIn(specs: readonly ProgramSpec[]): [string, Position][] {
  const out: [string, Position][] = [];
  const add = (n: string | undefined, p: Position) => n !== undefined && out.push([n, p]);
  for (const s of specs) {
    s.types.forEach((t) => {
      add(t.name, "type");
      if (t.kind === "enum") t.members.forEach((m) => add(m.name, "member"));
    });
    s.fns.forEach((f) => {
      add(f.name, "fn");
      f.params.forEach((p) => add(p.name, "param"));
    });
  }
  return out;
}

export function sampleSpecs(runs: number, seed: number): ProgramSpec[] {
  return fc.sample(programSpec, { seed, numRuns: runs });
}

export async function runPrograms(options: RunOptions): Promise<RunResult> {
  const timings: Record<string, number> = {};
  let t = Date.now();
  const lap = (name: string) => {
    timings[name] = Date.now() - t;
    t = Date.now();
  };
  await prepareNames();
  const specs = sampleSpecs(options.runs, options.seed);
  checkNames(namesIn(specs));
  const problems: Problem[] = [];
  const indexes = (options.only ?? specs.map((_, i) => i)).filter((i) => i < specs.length);
  const programs: { index: number; program: Program }[] = [];
  for (const index of indexes) {
    try {
      programs.push({ index, program: realize(specs[index]!, options.avoid) });
    } catch (e) {
      problems.push({ index, check: "generator", signature: `generator: realize threw ${(e as Error).message}`, detail: String((e as Error).stack) });
    }
  }
  lap("generate");

  const root = tempDir("property-programs");
  const builds: Built[] = [];
  for (let i = 0; i < programs.length; i += options.concurrency) {
    const batch = programs.slice(i, i + options.concurrency);
    builds.push(...(await Promise.all(batch.map((p) => buildOne(p.index, p.program, root)))));
  }
  lap("build");
  problems.push(...builds.flatMap(buildProblems));
  problems.push(...(await syntaxProblems(builds)));
  lap("syntax");
  problems.push(...dtsProblems(builds, root));
  lap("dts");
  problems.push(...(await openapiProblems(builds)));
  lap("openapi");
  problems.push(...generatorProblems(builds, root));
  lap("sources");

  // Split against monolith: programs whose services call each other first, then the others.
  const unusable = new Set(problems.filter((p) => p.check === "syntax" || p.check === "generator").map((p) => p.index));
  const candidates = builds.filter((b) => succeeded(b) && !unusable.has(b.index));
  const calling = (b: Built) => (b.result!.services.some((s) => s.dependencies.length > 0) ? 0 : 1);
  const e2e = [...candidates].sort((a, b) => calling(a) - calling(b) || a.index - b.index).slice(0, options.e2e);
  for (const b of e2e) problems.push(...(await equivalenceProblems(b, options.seed)));
  lap("e2e");
  return { root, specs, builds, problems, e2e: e2e.map((b) => b.index), e2eCandidates: candidates.length, timings };
}

/** Removes the run's folder, keeping the programs that have problems (their paths are in the report). */
export function cleanUp(run: RunResult, keepAll: boolean): void {
  if (keepAll) return;
  const failing = new Set(run.problems.map((p) => p.index));
  for (const b of run.builds) if (!failing.has(b.index)) rmSync(b.dir, { recursive: true, force: true });
  if (failing.size === 0) rmSync(run.root, { recursive: true, force: true });
}
