// The fixtures that build, run split: each service a process, called through the
// generated clients, compared with the monolith (the fixture imported directly).
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import * as propagation from "../fixtures/propagation/src/compose.ts";
import * as propagationDouble from "../fixtures/propagation/src/double.ts";
import * as shapes from "../fixtures/types-basic/src/shapes.ts";
import * as transforms from "../fixtures/types-basic/src/transforms.ts";
import { FIXTURES } from "./helpers/paths.ts";
import { post } from "./helpers/services.ts";
import { outcome, startSplit } from "./helpers/split.ts";
import type { SplitProgram } from "./helpers/split.ts";

describe("fixtures/types-basic over the wire", () => {
  let split: SplitProgram;
  before(async () => (split = await startSplit(path.join(FIXTURES, "types-basic/tsconfig.json"), "e2e-types")));
  after(() => split?.stop());

  const same = async (name: string, local: (...a: any[]) => unknown, args: unknown[]) => {
    assert.deepEqual(await outcome(() => split.clients[name](...args)), await outcome(() => local(...args)), `${name}(${JSON.stringify(args)})`);
  };

  test("objects, interfaces, optional properties, nested and recursive named types", async () => {
    const leaf = { id: "a", color: "red", points: [], closed: false, note: null };
    const full = {
      id: "ü-名前-🙂",
      color: "blue",
      points: [{ x: 1, y: -2.5, label: "start" }, { x: 1e300, y: 0 }],
      closed: true,
      note: "",
      parent: { ...leaf, parent: { ...leaf, id: "root" } },
    };
    for (const shape of [leaf, full]) await same("echoShape", shapes.echoShape, [shape]);
  });

  test("primitives, literals, unions of literals, arrays and nested arrays", async () => {
    await same("describe", shapes.describe, ["n", 0, true, null, 1, "fast", [], []]);
    await same("describe", shapes.describe, ["ünï", -1.5, false, null, 3, "slow", ["a", "b"], [[1, 2], [], [3]]]);
    await same("maybeColor", shapes.maybeColor, ["green"]);
    await same("maybeColor", shapes.maybeColor, ["purple"]);
    await same("maybeColor", shapes.maybeColor, []);
    await same("area", shapes.area, [{ w: 2, h: 3 }]);
    await same("area", shapes.area, [{ w: 2, h: 3, unit: "m" }]);
  });

  test("Promise results, const arrow and function-expression services, readonly arrays", async () => {
    await same("centroid", shapes.centroid, [[{ x: 0, y: 0 }, { x: 2, y: 4 }]]);
    await same("centroid", shapes.centroid, [[]]);
    await same("scale", transforms.scale, [{ x: 1, y: 2 }, 3]);
    await same("negate", transforms.negate, [{ x: 1, y: -2 }]);
    await same("flags", transforms.flags, [[true, false]]);
    await same("flags", transforms.flags, [[]]);
  });

  test("a void function answers 204 and the client resolves undefined", async () => {
    const res = await fetch(`${split.processes.record!.url}/record`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ entry: "x" }) });
    assert.equal(res.status, 204);
    assert.equal(await res.text(), "");
    assert.equal(await split.clients.record("y"), undefined);
  });

  test("the schemas are enforced at the door: literal unions, nested fields, recursion", async () => {
    const url = `${split.processes["echo-shape"]!.url}/echoShape`;
    const bad = await post(url, { shape: { id: "a", color: "pink", points: [{ x: "1", y: 2 }], closed: false, note: null, extra: 1 } });
    assert.equal(bad.status, 400);
    const paths = bad.body.error.issues.map((i: { path: string }) => i.path).sort();
    assert.deepEqual(paths, ["shape.color", "shape.extra", "shape.points[0].x"]);
    const deep = await post(url, { shape: { id: "a", color: "red", points: [], closed: false, note: null, parent: { id: 1 } } });
    assert.equal(deep.status, 400);
    assert.ok(deep.body.error.issues.some((i: { path: string }) => i.path === "shape.parent.id"));
    const level = await post(`${split.processes.describe!.url}/describe`, { name: "n", count: 0, flag: true, nothing: null, level: 4, mode: "fast", tags: [], matrix: [] });
    assert.equal(level.status, 400);
    assert.equal(level.body.error.issues[0].path, "level");
  });
});

describe("fixtures/propagation: sync service calls through untagged helpers", () => {
  let split: SplitProgram;
  before(async () => (split = await startSplit(path.join(FIXTURES, "propagation/tsconfig.json"), "e2e-propagation")));
  after(() => split?.stop());

  test("the plan: every other service depends on double (and round-trip on half)", () => {
    const deps = Object.fromEntries(split.result.services.map((s) => [s.name, s.dependencies]));
    assert.deepEqual(deps, {
      "describe-double": ["double"],
      double: [],
      half: [],
      octuple: ["double"],
      "round-trip": ["double", "half"],
      "sum-doubles": ["double"],
    });
  });

  test("results equal the monolith's", async () => {
    for (const x of [0, 1, 3, -4, 2.5]) {
      assert.deepEqual(await split.clients.octuple(x), propagation.octuple(x), `octuple(${x})`);
      assert.deepEqual(await split.clients.describeDouble(x), propagation.describeDouble(x), `describeDouble(${x})`);
      assert.deepEqual(await split.clients.roundTrip(x), await propagation.roundTrip(x), `roundTrip(${x})`);
      assert.deepEqual(await split.clients.double(x), propagationDouble.double(x));
    }
    for (const xs of [[], [1], [1, 2, 3, 4]]) assert.deepEqual(await split.clients.sumDoubles(xs), propagation.sumDoubles(xs));
  });

  test("the calls really cross the wire: with double stopped, octuple fails naming it", async () => {
    await split.processes.double!.stop();
    const err = await split.clients.octuple(1).catch((e: unknown) => e);
    assert.match(String(err?.message), /"double"/);
    assert.equal(err.service, "octuple");
  });
});
