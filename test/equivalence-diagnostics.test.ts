// diag-calls: every remote call where `await` cannot go is reported with its
// location and a fix, and nothing else is.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { cachedBuild } from "./helpers/build-cache.ts";
import { FIXTURES } from "./helpers/paths.ts";
import { GUARD } from "./helpers/equivalence-calls.ts";

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
    const result = await cachedBuild({ project: path.join(FIXTURES, "diag-calls/tsconfig.json") }, "eq-diag-calls");
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
