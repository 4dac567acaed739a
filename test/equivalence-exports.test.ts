// calls-exports: service functions exported by a later export statement
// (`export default f;`, `export { f }`, `export { f as g }`), re-exported
// through a barrel and imported under other names, build, and every caller is
// rewritten to the right service (issue 14). Every rewritten call evaluates the
// program's expressions exactly once, in the monolith's order: the object and
// key of a compound assignment's target, an array method's receiver (issue 8).
// The rewrite's imported names (`square$remote`, `$tsmAsync`) never collide with
// the program's own, and `export const alias = f;` is an export alias of f.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import type { Scenario } from "./helpers/equivalence.ts";
import { checkEquivalence } from "./helpers/equivalence.ts";
import { GUARD, each, each1, logged } from "./helpers/equivalence-calls.ts";

const NUMBERS = [-3, 0, 1, 2.5, 7];

/** `fn(...args)` with the log of nextBox()/pick()/listOf() calls it made, in order. */
function once(fn: string, ...argsList: unknown[][]): Scenario[] {
  return argsList.map((args) => logged(`${fn}(${args.join(", ")}) + evaluation log`, "onceReset", "onceLog", (f) => f[fn]!(...args)));
}

describe("calls-exports", () => {
  test("functions exported by export statements, re-exported and imported under other names answer as in the monolith; rewritten calls evaluate each expression once", GUARD, async () => {
    const report = await checkEquivalence({
      fixture: "calls-exports",
      label: "eq-calls-exports",
      calls: [
        // issue 14: declared, then `export default half;`; called through a default import
        ...each1("half", NUMBERS),
        ...each1("quarter", NUMBERS),
        // `export { square, cube }`, `export { triple as thrice }`
        ...each1("square", NUMBERS),
        ...each1("cube", NUMBERS),
        ...each1("triple", NUMBERS),
        // callers through every name: default imports, renamed imports, the barrel, a namespace
        ...each1("viaDefaultImport", NUMBERS),
        ...each1("viaRenamedImport", NUMBERS),
        ...each1("viaBarrel", NUMBERS),
        ...each1("viaNamespace", NUMBERS),
        ...each1("allForms", NUMBERS),
        // exactly once, in order: the log of nextBox(), pick(), listOf() calls
        ...once("addToBox", [3], [0]),
        ...once("scaleItem", [2, 0], [3, 2]),
        ...once("keyAndValue", [1], [2]),
        ...once("incrementItem", [1], [4]),
        ...once("logicalOnBox", [0], [3]),
        ...once("nestedTarget", [2]),
        ...once("labelAppend", [5]),
        ...once("nestedCompounds", [2]),
        ...once("mapOfCall", [0], [3]),
        ...once("sumOfCall", [3]),
        ...once("tallyTwice", [2]),
        ...each("userNamedV", [[0], [4]]),
        // the program's own `square$remote` and `$tsmAsync`: the rewrite imports under fresh names
        ...each1("userNamedRemote", NUMBERS),
        ...each("userNamedHelpers", [[[]], [[1, 2, 3]], [NUMBERS]]),
        // `export const alias = f;`: calls through the alias, tagged or not, answer as calls of f
        ...each1("viaAliases", NUMBERS),
        ...each1("shout", ["a", ""]),
      ],
    });
    // Every call through any of those names became a client call: the callers'
    // bundles hold their own module alone, none of the functions they call.
    const modulesOf = (service: string): string[] => {
      const bundle = readFileSync(path.join(report.build.outDir, "services", service, "index.mjs"), "utf8");
      return [...bundle.matchAll(new RegExp(`^// svc:${service}:(.+)$`, "gm"))].map((m) => m[1]!).sort();
    };
    assert.deepEqual(modulesOf("exports-callers"), ["src/callers.ts"]);
    assert.deepEqual(modulesOf("quarter"), ["src/quarter.ts"]);
    assert.deepEqual(modulesOf("exports-once"), ["src/once.ts"]);
    assert.deepEqual(report.build.plan!.services.find((s) => s.name === "exports-callers")!.dependencies, ["cube", "half", "quarter", "square", "triple"]);
    // Calls through `export const cubed = cube` / `loud = shout` went to those services' clients;
    // `exports-aliases` never calls through an alias and depends on nothing.
    assert.deepEqual(report.build.plan!.services.find((s) => s.name === "exports-names")!.dependencies, ["cube", "exports-aliases", "square"]);
    assert.deepEqual(report.build.plan!.services.find((s) => s.name === "exports-aliases")!.dependencies, []);
  });
});
