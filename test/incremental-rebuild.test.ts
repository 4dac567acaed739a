// The rebuilds of `tsc-micro dev --watch` (src/incremental/watch-builder.ts), edit after edit on one
// program: a body edit takes the incremental path and rewrites only the bundles holding the
// function; anything else takes the whole build; and after every rebuild the output folder is,
// file for file and byte for byte, what a whole build of the same sources writes (built into
// another folder; without the type check, since an incremental rebuild checks after writing).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { build } from "../packages/tsc-micro/src/index.ts";
import { watchBuilder } from "../packages/tsc-micro/src/incremental/watch-builder.ts";
import type { Rebuilt, WatchBuilder } from "../packages/tsc-micro/src/incremental/watch-builder.ts";
import { filesUnder } from "./helpers/emitted-checks.ts";
import { editFile, writeIncrementalProgram } from "./helpers/incremental-program.ts";
import { tempOutDir } from "./helpers/paths.ts";

/** Every file of the output folder, by path, as bytes. */
function contents(outDir: string): Map<string, Buffer> {
  return new Map(filesUnder(outDir).map((f) => [path.relative(outDir, f), readFileSync(f)]));
}

async function assertSameAsWholeBuild(dir: string, outDir: string, step: string): Promise<void> {
  const wholeDir = tempOutDir("incremental-whole");
  const whole = await build({ project: path.join(dir, "tsconfig.json"), outDir: wholeDir, entry: "src/main.ts", typeCheck: false });
  assert.ok(whole.success, `${step}: ${JSON.stringify(whole.diagnostics)}`);
  const written = contents(outDir);
  const expected = contents(wholeDir);
  assert.deepEqual([...written.keys()].sort(), [...expected.keys()].sort(), `${step}: the same files`);
  const differing = [...expected].filter(([rel, bytes]) => !bytes.equals(written.get(rel)!)).map(([rel]) => rel);
  assert.deepEqual(differing, [], `${step}: the same bytes`);
}

async function rebuildAfter(builder: WatchBuilder, dir: string, file: string, from: string, to: string): Promise<Rebuilt> {
  editFile(dir, file, from, to);
  return builder.rebuild(new Set([path.join(dir, file)]));
}

