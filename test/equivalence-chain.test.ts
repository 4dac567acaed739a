// calls-chain: calls through chains of services, helpers, methods and closures,
// in every expression position, built three ways (split, colocated, monolith
// mode); each build gives the monolith's values and side-effect order.
import { describe } from "node:test";
import type { Call, Scenario } from "./helpers/equivalence.ts";
import { buildWays, each, each1, logged } from "./helpers/equivalence-calls.ts";

const NUMBERS = [-3, -0, 0, 1, 2.5, 7, 1_000_000];
const PAIRS: number[][] = [
  [-2, 3],
  [0, 0],
  [3, -2],
  [2, 2],
  [1.5, 4],
];

function chainCalls(): (Call | Scenario)[] {
  const probeScenario = (fn: string, args: unknown[]) => logged(`${fn}(${args.join(", ")}) + probe log`, "probeReset", "probeLog", (f) => f[fn]!(...args));
  return [
    // A → B → C
    ...each1("chainC", NUMBERS),
    ...each1("chainB", NUMBERS),
    ...each1("chainA", NUMBERS),
    ...each1("chainAll", NUMBERS),
    // through untagged helpers, methods, closures
    ...each1("viaHelpers", [-2, 0, 3]),
    ...each1("viaFunctionExpr", [-2, 0, 3]),
    ...each1("viaMethod", [[], [1, 2, 3], [-1]]),
    ...each1("viaStaticMethod", [-2, 0, 3]),
    ...each1("viaClosure", [-2, 0, 3]),
    ...each1("viaNestedFunction", [-2, 0, 3]),
    ...each1("viaObjectMethod", [-2, 0, 3]),
    ...each1("viaAsyncCaller", [-2, 0, 3]),
    // precedence and expression positions
    ...each1("notPositive", [-1, 0, 1]),
    ...each1("notNotPositive", [-1, 0, 1]),
    ...each("timesSquare", PAIRS),
    ...each("arithmetic", PAIRS),
    ...each1("pointY", [-1, 0, 4]),
    ...each1("pointSum", [-1, 0, 4]),
    ...each1("textLengths", [-10, 0, 5, 123456]),
    ...each("template", PAIRS),
    ...each("bothPositive", PAIRS),
    ...each1("orDefault", [0, 5, -5]),
    ...each("choose", [
      [true, 3, 4],
      [false, 3, 4],
    ]),
    ...each("nestedArgs", PAIRS),
    ...each1("typeofResult", [0, 2]),
    ...each1("optionalChain", [-1, 0, 12]),
    ...each("castAndCompare", PAIRS),
    ...each1("inCondition", [-4, 0, 4]),
    ...each1("switchOn", [1, 2, 3]),
    ...each1("forCondition", [0, 2, 3]),
    ...each1("destructure", [0, 3]),
    ...each("spreadArgs", PAIRS),
    ...each1("literals", [0, 3]),
    ...each1("newWithRemoteArg", [1, 5]),
    ...each1("assignments", [0, 4]),
    ...each1("asyncNoAwait", [-2, 0, 3]),
    ...each1("asyncAwaited", [-2, 0, 3]),
    ...each1("syncCallsAsyncHelper", [-2, 0, 3]),
    ...each1("asyncPromiseValue", [-2, 0, 3]),
    ...each1("sideEffectOrder", [-2, 0, 3]),
    ...each1("immediatelyInvoked", [-2, 0, 3]),
    ...each1("callsDefaultExport", [-3, 0, 5]),
    ...each1("arrowService", [-2, 0, 3]),
    ...each1("callsArrowService", [-2, 0, 3]),
    ...each1("throwsRemoteMessage", [-2, 0, 3]),
    // module top level, a barrel module, an escaping closure
    { fn: "topLevelValues", args: [] },
    { fn: "ticketsIssued", args: [], label: "ticketsIssued() — the 3 top-level calls of toplevel.ts reached the ticket service" },
    // evaluation order, short-circuits and counts, seen in the probe's log
    ...[-2, 0, 3].map((a) => probeScenario("callsThroughBarrel", [a])),
    ...[-2, 0, 3].map((a) => probeScenario("callsAliasedImport", [a])),
    ...[-2, 0, 3].map((a) => probeScenario("tryFinallyOrder", [a])),
    ...PAIRS.map(([a, b]) => probeScenario("andOrder", [a, b])),
    ...PAIRS.map(([a, b]) => probeScenario("orOrder", [a, b])),
    ...[0, 5].map((a) => probeScenario("nullishOrder", [a])),
    ...[true, false].map((c) => probeScenario("chooseOrder", [c, 1, 2])),
    ...PAIRS.map(([a, b]) => probeScenario("argsOrder", [a, b])),
    ...[0, 1, 4].map((n) => probeScenario("whileCondition", [n])),
    ...[0, 3].map((a) => probeScenario("compound", [a])),
    ...[0, 3].map((a) => probeScenario("commaAndVoid", [a])),
  ];
}

describe("calls-chain", () => {
  buildWays("calls-chain", chainCalls, {
    split: {},
    // Callers and callees in different groups: calls between groups stay network calls.
    colocated: { colocate: [["chain-a", "chain-b", "chain-c"], ["probe", "square", "plus", "label"], ["chain-cases", "chain-more", "chain-propagate"]] },
    monolith: { mode: "monolith" },
  });
});
