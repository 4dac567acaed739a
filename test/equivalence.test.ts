// The split program behaves exactly like the monolith: every fixture below is
// built, all its services run as processes on 127.0.0.1, and each call goes
// through the generated clients and through the fixture's own modules; values
// must be deepStrictEqual, errors must have the same name, message, class,
// enumerable fields and cause chain, and state changes (logs, counters) must
// happen in the same order and number.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { build } from "../packages/tsc-micro/src/index.ts";
import { FIXTURES, tempOutDir } from "./helpers/paths.ts";
import { assertReport, assertWaysAgree, checkEquivalence, runBuildWays, startProgram } from "./helpers/equivalence.ts";
import type { BuildWays, Call, EquivalenceReport, Fns, Scenario } from "./helpers/equivalence.ts";
import * as programErrors from "../fixtures/calls-errors/src/errors.ts";

/** A guard against a hung service blocking the run; not a timing assertion. */
const GUARD = { timeout: 600_000 };

/** `fn(...args)` for every argument list. */
function each(fn: string, argsList: readonly (readonly unknown[])[]): Call[] {
  return argsList.map((args) => ({ fn, args }));
}

/** One argument per call. */
function each1(fn: string, values: readonly unknown[]): Call[] {
  return values.map((v) => ({ fn, args: [v] }));
}

