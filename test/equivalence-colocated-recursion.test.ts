// calls-colocated and calls-recursion: calls inside one service (colocated
// functions, self and mutual recursion) stay in its process and give the
// monolith's results; calls across services still go over the network.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { checkEquivalence, startProgram } from "./helpers/equivalence.ts";
import type { Call, Fns, Scenario } from "./helpers/equivalence.ts";
import { GUARD, buildWays, each, each1 } from "./helpers/equivalence-calls.ts";

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
