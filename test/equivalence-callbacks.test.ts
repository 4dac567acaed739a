// calls-callbacks: remote calls inside array callbacks give the monolith's
// values in the monolith's call order; and the one documented wire difference
// (-0 arrives as -0: see numbers JSON cannot write).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { checkEquivalence } from "./helpers/equivalence.ts";
import type { Call, Scenario } from "./helpers/equivalence.ts";
import { GUARD, logged } from "./helpers/equivalence-calls.ts";

const LISTS: number[][] = [[], [1, 2, 3], [3, 1, 2, 6, 4], [5], [-1, 2, -3]];

function callbackCalls(): (Call | Scenario)[] {
  /** The value and the recorder's log: callbacks ran in the monolith's order, as many times. */
  const inOrder = (fn: string, args: unknown[]) => logged(`${fn}(${JSON.stringify(args).slice(1, -1)}) + log`, "resetLog", "readLog", (f) => f[fn]!(...args));
  const perList = (fn: string, lists: readonly unknown[] = LISTS) => lists.map((xs) => inOrder(fn, [xs]));
  return [
    ...perList("mapByValue"),
    // -1 * 0 is -0, which JSON writes as 0: a documented difference (README "Limits"),
    // pinned by its own test below rather than compared here.
    ...perList("mapByValueWithIndex", LISTS.filter((xs) => !xs.some((x) => x < 0))),
    ...perList("mapArrow"),
    ...perList("mapArrowWithIndex"),
    ...perList("mapBlockBody"),
    ...perList("filterArrow"),
    ...perList("filterByValue"),
    ...perList("forEachTotal"),
    ...perList("someGood", [...LISTS, [3, 6, 9], [3, 4, 6]]),
    ...perList("everyGood", [...LISTS, [1, 2, 4], [1, 3, 4]]),
    ...perList("findGood", [...LISTS, [3, 6, 9], [3, 6, 7, 8]]),
    ...perList("findGoodIndex", [...LISTS, [3, 6, 9], [3, 6, 7, 8]]),
    ...perList("flatMapPairs"),
    ...perList("flatMapMixed"),
    ...perList("reduceSum"),
    ...perList("reduceNoInit"),
    ...perList("reduceToObject"),
    ...perList("forOfLoop"),
    ...perList("nestedMaps", [[], [[]], [[1, 2], [3]], [[4], [], [5, 6]]]),
    ...perList("mapThenReduce"),
    ...perList("viaHelper"),
    ...perList("mapUntilThrow", [[], [1, 2], [1, -2, 3], [-1]]),
    ...perList("mapUsesArray"),
    ...perList("mapWithThisArg"),
    // Promise.all over async callbacks: concurrent by design, so only the
    // results and the multiset of calls are compared, not their order.
    ...LISTS.map(
      (xs): Scenario => ({
        label: `fanOut(${JSON.stringify(xs)}) + sorted log`,
        run: async (f) => {
          await f.resetLog!();
          const value = await f.fanOut!(xs);
          const log = ((await f.readLog!()) as string[]).slice().sort();
          return { value, log };
        },
      }),
    ),
    ...LISTS.map(
      (xs): Scenario => ({
        label: `fanOutTotal(${JSON.stringify(xs)}) + sorted log`,
        run: async (f) => {
          await f.resetLog!();
          const value = await f.fanOutTotal!(xs);
          const log = ((await f.readLog!()) as string[]).slice().sort();
          return { value, log };
        },
      }),
    ),
    // Last: while the chained map is not awaited its calls finish after the
    // call returned, and would land in the next scenario's log.
    ...perList("filterThenMap"),
  ];
}

describe("calls-callbacks", () => {
  test("array callbacks give the monolith's values, in the monolith's call order", GUARD, async () => {
    await checkEquivalence({ fixture: "calls-callbacks", calls: callbackCalls(), label: "eq-calls-callbacks" });
  });
});

describe("numbers JSON cannot write", () => {
  test("-0 in an array result arrives as -0 (it used to arrive as 0)", GUARD, async () => {
    await checkEquivalence({
      fixture: "calls-callbacks",
      label: "eq-negative-zero",
      calls: [{ fn: "mapByValueWithIndex", args: [[-1, 2, -3]] }],
    });
  });
});
