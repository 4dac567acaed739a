// fixtures/types-tuples over the wire — tuples: fixed, optional and rest elements, readonly arrays.
// Every service is called through its generated client and must give exactly
// what the monolith gives; bad requests are refused with a 400 naming the
// field. The shared values and helpers: test/helpers/type-roundtrip.ts.
import { test } from "node:test";
import * as tuples from "../fixtures/types-tuples/src/tuples.ts";
import { assertAllRejected, assertRejected } from "./helpers/parity.ts";
import { STRINGS, fixture, parity } from "./helpers/type-roundtrip.ts";

fixture("types-tuples", (split) => {
  const many = Array.from({ length: 1000 }, (_, i) => i * 1.5 - 300);
  const segments: tuples.Segment[] = [
    { from: [0, 0], to: [3, 4] },
    { from: [1, 1], to: [1, 1], tag: ["a", "🙂"] },
    { from: [-1e150, 0], to: [1e150, 0], tag: ["", ""] },
  ];
  parity(split, tuples, {
    swapPair: [[["a", 1]], [["", 1e308]], [["🙂", -0.5]]],
    distance: [[[0, 0], [3, 4]], [[1e150, 0], [0, 0]], [[-1, -1], [-1, -1]]],
    midpoint: [[[0, 0], [3, 4]], [[1e308, 1e308], [-1e308, 1]], [[5e-324, 2], [5e-324, 4]]],
    echoWeighted: [[["a"]], [["a", 2]], [["", 0]], [["🙂", 1e308]]],
    weightedLabel: [[["a"]], [["a", 2]], [["", 0]]],
    echoSeries: [[["s"]], [["s", 1, 2, 3]], [["many", ...many]], [["", 0]]],
    seriesStats: [[["s"]], [["s", 1, 2, 3]], [["many", ...many]]],
    pathLength: [[[]], [[[0, 0]]], [[[0, 0], [3, 4], [3, 0]]]],
    pairsToText: [[[]], [[["a", 1], ["b", 2]]], [[["🙂", 1e308]]]],
    sumReadonly: [[[]], [[1, 2, 3]], [[Number.MAX_SAFE_INTEGER, 1]], [many]],
    joinReadonly: [[[], ","], [["a", "b"], "🙂"], [STRINGS, "|"]],
    reversePairs: [[[]], [[["a", 1], ["b", 2]]]],
    bounds: [[[]], [[5]], [[3, -1, 1e308]], [many]],
    segmentLength: segments.map((s) => [s]),
    echoSegments: [[[]], [segments]],
    toHex: [[["rgb", 255, 0, 16]], [["rgb", 0, 0, 0]]],
  });

  test("the schemas are enforced: lengths, element types, optional and rest elements", async () => {
    await assertAllRejected(split(), "distance", [
      { a: [1, 2, 3], b: [0, 0] },
      { a: [1], b: [0, 0] },
      { a: { x: 1, y: 2 }, b: [0, 0] },
      { a: ["1", 2], b: [0, 0] },
    ]);
    await assertAllRejected(split(), "echoWeighted", [{ w: ["a", "b"] }, { w: [] }, { w: ["a", 1, 2] }, { w: [1] }]);
    await assertAllRejected(split(), "echoSeries", [{ series: [] }, { series: ["a", 1, "x"] }, { series: [1] }]);
    await assertAllRejected(split(), "toHex", [{ color: ["rgba", 1, 2, 3] }, { color: ["rgb", 1, 2] }]);
    await assertAllRejected(split(), "swapPair", [{ pair: { 0: "a", 1: 1 } }]);
    await assertRejected(split(), "echoSeries", { series: ["a", 1, "x"] }, [{ path: "series[2]" }]);
    await assertRejected(split(), "echoWeighted", { w: ["a", "b"] }, [{ path: "w[1]" }]);
    await assertRejected(split(), "segmentLength", { segment: { from: [0, 0], to: [0, "1"] } }, [{ path: "segment.to[1]" }]);
  });
});
