// Unusual but legal names in the program never break the generated code:
// a `$` in a type name, parameters and functions named like the generated
// modules' own bindings. The output parses and type-checks, and each call
// answers as in the monolith.
import assert from "node:assert/strict";
import path from "node:path";
import { describe, test } from "node:test";
import { declarationErrors, syntaxErrors } from "./helpers/emitted-checks.ts";
import { checkEquivalence } from "./helpers/equivalence.ts";
import { GUARD, each1 } from "./helpers/equivalence-calls.ts";
import { cachedBuild } from "./helpers/build-cache.ts";
import { FIXTURES } from "./helpers/paths.ts";

const DAY = new Date("2024-03-05T10:00:00.000Z");

describe("names-hygiene", () => {
  test("every emitted .js parses and every client .d.ts type-checks", async () => {
    const result = await cachedBuild({ project: path.join(FIXTURES, "names-hygiene/tsconfig.json") }, "names-hygiene-check");
    const outDir = result.outDir;
    assert.ok(result.success, JSON.stringify(result.diagnostics, null, 2));
    assert.deepEqual(syntaxErrors(outDir), []);
    assert.deepEqual(declarationErrors(outDir), []);
    const services = result.services.map((s) => `${s.name} ${s.routes.join(",")}`);
    for (const expected of ["cafe POST /$$café$", "cafe-2 POST /café", "fn-3c0 POST /π", "foo-bar POST /fooBar", "foo-bar-2 POST /foo_bar"]) assert.ok(services.includes(expected), services.join("\n"));
  });

  test("user names never collide with generated identifiers: the split answers as the monolith", GUARD, async () => {
    await checkEquivalence({
      fixture: "names-hygiene",
      label: "eq-names-hygiene",
      calls: [
        ...each1("logAt", [{ at: DAY, note: "a" }]),
        ...each1("countUp", [{ count: 1n }, { count: 2n ** 70n }]),
        ...each1("dayOf", [DAY]),
        ...each1("ServiceClient", ["abc"]),
        { fn: "args", args: [DAY, 5n, "x", 7] },
        ...each1("useAll", [DAY]),
        { fn: "stamp", args: [{ iso: "2024" }, DAY] },
        ...each1("stampService", [41]),
        { fn: "join3", args: ["a", undefined, 1] },
        { fn: "join3", args: ["a", "b", 2] },
        ...each1("café", [1]),
        ...each1("π", [1, 2.5]),
        { fn: "fooBar", args: [] },
        { fn: "foo_bar", args: [] },
        ...each1("echoText", ["t"]),
        ...each1("$$café$", ["s"]),
        { fn: "protoNames", args: [{ k1: "a" }, { k2: 1 }] },
        { fn: "protoNames", args: [{ k1: "a" }, { k2: 1 }, 5, "v"] },
        ...each1("timeOf", [new Date(NaN), new Date(0)]),
        ...each1("dateText", [new Date(NaN), new Date(0)]),
      ],
    });
  });
});