/** Resets a log, runs `body`, and returns its value together with the log: order and count of the side effects. */
function logged(label: string, reset: string, read: string, body: (f: Fns) => unknown): Scenario {
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
function buildWays(fixture: string, calls: () => readonly (Call | Scenario)[], ways: BuildWays): void {
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

// ---------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------

const RECTS: number[][] = [
  [2, 3],
  [0, 5],
  [1.5, 4],
  [-2, 3],
];

function colocatedCalls(): (Call | Scenario)[] {
  /** Resets both counters, runs `body`, and returns its value with both counters. */
  const counted = (label: string, body: (f: Fns) => unknown): Scenario => ({
    label,
    run: async (f) => {
      await f.geoResetAreaCalls!();
      await f.resetCount!();
      const value = await body(f);
      return { value, areaCalls: await f.geoAreaCalls!(), count: await f.readCount!() };
    },
  });
  return [
    ...each("geoArea", RECTS),
    ...each("geoPerimeter", RECTS),
    ...each("geoDescribe", RECTS),
    ...[0, 1, 5].map((times) => counted(`geoAreaTimes(2, 3, ${times}) + counters`, (f) => f.geoAreaTimes!(2, 3, times))),
    counted("geoDescribe ×3 + counters", async (f) => [await f.geoDescribe!(1, 2), await f.geoDescribe!(3, 4), await f.geoDescribe!(5, 6)]),
    counted("geoCountedArea ×3 + counters", async (f) => [await f.geoCountedArea!(2, 3), await f.geoCountedArea!(4, 5), await f.geoCountedArea!(0, 1)]),
    counted("scaledArea ×2 + counters", async (f) => [await f.scaledArea!(1, 2, 3), await f.scaledArea!(2, 2, 0)]),
    counted("scaledReport + counters", (f) => f.scaledReport!(1, 2, [1, 2, 3])),
    counted("scaledReport([]) + counters", (f) => f.scaledReport!(1, 2, [])),
    counted("count ×3", async (f) => [await f.count!(), await f.count!(), await f.count!()]),
  ];
}

describe("calls-colocated", () => {
  buildWays("calls-colocated", colocatedCalls, {
    split: {},
    colocated: { colocate: [["geometry", "counter", "scaled-area"]] },
    monolith: { mode: "monolith" },
  });

  test("calls inside the geometry service stay in its process: they work with every other service stopped", GUARD, async () => {
    const program = await startProgram("calls-colocated", {}, "eq-colocated-alone");
    try {
      const plan = program.result.plan!;
      const geometry = plan.services.find((s) => s.name === "geometry");
      assert.ok(geometry, "a geometry service");
      assert.deepEqual(geometry.routes.map((r) => r.name), ["geoArea", "geoAreaCalls", "geoAreaTimes", "geoCountedArea", "geoDescribe", "geoPerimeter", "geoResetAreaCalls"]);
      assert.deepEqual(geometry.dependencies, ["counter"], "geometry calls only the counter over the network");
      const geometryClients = geometry.rewrites.flatMap((r) => r.imports).filter((i) => i.service === "geometry");
      assert.deepEqual(geometryClients, [], "the geometry bundle imports no client of its own service");

      for (const [name, p] of Object.entries(program.processes)) if (name !== "geometry") await p.stop();
      const f = program.fns;
      await f.geoResetAreaCalls!();
      assert.equal(await f.geoAreaTimes!(2, 3, 5), 30);
      assert.equal(await f.geoAreaCalls!(), 5, "five local calls of geoArea, counted in the geometry process");
      assert.equal(await f.geoDescribe!(2, 3), "2x3: area 6, perimeter 10");
      assert.equal(await f.geoAreaCalls!(), 6);
      // The control: a call that does cross to the (stopped) counter service fails.
      await assert.rejects(() => f.geoCountedArea!(2, 3) as Promise<unknown>, /service "counter" is unavailable/);
      assert.equal(program.processes.geometry!.child.exitCode, null, "geometry still runs");
    } finally {
      await program.stop();
    }
  });
});

// ---------------------------------------------------------------------------

describe("calls-recursion", () => {
  test("self, colocated mutual and cross-service mutual recursion give the monolith's results", GUARD, async () => {
    await checkEquivalence({
      fixture: "calls-recursion",
      label: "eq-calls-recursion",
      calls: [
        ...each1("recFactorial", [0, 1, 5, 20, 170, -1, 2.5]),
        ...each1("recSumTo", [0, 10, 2000]),
        ...each1("recSumSquares", [-3, 0, 1, 10]),
        ...each1("recTree", [0, 3, 10]),
        ...each1("recIsEven", [0, 1, 7, 10, -3, 1000]),
        ...each1("recIsOdd", [0, 1, 7, 10, -3, 1000]),
        ...each1("recPing", [0, 1, 5]),
        ...each1("recPong", [0, 1, 6]),
      ],
    });
  });

  test("a function calling itself, and functions of one service calling each other, make no network calls", GUARD, async () => {
    const program = await startProgram("calls-recursion", {}, "eq-recursion-plan");
    try {
      const deps = Object.fromEntries(program.result.plan!.services.map((s) => [s.name, s.dependencies]));
      assert.deepEqual(deps, {
        "rec-factorial": [],
        "rec-parity": [],
        "rec-ping": ["rec-pong"],
        "rec-pong": ["rec-ping"],
        "rec-square": [],
        "rec-sum-squares": ["rec-square"],
        "rec-sum-to": [],
        "rec-tree": [],
      });
      // Every other service stopped: the local recursion still answers.
      for (const [name, p] of Object.entries(program.processes)) if (!["rec-factorial", "rec-parity", "rec-tree"].includes(name)) await p.stop();
      assert.equal(await program.fns.recFactorial!(10), 3628800);
      assert.equal(await program.fns.recIsEven!(101), false);
      assert.equal(await program.fns.recTree!(4), 31);
    } finally {
      await program.stop();
    }
  });
});

// ---------------------------------------------------------------------------

const ERROR_KINDS = ["none", "validation", "quiet", "proto", "syntax", "type", "reference", "uri", "aggregate", "cause-chain", "cause-value", "custom-field", "string"];
const IDS = [5, 0, -7, 2.5, 5000];

describe("calls-errors", () => {
  test("errors cross the wire with their class, fields and causes, and callers' catch branches behave as in the monolith", GUARD, async () => {
    await checkEquivalence({
      fixture: "calls-errors",
      label: "eq-calls-errors",
      // The test receives the services' errors through dist/clients: it
      // registers the program's classes, imported from the fixture's source.
      errorClasses: { ...programErrors },
      calls: [
        // thrown by a service, received by the test
        ...each1("errFind", IDS),
        ...each1("errAsyncFind", IDS),
        ...each1("errThrow", ERROR_KINDS),
        // caught inside another service
        ...each1("errLookup", IDS),
        ...each1("errDescribe", IDS),
        ...each1("errDescribeKind", ERROR_KINDS),
        ...each1("errAsyncLookup", IDS.slice(0, 4)),
        ...each1("errFindEach", [[1, 0, -4, 2.5, 2000, 9], []]),
        // passed on, or wrapped, by another service: two hops
        ...each1("errWrap", IDS),
        ...each1("errPassThrough", ERROR_KINDS),
        ...each1("errFindAll", [[1, 2], [1, 0, -1], [], [3, 2.5]]),
      ],
    });
  });
});

// ---------------------------------------------------------------------------

describe("calls-edge", () => {
  test("remote calls in a then() callback and an optional-chained map build and answer as in the monolith (a default parameter is a diagnostic: see diag-calls)", GUARD, async () => {
    await checkEquivalence({
      fixture: "calls-edge",
      label: "eq-calls-edge",
      calls: [
        ...each1("edgeThenCallback", [0, 4]),
        ...each1("edgeOptionalMap", [null, [], [1, 2, 3]]),
      ],
    });
  });
});

// ---------------------------------------------------------------------------

/** A remote call where `await` cannot go: `at` is the text whose first character the diagnostic points at. */
interface ExpectedDiagnostic {
  context: string;
  /** Unique text in src/contexts.ts; `mark` (default the whole text) is the part the location points at. */
  at: string;
  mark?: string;
  code: "TSM3001" | "TSM3002";
  /** Words the message must contain to say what the context is. */
  says: RegExp;
}

const DIAG_CALLS: ExpectedDiagnostic[] = [
  { context: "constructor", at: "this.value = diagScore(x)", mark: "diagScore(x)", code: "TSM3001", says: /constructor/ },
  { context: "getter", at: "return diagScore(this.x)", mark: "diagScore(this.x)", code: "TSM3001", says: /getter/ },
  { context: "setter", at: "this.stored = diagScore(x)", mark: "diagScore(x)", code: "TSM3001", says: /setter/ },
  { context: "class field initializer", at: "base = diagScore(1)", mark: "diagScore(1)", code: "TSM3001", says: /field/ },
  { context: "setTimeout callback", at: "last = diagScore(x)", mark: "diagScore(x)", code: "TSM3001", says: /setTimeout/ },
  { context: "new Promise executor", at: "resolve(diagScore(x))", mark: "diagScore(x)", code: "TSM3001", says: /Promise/ },
  { context: "callback passed to register()", at: "register((y) => diagScore(y))", mark: "diagScore(y)", code: "TSM3001", says: /register/ },
  { context: "sort comparator", at: "diagCompare(a, b)", code: "TSM3001", says: /sort/ },
  { context: "service function stored in a variable", at: "const f = diagScore", mark: "diagScore", code: "TSM3002", says: /value/ },
  { context: "service function passed to a non-array function", at: "apply(diagScore, x)", mark: "diagScore", code: "TSM3002", says: /value/ },
  { context: "generator", at: "yield diagScore(x)", mark: "diagScore(x)", code: "TSM3001", says: /generator/ },
  { context: "Array.from callback", at: "Array.from(xs, (x) => diagScore(x))", mark: "diagScore(x)", code: "TSM3001", says: /Array\.from/ },
  { context: "Set#forEach callback", at: "total += diagScore(x)", mark: "diagScore(x)", code: "TSM3001", says: /forEach/ },
  { context: "parameter default value", at: "b: number = diagScore(a)", mark: "diagScore(a)", code: "TSM3001", says: /default value/ },
  { context: "closure returned as a value", at: "(x) => diagScore(x) * k", mark: "diagScore(x)", code: "TSM3001", says: /passed on as a value/ },
];

describe("diag-calls", () => {
  test("every remote call where await cannot go is reported, with its location and a fix, and nothing else is", GUARD, async () => {
    const file = "src/contexts.ts";
    const text = readFileSync(path.join(FIXTURES, "diag-calls", file), "utf8");
    const locate = (at: string, mark: string): { line: number; column: number } => {
      const start = text.indexOf(at);
      assert.ok(start >= 0 && text.indexOf(at, start + 1) < 0, `'${at}' occurs once in ${file}`);
      const offset = start + at.indexOf(mark);
      const before = text.slice(0, offset).split("\n");
      return { line: before.length, column: before[before.length - 1]!.length + 1 };
    };
    const outDir = tempOutDir("eq-diag-calls");
    const result = await build({ project: path.join(FIXTURES, "diag-calls/tsconfig.json"), outDir });
    assert.equal(result.success, false, "the build must fail");
    const found = result.diagnostics.map((d) => ({ ...d, tsm: `TSM${d.code}` }));
    const problems: string[] = [];
    const matched = new Set<object>();
    for (const e of DIAG_CALLS) {
      const { line, column } = locate(e.at, e.mark ?? e.at);
      const d = found.find((x) => x.file === file && x.line === line && x.column === column);
      if (!d) {
        problems.push(`  missing: ${e.context} at ${file}(${line},${column}) — expected ${e.code}`);
        continue;
      }
      matched.add(d);
      if (d.tsm !== e.code) problems.push(`  ${e.context} at (${line},${column}): ${d.tsm} instead of ${e.code}: ${d.message}`);
      if (!e.says.test(d.message)) problems.push(`  ${e.context} at (${line},${column}): the message does not say ${e.says}: ${d.message}`);
      if (!d.hint || d.hint.trim().length === 0) problems.push(`  ${e.context} at (${line},${column}): no hint (fix)`);
    }
    for (const d of found) if (!matched.has(d)) problems.push(`  unexpected: ${d.file}(${d.line},${d.column}) ${d.tsm}: ${d.message}`);
    assert.equal(problems.length, 0, `diag-calls: ${problems.length} problem(s):\n${problems.join("\n")}`);
  });
});

describe("known wire differences", () => {
  test("-0 arrives as 0, as JSON has it (documented)", GUARD, async () => {
    const report = await checkEquivalence({
      fixture: "calls-callbacks",
      label: "eq-negative-zero",
      calls: [{ fn: "mapByValueWithIndex", args: [[-1, 2, -3]] }],
      assert: false,
    });
    assert.equal(report.failures.length, 1);
    const { monolith, split } = report.failures[0]!;
    assert.ok(Object.is((monolith as { value: number[] }).value[0], -0), "the monolith returns -0");
    assert.ok(Object.is((split as { value: number[] }).value[0], 0), "the split program returns 0");
    assert.deepEqual((split as { value: number[] }).value.slice(1), [2, -6], "everything else is equal");
  });
});
