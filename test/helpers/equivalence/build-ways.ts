// One program built several ways (split, colocated, monolith mode…): each must
// agree with the monolith, hence with the others.
import assert from "node:assert/strict";
import type { BuildOptions } from "../../../packages/tsc-micro/src/index.ts";
import { checkEquivalence } from "./check.ts";
import { describeOutcome } from "./outcomes.ts";
import type { EquivalenceOptions, EquivalenceReport } from "./types.ts";

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
