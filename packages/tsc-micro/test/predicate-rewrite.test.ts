// Type predicates and assertion functions that would have to become async:
// `Promise<x is T>` is not TypeScript, so a named one is a diagnostic (TSM3003)
// at the function, once however many calls make it async; a predicate arrow
// passed to an array method becomes an async callback returning a boolean.
import assert from "node:assert/strict";
import { test } from "node:test";
import { DiagnosticCode } from "../src/diagnostics/diagnostic.ts";
import { agrees, program, rewrite } from "./helpers/rewrite-and-run.ts";

test("a named type predicate or assertion function that calls another service: one TSM3003 each, at the function", () => {
  const outside = `
function isBig(x: unknown): x is number {
  return typeof x === "number" && f(x) > 100 && f(x + 1) > 100;
}
const assertBig = (x: unknown): asserts x is number => {
  if (!isBig(x)) throw new RangeError("small");
};
function assertSet(x: number | undefined): asserts x {
  if (x === undefined || f(x) === 0) throw new RangeError("unset");
}`;
  const source = program(`  const v: unknown = 20;\n  assertBig(v);\n  assertSet(v);\n  return isBig(v);`, outside);
  const { diagnostics } = rewrite(source);
  const at = (text: string) => {
    const start = source.indexOf(text);
    const before = source.slice(0, start).split("\n");
    return { start, line: before.length, column: before.at(-1)!.length + 1 };
  };
  const found = diagnostics.map((d) => ({ code: d.code, file: d.file, start: d.start, line: d.line, column: d.column, name: /^'([^']+)'/.exec(d.message)?.[1], hint: !!d.hint }));
  assert.deepEqual(found, [
    { code: DiagnosticCode.PredicateCannotBecomeAsync, file: "src/main.ts", ...at("function isBig"), name: "isBig", hint: true },
    { code: DiagnosticCode.PredicateCannotBecomeAsync, file: "src/main.ts", ...at("function assertSet"), name: "assertSet", hint: true },
  ]);
  // assertBig calls isBig, which cannot become async: no second diagnostic about it.
  assert.match(diagnostics[0]!.message, /^'isBig' is a type predicate \('x is number'\), but in service 'main' its call to 'f' must be awaited/);
  assert.match(diagnostics[1]!.message, /^'assertSet' is an assertion function \('asserts x'\)/);
});

test("a predicate arrow passed to filter becomes an async callback returning Promise<boolean>", async () => {
  await agrees(`  const xs: unknown[] = [1, "a", 3, null, 30];\n  return xs.filter((x): x is number => typeof x === "number" && f(x) > 20);`, [
    `(await $tsmAsync.filter(xs, async (x): Promise<boolean> => typeof x === "number" && (await f$remote(x)) > 20))`,
  ]);
});
