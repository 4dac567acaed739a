// Shrinking a failure: fast-check replays the failing program (same seed,
// its run index as the path) and shrinks it while the same failure class
// shows, building and checking each candidate with only the check that
// failed. A deadline bounds the time: past it every candidate counts as
// passing, so fast-check stops at the smallest program found so far.
import { rmSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { buildOne, buildProblems, dtsProblems, generatorProblems, openapiProblems, succeeded, syntaxProblems } from "./checks.ts";
import { equivalenceProblems } from "./equivalence-check.ts";
import type { Program } from "./model.ts";
import type { Problem } from "./problems.ts";
import { realize } from "./realize.ts";
import type { Avoid } from "./realize.ts";
import { programSpec } from "./spec.ts";

export interface Shrunk {
  program: Program;
  detail: string;
  /** Smaller programs found that still fail the same way. */
  shrinks: number;
  /** False when the deadline stopped the shrinking. */
  complete: boolean;
}

/** The problems of one program for one check (the build's own verdict always included), built under `root` (removed after). */
async function problemsOf(program: Program, index: number, check: Problem["check"], seed: number, root: string): Promise<Problem[]> {
  try {
    const b = await buildOne(index, program, root);
    const found = buildProblems(b);
    if (check === "generator") found.push(...generatorProblems([b], root));
    if (!succeeded(b)) return found;
    if (check === "syntax") found.push(...(await syntaxProblems([b])));
    if (check === "dts") found.push(...dtsProblems([b], root));
    if (check === "openapi") found.push(...(await openapiProblems([b])));
    if (check === "equivalence") found.push(...(await equivalenceProblems(b, seed)));
    return found;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** Shrinks the program of `problem` (run `seed`) while its failure class shows, until `deadline` (ms since epoch). */
export async function shrink(problem: Problem, seed: number, root: string, deadline: number, avoid: Avoid = []): Promise<Shrunk | undefined> {
  let last: { program: Program; detail: string } | undefined;
  let attempt = 0;
  let stopped = false;
  const property = fc.asyncProperty(programSpec, async (spec) => {
    if (Date.now() > deadline) {
      stopped = true;
      return true;
    }
    let program: Program;
    try {
      program = realize(spec, avoid);
    } catch {
      return true;
    }
    const found = (await problemsOf(program, problem.index, problem.check, seed, path.join(root, `shrink-${attempt++}`))).find((p) => p.signature === problem.signature);
    if (!found) return true;
    last = { program, detail: found.detail };
    return false;
  });
  const details = await fc.check(property, { seed, path: String(problem.index), numRuns: 1 });
  if (!details.failed || !last) return undefined;
  return { ...(last as { program: Program; detail: string }), shrinks: details.numShrinks, complete: !stopped };
}
