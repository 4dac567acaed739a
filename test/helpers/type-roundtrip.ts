// Shared by the test/e2e-types-*.test.ts files: the everyday TypeScript type
// language over the wire. For each fixture types-*, every service is called
// through its generated client with several values (edge cases included) and
// must give exactly what the monolith gives (assert.deepStrictEqual: Date,
// bigint, Map, Set, Uint8Array, undefined vs missing all count). Bad requests
// must be refused at the door with a 400 naming the field. Known, documented
// difference: a property explicitly set to `undefined` arrives missing, so the
// values leave optional properties out instead of setting them to undefined.
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { assertSameAll, routeUrl } from "./parity.ts";
import { FIXTURES } from "./paths.ts";
import { postText } from "./services.ts";
import { startSplit } from "./split.ts";
import type { SplitProgram } from "./split.ts";

// ---------------------------------------------------------------- shared values

/** Strings that stress encoding: empty, astral, ZWJ sequences, combining marks, RTL, controls, lone surrogate. */
export const STRINGS = [
  "",
  "plain",
  "ü-名前-🙂",
  "👩‍👩‍👧‍👦 family",
  "e\u0301 combining é",
  "مرحبا بالعالم",
  "שלום\u200F",
  "nul\u0000tab\tnewline\n",
  "\"quotes\" \\ back\\slash / solidus",
  "\u2028\u2029",
  "lone \uD800 surrogate",
];
export const LONG_STRING = "ab🙂".repeat(5000);
/** Numbers JSON carries exactly (no -0, NaN or infinities). */
export const NUMBERS = [0, 1, -1, 0.1, -2.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 5e-324, Number.MAX_VALUE, 2 ** 53 + 2];
/**
 * An object with keys that are easy to mishandle. `__proto__` and `constructor` are not among
 * them: the services refuse those keys anywhere in a body (see the reserved-keys tests).
 */
export const TRICKY_KEYS: Record<string, number> = { toString: 3, hasOwnProperty: 11, valueOf: 12, "": 4, "a b": 5, "0": 6, "10": 7, "🙂": 8, "a.b": 9, "x[0]": 10, "~1/~0": 13 };
/** Bodies (as raw JSON text) carrying the reserved keys, which the services refuse with a 400. */
export function reservedKeyBodies(param: string, wrap: (inner: string) => string): string[] {
  return ['{"__proto__": 1}', '{"constructor": 1}', '{"__proto__": {"polluted": 1}}'].map((inner) => `{${JSON.stringify(param)}: ${wrap(inner)}}`);
}

/** Posts raw JSON text and expects a 400. */
export async function assertRawRejected(split: SplitProgram, fn: string, bodies: readonly string[]): Promise<void> {
  const failures: string[] = [];
  for (const body of bodies) {
    const res = await postText(routeUrl(split, fn), body);
    if (res.status !== 400) failures.push(`  ${body} → ${res.status} ${res.text.slice(0, 300)}`);
  }
  assert.equal(failures.length, 0, `${fn}: ${failures.length} of ${bodies.length} bodies were not refused with 400:\n${failures.join("\n")}`);
}

/** One describe per fixture: build it, start every service, stop them after. */
export function fixture(name: string, body: (split: () => SplitProgram) => void): void {
  describe(`fixtures/${name} over the wire`, () => {
    let split: SplitProgram | undefined;
    before(async () => {
      split = await startSplit(path.join(FIXTURES, name, "tsconfig.json"), `e2e-${name}`);
    });
    after(() => split?.stop());
    body(() => {
      assert.ok(split, `fixtures/${name} did not start`);
      return split;
    });
  });
}

/** One test per function: every argument list gives the monolith's outcome through the client. */
export function parity(split: () => SplitProgram, module: Record<string, unknown>, table: Record<string, unknown[][]>): void {
  test("every service of the fixture is exercised below", () => {
    const routes = split().result.plan!.services.flatMap((s) => s.routes.map((r) => r.name)).sort();
    assert.deepEqual(routes, Object.keys(table).sort());
  });
  for (const [fn, argsList] of Object.entries(table)) {
    test(`${fn}: ${argsList.length} calls equal the monolith`, async () => {
      const local = module[fn];
      assert.equal(typeof local, "function", `the fixture exports no function ${fn}`);
      await assertSameAll(split(), fn, local as (...a: unknown[]) => unknown, argsList);
    });
  }
}