test("watch rebuilds: body edits are incremental and rewrite only the bundles holding the function; others build in full; the output is always a whole build's", { timeout: 600_000 }, async () => {
  const dir = writeIncrementalProgram("incremental-rebuild");
  const outDir = tempOutDir("incremental-rebuild");
  const { result, builder } = await watchBuilder({ project: path.join(dir, "tsconfig.json"), outDir, entry: "src/main.ts" });
  assert.ok(result.success, JSON.stringify(result.diagnostics));
  const bundle = (service: string) => readFileSync(path.join(outDir, "services", service, "index.mjs"), "utf8");

  // A helper's body: both services that bundle it, and only those.
  let r = await rebuildAfter(builder, dir, "src/prices.ts", "return item.qty * item.priceCents;", "return item.qty * item.priceCents + 1;");
  assert.equal(r.how, "incremental", r.why);
  assert.deepEqual([r.file, r.function, r.changed], ["src/prices.ts", "priceOf", ["cheapest", "total"]]);
  assert.match(bundle("total"), /item\.priceCents \+ 1/);
  await assertSameAsWholeBuild(dir, outDir, "helper body");
  let checked = await builder.check();
  assert.deepEqual([checked.result.success, checked.stale, checked.result.diagnostics], [true, false, []]);

  // A function whose return type is inferred: modelled again, the same signature.
  r = await rebuildAfter(builder, dir, "src/labels.ts", "return `label:${name}`;", "return `label: ${name}`;");
  assert.deepEqual([r.how, r.changed], ["incremental", ["label"]], r.why);
  await assertSameAsWholeBuild(dir, outDir, "inferred return type");

  // Lines added before the remote call the plan rewrites (its edits move), then an edit after it.
  r = await rebuildAfter(builder, dir, "src/checkout.ts", "  const sum = await total(items);", "  // two lines more\n  const count = items.length;\n  const sum = await total(items);");
  assert.deepEqual([r.how, r.changed], ["incremental", ["checkout"]], r.why);
  r = await rebuildAfter(builder, dir, "src/checkout.ts", "sum > 100000", "sum > 200000 || count > 50");
  assert.deepEqual([r.how, r.changed], ["incremental", ["checkout"]], r.why);
  await assertSameAsWholeBuild(dir, outDir, "moved rewrites");
  // Inside the remote call the plan rewrites: the call's span grows, and the plan is made again.
  r = await rebuildAfter(builder, dir, "src/checkout.ts", "await total(items)", "await total(items.filter((item) => item.qty > 0))");
  assert.deepEqual([r.how, r.changed], ["incremental", ["checkout"]], r.why);
  await assertSameAsWholeBuild(dir, outDir, "inside a remote call");
  checked = await builder.check();
  assert.deepEqual([checked.result.success, checked.stale], [true, false]);

  // The entry point's function: the stand-alone bundles are made again, no service changes.
  const entryBefore = readFileSync(path.join(outDir, "entries/main/index.mjs"), "utf8");
  r = await rebuildAfter(builder, dir, "src/main.ts", "checked out: ", "checked out, cents: ");
  assert.deepEqual([r.how, r.changed], ["incremental", []], r.why);
  assert.notEqual(readFileSync(path.join(outDir, "entries/main/index.mjs"), "utf8"), entryBefore);
  await assertSameAsWholeBuild(dir, outDir, "entry point");

  // The error class every bundle registers: every service, the entry point and dist/clients/errors.js.
  r = await rebuildAfter(builder, dir, "src/errors.ts", "`out of stock: ${sku}`", "`sold out: ${sku}`");
  assert.deepEqual([r.how, r.changed], ["incremental", ["cheapest", "checkout", "label", "shout", "total"]], r.why);
  await assertSameAsWholeBuild(dir, outDir, "error class");

  // A body that now calls another service: the plan changes, a whole build.
  r = await rebuildAfter(builder, dir, "src/labels.ts", "return `label: ${name}`;", "return `label: ${name} ${String(shout(name))}`;");
  assert.equal(r.how, "full");
  assert.match(r.why!, /calls between functions/);
  assert.ok(r.result.success, JSON.stringify(r.result.diagnostics));
  await assertSameAsWholeBuild(dir, outDir, "new call");

  // A signature: a whole build, and the next body edit is incremental again.
  r = await rebuildAfter(builder, dir, "src/prices.ts", "export function cheapest(items: Item[]): number {", "export function cheapest(items: Item[], floor = 0): number {");
  assert.deepEqual([r.how, r.why], ["full", "the change is not inside one function's body"]);
  assert.ok(r.result.success, JSON.stringify(r.result.diagnostics));
  await assertSameAsWholeBuild(dir, outDir, "signature");
  r = await rebuildAfter(builder, dir, "src/prices.ts", "return Math.min(...items.map(priceOf));", "return Math.max(floor, Math.min(...items.map(priceOf)));");
  assert.deepEqual([r.how, r.changed], ["incremental", ["cheapest"]], r.why);
  await assertSameAsWholeBuild(dir, outDir, "body after a signature");

  // A type error in a body: written at once, reported by the check that follows.
  r = await rebuildAfter(builder, dir, "src/labels.ts", "  return `label: ${name}", '  const n: number = "not a number";\n  return `label: ${name}');
  assert.deepEqual([r.how, r.changed], ["incremental", ["label"]], r.why);
  await assertSameAsWholeBuild(dir, outDir, "type error");
  checked = await builder.check();
  assert.equal(checked.result.success, false);
  assert.equal(checked.stale, false);
  assert.deepEqual(
    checked.result.diagnostics.map((d) => `${d.file}:${d.line} TS${d.code} ${d.category}`),
    ["src/labels.ts:6 TS2322 error"],
  );
  r = await rebuildAfter(builder, dir, "src/labels.ts", '  const n: number = "not a number";\n', "");
  assert.deepEqual([r.how, r.changed], ["incremental", ["label"]], r.why);
  checked = await builder.check();
  assert.deepEqual([checked.result.success, checked.result.diagnostics], [true, []]);
  await assertSameAsWholeBuild(dir, outDir, "type error fixed");

  // A syntax error: the whole build, which reports it and writes nothing; fixed, whole again.
  r = await rebuildAfter(builder, dir, "src/labels.ts", "text.toUpperCase()", "text.toUpperCase(");
  assert.equal(r.how, "full");
  assert.equal(r.result.success, false);
  assert.ok(r.result.diagnostics.some((d) => d.source === "ts" && d.file === "src/labels.ts"), JSON.stringify(r.result.diagnostics));
  r = await rebuildAfter(builder, dir, "src/labels.ts", "text.toUpperCase(", "text.toUpperCase()");
  assert.equal(r.how, "full");
  assert.ok(r.result.success, JSON.stringify(r.result.diagnostics));
  await assertSameAsWholeBuild(dir, outDir, "syntax error fixed");

  // Nothing changed (the watcher saw a file saved as it was): nothing rebuilt.
  r = await builder.rebuild(new Set([path.join(dir, "src/labels.ts")]));
  assert.equal(r.how, "unchanged");
});
