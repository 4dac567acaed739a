// Test it like a compiler: fast-check generates small tagged TypeScript
// programs (1–4 files, 1–5 tagged functions in every form the tag accepts,
// calls down chains across files and services, enums, interfaces, aliases,
// discriminated unions, tuples, Date, bigint, literal unions, optional
// properties and parameters; names with `$`, `_`, non-ASCII letters, names of
// runtime exports, generated code and JavaScript globals; strings and docs
// with quotes, backticks, `${`, `*/`, line separators, backslashes, emoji),
// and the whole build must hold on each: it succeeds (or refuses a
// deliberate defect, or a key every service refuses, with its diagnostic;
// it never throws), every emitted .js and .mjs parses, every .d.ts
// type-checks, every OpenAPI document is valid, and, for a subset, the split
// answers as the monolith for random arguments.
//
// A failure is reported by class (the message with the program's own names
// taken out) with the smallest program fast-check shrank it to in the time
// allowed. Knobs: PROGRAMS_RUNS (100), PROGRAMS_SEED, PROGRAMS_E2E (programs
// run split against monolith, 20), PROGRAMS_CONCURRENCY (builds at a time, 2),
// PROGRAMS_SHRINK_SECONDS (20, for all classes), PROGRAMS_ONLY (indexes to
// replay, `3,17`), PROGRAMS_KEEP=1 (keep every program's folder),
// PROGRAMS_AVOID (steer around a known failure while it is fixed, as
// `position:rule`, e.g. `fn:non-ascii,type:$`; see realize.ts).
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import type { Check, Problem } from "./helpers/program-gen/problems.ts";
import { cleanUp, runPrograms } from "./helpers/program-gen/run.ts";
import type { RunResult } from "./helpers/program-gen/run.ts";
import { shrink } from "./helpers/program-gen/shrink.ts";
import { programText } from "./helpers/program-gen/write.ts";
import { REPO } from "./helpers/paths.ts";

const env = process.env;
const RUNS = Number(env.PROGRAMS_RUNS ?? 100);
const SEED = Number(env.PROGRAMS_SEED ?? 8_2024);
const E2E = Number(env.PROGRAMS_E2E ?? 20);
const CONCURRENCY = Number(env.PROGRAMS_CONCURRENCY ?? 2);
const SHRINK_MS = Number(env.PROGRAMS_SHRINK_SECONDS ?? 20) * 1000;
const ONLY = env.PROGRAMS_ONLY ? env.PROGRAMS_ONLY.split(",").map(Number) : undefined;
const AVOID = env.PROGRAMS_AVOID ? env.PROGRAMS_AVOID.split(",") : [];
/** A guard against a hung build or service, not a timing assertion. */
const GUARD = { timeout: 1_800_000 };
/** Failure classes shown with a (shrunk) program; the others are listed with their replay. */
const SHOWN_CLASSES = 8;

let shrinkBudgetEnd: number | undefined;

/** The failures of one check, by class, each with the smallest program found that fails that way. */
async function report(run: RunResult, check: Check): Promise<string | undefined> {
  const found = run.problems.filter((p) => p.check === check);
  if (found.length === 0) return undefined;
  const classes = new Map<string, Problem[]>();
  for (const p of found) classes.set(p.signature, [...(classes.get(p.signature) ?? []), p]);
  shrinkBudgetEnd ??= Date.now() + SHRINK_MS;
  const parts: string[] = [`${classes.size} failure class(es), ${found.length} failure(s), seed ${SEED}:`];
  let shown = 0;
  for (const [signature, problems] of classes) {
    const first = problems[0]!;
    const programs = [...new Set(problems.map((p) => p.index))];
    parts.push(`\n■ ${signature}\n  in ${programs.length} program(s): #${programs.slice(0, 12).join(", #")} (replay: PROGRAMS_SEED=${SEED} PROGRAMS_ONLY=${first.index}${AVOID.length ? ` PROGRAMS_AVOID=${AVOID.join(",")}` : ""})`);
    if (shown++ >= SHOWN_CLASSES) continue;
    const shrunk = Date.now() < shrinkBudgetEnd ? await shrink(first, SEED, path.join(run.root, "shrink"), shrinkBudgetEnd, AVOID) : undefined;
    if (shrunk) {
      parts.push(`  ${shrunk.detail.split("\n").join("\n  ")}`, `  smallest program (${shrunk.shrinks} shrink(s)${shrunk.complete ? "" : ", stopped by PROGRAMS_SHRINK_SECONDS"}):`, indent(programText(shrunk.program)));
    } else {
      const b = run.builds.find((x) => x.index === first.index);
      parts.push(`  ${first.detail.split("\n").join("\n  ")}`, `  program (not shrunk)${b ? ` in ${path.relative(REPO, b.dir)}` : ""}:`, b ? indent(programText(b.program)) : "");
    }
  }
  return parts.join("\n");
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((l) => `    ${l}`)
    .join("\n");
}

describe(`generated programs (${RUNS} runs, seed ${SEED})`, () => {
  let run: RunResult | undefined;
  before(async () => {
    run = await runPrograms({ runs: RUNS, seed: SEED, e2e: E2E, concurrency: CONCURRENCY, avoid: AVOID, ...(ONLY ? { only: ONLY } : {}) });
  }, GUARD);
  after(() => {
    if (run) cleanUp(run, env.PROGRAMS_KEEP === "1");
  });

  const checked = (): RunResult => {
    assert.ok(run, "the programs were not generated and built");
    return run;
  };

  test("the run: every program generated and built, the subset ran split against monolith", (t) => {
    const r = checked();
    t.diagnostic(`phases (ms): ${JSON.stringify(r.timings)}`);
    t.diagnostic(`built ${r.builds.length}, succeeded ${r.builds.filter((b) => b.result?.success).length}, ${r.builds.filter((b) => b.program.refusals.length > 0).length} of them to be refused; split against monolith: #${r.e2e.join(", #")}`);
    assert.equal(r.builds.length, ONLY ? ONLY.length : RUNS);
    assert.equal(r.e2e.length, Math.min(E2E, r.e2eCandidates));
  });

  const checks: [Check, string][] = [
    ["generator", "the generator writes programs that type-check (else the generator is wrong, not the tool)"],
    ["build", "every program builds, or is refused for what it must be refused for (with that diagnostic); build() never throws"],
    ["syntax", "every emitted .js and .mjs parses as an ES module (node --check)"],
    ["dts", "every emitted .d.ts type-checks (strict, NodeNext, no skipLibCheck)"],
    ["openapi", "every OpenAPI document is valid OpenAPI 3.1"],
    ["equivalence", "the split answers as the monolith (random arguments, services as processes)"],
  ];
  for (const [check, title] of checks) {
    test(title, GUARD, async () => {
      const text = await report(checked(), check);
      if (text !== undefined) assert.fail(text);
    });
  }
});
