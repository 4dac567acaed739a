// Building blocks of the test/equivalence-*.test.ts files. The split program
// behaves exactly like the monolith: every fixture is built, all its services
// run as processes on 127.0.0.1, and each call goes through the generated
// clients and through the fixture's own modules; values must be
// deepStrictEqual, errors must have the same name, message, class, enumerable
// fields and cause chain, and state changes (logs, counters) must happen in the
// same order and number.
import assert from "node:assert/strict";
import { test } from "node:test";
import { assertReport, assertWaysAgree, runBuildWays } from "./equivalence.ts";
import type { BuildWays, Call, EquivalenceReport, Fns, Scenario } from "./equivalence.ts";

/** A guard against a hung service blocking the run; not a timing assertion. */
export const GUARD = { timeout: 600_000 };

/** `fn(...args)` for every argument list. */
export function each(fn: string, argsList: readonly (readonly unknown[])[]): Call[] {
  return argsList.map((args) => ({ fn, args }));
}

/** One argument per call. */
export function each1(fn: string, values: readonly unknown[]): Call[] {
  return values.map((v) => ({ fn, args: [v] }));
}

/** Resets a log, runs `body`, and returns its value together with the log: order and count of the side effects. */
export function logged(label: string, reset: string, read: string, body: (f: Fns) => unknown): Scenario {
  return {
    label,
    run: async (f) => {
      await f[reset]!();
      let value: unknown;
      let error: unknown;
      try {
        value = await body(f);
      } catch (e) {
        error = e;
      }
      const log = await f[read]!();
      if (error !== undefined) return { threw: error instanceof Error ? `${error.name}: ${error.message}` : error, log };
      return { value, log };
    },
  };
}

/** Runs the same calls through several builds, one test per build, then checks they all agree. */
export function buildWays(fixture: string, calls: () => readonly (Call | Scenario)[], ways: BuildWays): void {
  const reports: Record<string, EquivalenceReport> = {};
  for (const [way, buildOptions] of Object.entries(ways)) {
    test(`${way} build`, GUARD, async () => {
      const [report] = Object.values(await runBuildWays({ fixture, calls: calls(), label: `eq-${fixture}`, ways: { [way]: buildOptions } }));
      reports[way] = report!;
      assertReport(report!);
    });
  }
  test("the builds agree with each other", GUARD, () => {
    assert.deepEqual(Object.keys(reports).sort(), Object.keys(ways).sort(), "every build ran");
    assertWaysAgree(reports);
  });
}
