// fixtures/types-overloads over the wire — overloaded service functions. The route
// is the implementation: the client maps a call's arguments positionally onto the
// implementation's parameter names, whatever the overload calls them, and a
// caller in another service (roundTrip) calls parse remotely through both
// overloads. Every call must give exactly what the monolith gives.
// The shared values and helpers: test/helpers/type-roundtrip.ts.
import assert from "node:assert/strict";
import { test } from "node:test";
import * as overloads from "../fixtures/types-overloads/src/overloads.ts";
import { assertAllRejected, assertRejected } from "./helpers/parity.ts";
import { fixture, parity } from "./helpers/type-roundtrip.ts";

fixture("types-overloads", (split) => {
  parity(split, overloads, {
    parse: [["42"], ["-2.5"], ["1e308"], [7], [-0.5], [1e308]],
    pad: [["7", 3], ["7", 3, "0"], ["long text", 2, "*"], ["", 4, "ab"]],
    convert: [[{ celsius: 100 }], [{ celsius: -40 }], [{ fahrenheit: 212 }], [{ fahrenheit: 32 }]],
    label: [[3], [-1.5], [{ label: "speed", value: 12 }], [{ label: "", value: 0 }]],
    countWords: [["a bb ccc"], ["a bb ccc", 2], ["", 1], ["one", 5]],
    roundTrip: [["21"], ["-0.25"], ["1e10"]],
  });

  test("the route takes the implementation's parameter names, not the overloads'", async () => {
    const routes = split().result.plan!.services.flatMap((s) => s.routes);
    const params = Object.fromEntries(routes.map((r) => [r.name, r.params.map((p) => `${p.name}${p.optional ? "?" : ""}`)]));
    assert.deepEqual(params, { convert: ["t"], countWords: ["text", "minLength?"], label: ["x"], pad: ["s", "n", "c?"], parse: ["x"], roundTrip: ["text"] });
    await assertRejected(split(), "pad", { text: "7", width: 3 }, [{ path: "s", rule: "required" }, { path: "n", rule: "required" }]);
    await assertAllRejected(split(), "parse", [{ text: "1" }, { value: 1 }, { x: true }]);
  });

  test("roundTrip calls the parse service (both overloads), not a local copy", () => {
    const roundTrip = split().result.plan!.services.find((s) => s.name === "round-trip")!;
    assert.deepEqual(roundTrip.dependencies, ["parse"]);
  });
});
