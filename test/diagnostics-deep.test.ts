// fixtures/diag-unsupported-deep: what cannot cross a process boundary is
// reported, deep inside signatures too, all in one build, each problem once,
// naming the function and the path to the type, at the line that declares it.
// (The exact wording is the golden test's business: expected/diagnostics.txt.)
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { DiagnosticCode } from "../packages/tsc-micro/src/index.ts";
import { cachedBuild } from "./helpers/build-cache.ts";
import { FIXTURES } from "./helpers/paths.ts";

const FIXTURE = path.join(FIXTURES, "diag-unsupported-deep");

/** [function, path to the type, text on the line the diagnostic points at]. */
const EXPECTED: [string, string, string][] = [
  ["orderTotal", "order.items[].format", "format: (cents: number) => string"],
  ["labelCount", "item.meta.tags[].key", "key: symbol"],
  ["invoiceTotal", "invoice.lines[].amount", "amount: Money"],
  ["parseInput", "input", "input: unknown"],
  ["logEntry", "entry.data.extra", "extra: any"],
  ["first", "xs[]", "first<T>(xs: T[]): T"],
  ["first", "result", "first<T>(xs: T[]): T"],
  ["wrapValues", "boxes[].value", "value: T"],
  ["cacheSize", "cache.store", "WeakMap<object, string>"],
  ["awaitIt", "pending", "pending: Promise<number>"],
  ["pendingTask", "task.done", "done: Promise<string>"],
  ["makeFormatter", "result.format", "format: (n: number) => string"],
  ["rateTable", "rates", "Map<string, Money>"],
  ["handlerCount", "handlers", "Record<string, (event: string) => void>"],
  ["pairWithSymbol", "pair", "[string, symbol]"],
  ["deepUnknown", "batch.rows[].cells[]", "cells: unknown[]"],
];

test("every type that cannot cross the wire is reported once, with its function, path and line", async () => {
  const result = await cachedBuild({ project: path.join(FIXTURE, "tsconfig.json") }, "diag-deep");
  const outDir = result.outDir;
  assert.equal(result.success, false);
  assert.equal(existsSync(outDir), false, "a failed build writes nothing");
  const source = readFileSync(path.join(FIXTURE, "src/deep.ts"), "utf8").split("\n");
  const diags = result.diagnostics.map((d) => ({ ...d, text: d.message }));
  const problems: string[] = [];
  for (const [fn, at, lineText] of EXPECTED) {
    // The path may go on into a container (`rates[value]`, `pair[1]`): match its start.
    const found = diags.filter((d) => d.text.includes(`'${fn}'`) && new RegExp(`'${at.replace(/[[\]().]/g, "\\$&")}[^']*'`).test(d.text));
    if (found.length !== 1) {
      problems.push(`${fn} at ${at}: ${found.length} diagnostics`);
      continue;
    }
    const d = found[0]!;
    if (d.code !== DiagnosticCode.UnsupportedType) problems.push(`${fn} at ${at}: code TSM${d.code}, expected TSM${DiagnosticCode.UnsupportedType}`);
    const line = source[(d.line ?? 0) - 1] ?? "";
    if (!line.includes(lineText)) problems.push(`${fn} at ${at}: points at line ${d.line} '${line.trim()}', expected the line with '${lineText}'`);
  }
  assert.deepEqual(problems, []);
  assert.equal(diags.length, EXPECTED.length, diags.map((d) => `${d.line}: ${d.text}`).join("\n"));
  assert.ok(!diags.some((d) => d.text.includes("'fine'")), "the well-typed service is not reported");
});
