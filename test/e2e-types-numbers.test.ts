// Numbers JSON cannot write — NaN, Infinity, -Infinity, -0 — round-trip as
// arguments and results, nested anywhere, through the generated clients and
// between services; the wire form is documented and validated; development
// mode's result check accepts them.
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { checkEquivalence } from "./helpers/equivalence.ts";
import { GUARD, each, each1 } from "./helpers/equivalence-calls.ts";
import { post, startBundle } from "./helpers/services.ts";
import type { RunningProcess } from "./helpers/services.ts";
import { routeUrl } from "./helpers/parity.ts";
import { startSplit } from "./helpers/split.ts";
import type { SplitProgram } from "./helpers/split.ts";
import { FIXTURES } from "./helpers/paths.ts";

const SPECIAL = [NaN, Infinity, -Infinity, -0];
const ALL = [...SPECIAL, 0, 1, -2.5, 1e308, 5e-324];

describe("types-numbers", () => {
  test("special numbers answer as in the monolith, everywhere", GUARD, async () => {
    await checkEquivalence({
      fixture: "types-numbers",
      label: "eq-types-numbers",
      calls: [
        ...each(
          "ratio",
          ALL.flatMap((a) => [0, -0, 1, -1, Infinity].map((b) => [a, b])),
        ),
        ...each1("stats", [[], [1, 2], [NaN], [-0, 0], [Infinity, -Infinity], SPECIAL]),
        ...each1("same", [...ALL, "NaN", "Infinity", "-Infinity", "-0", "0", ""]),
        ...each1("describeValue", [...ALL, "NaN", "-0", null]),
        { fn: "scaleAll", args: [new Map([["a", 1], ["b", -0], ["c", NaN]]), -0] },
        { fn: "scaleAll", args: [new Map([["a", 1]]), Infinity] },
        ...each1("swap", [[NaN, -0], [Infinity], [-0, -Infinity]]),
        ...each("chain", [[0, 0], [1, 0], [-1, 0], [-0, 1], [Infinity, 2]]),
      ],
    });
  });

  describe("on the wire", () => {
    let split: SplitProgram;
    let dev: RunningProcess;
    before(async () => {
      split = await startSplit(path.join(FIXTURES, "types-numbers/tsconfig.json"), "types-numbers-wire");
      dev = await startBundle("ratio-dev", path.join(split.outDir, "services", "ratio"), { env: { NODE_ENV: "development" } });
    });
    after(async () => {
      await dev?.stop();
      await split?.stop();
    });

    test("the words are what curl sends and gets: a number position takes \"NaN\", \"Infinity\", \"-Infinity\", \"-0\"", async () => {
      assert.deepEqual(await post(routeUrl(split, "ratio"), { a: 0, b: 0 }), { status: 200, body: "NaN" });
      assert.deepEqual(await post(routeUrl(split, "ratio"), { a: "-Infinity", b: 2 }), { status: 200, body: "-Infinity" });
      assert.deepEqual(await post(routeUrl(split, "ratio"), { a: "-0", b: 1 }), { status: 200, body: "-0" });
      assert.deepEqual(await post(routeUrl(split, "stats"), { xs: [] }), { status: 200, body: { min: "Infinity", max: "-Infinity", mean: "NaN", samples: [] } });
    });

    test("in a union that admits strings the words are boxed, so a string stays a string", async () => {
      assert.deepEqual(await post(routeUrl(split, "same"), { x: "NaN" }), { status: 200, body: "NaN" });
      assert.deepEqual(await post(routeUrl(split, "same"), { x: { $number: "NaN" } }), { status: 200, body: { $number: "NaN" } });
      assert.deepEqual(await post(routeUrl(split, "describeValue"), { x: { $number: "-0" } }), { status: 200, body: "number -0" });
      assert.deepEqual(await post(routeUrl(split, "describeValue"), { x: "-0" }), { status: 200, body: "string -0" });
    });

    test("other strings at a number position are refused, naming the field", async () => {
      for (const bad of ["nan", "Inf", "0", "", "+0"]) {
        const res = await post(routeUrl(split, "ratio"), { a: bad, b: 1 });
        assert.equal(res.status, 400, `a: ${JSON.stringify(bad)}`);
        assert.ok(res.body.error.issues.some((i: { path: string }) => i.path === "a"), JSON.stringify(res.body));
      }
      const boxedWhereNotNeeded = await post(routeUrl(split, "ratio"), { a: { $number: "NaN" }, b: 1 });
      assert.equal(boxedWhereNotNeeded.status, 400);
    });

    test("development mode's result check accepts NaN, ±Infinity and -0", async () => {
      for (const [a, b, expected] of [[0, 0, "NaN"], [1, 0, "Infinity"], [-1, 0, "-Infinity"], ["-0", 1, "-0"], [3, 2, 1.5]] as const) {
        assert.deepEqual(await post(`${dev.url}/ratio`, { a, b }), { status: 200, body: expected });
      }
    });
  });
});
