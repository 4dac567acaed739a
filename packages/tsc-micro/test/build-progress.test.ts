// build() reports its phases in order, with the counts known by then; the CLI's
// line renders them and stays quiet for quick builds (see cli/progress-line.ts).
import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { build } from "../src/build.ts";
import type { BuildProgressEvent } from "../src/build-progress.ts";
import { progressLine, progressText } from "../src/cli/progress-line.ts";
import { TMP } from "../../../test/helpers/paths.ts";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

test("build() calls onProgress once per phase, in order, with counts", async () => {
  const events: BuildProgressEvent[] = [];
  const outDir = path.join(TMP, `build-progress-${process.pid}`, "dist");
  const result = await build({ project: path.join(REPO, "examples/parity/tsconfig.json"), outDir, onProgress: (e) => events.push(e) });
  assert.ok(result.success);
  assert.deepEqual(events.map((e) => e.phase), ["check", "scan", "model", "plan", "emit", "bundle", "write"]);
  // From `model` on, the count is of the files scanned: the example's src/ holds four.
  for (const e of events.slice(2)) assert.equal(e.files, 4, e.phase);
  for (const e of events.slice(2)) assert.equal(e.functions, 4, e.phase);
  for (const e of events.slice(4)) assert.equal(e.services, 4, e.phase);

  const skipped: string[] = [];
  await build({ project: path.join(REPO, "examples/parity/tsconfig.json"), outDir, typeCheck: false, onProgress: (e) => skipped.push(e.phase) });
  assert.deepEqual(skipped, ["scan", "model", "plan", "emit", "bundle", "write"]);
});

test("the line names the phase and its counts", () => {
  assert.equal(progressText({ phase: "emit", files: 3, functions: 1, services: 2 }), "[5/7] emit · 3 files, 1 function, 2 services");
  assert.equal(progressText({ phase: "check" }), "[1/7] check");
});

test("the line is drawn only after the delay, overwritten in place, cut to the width and cleared at the end", () => {
  let clock = 0;
  const written: string[] = [];
  const line = progressLine({ write: (t) => written.push(t), columns: 30 }, 1000, () => clock);
  line.onProgress({ phase: "check", files: 2 });
  assert.equal(written.length, 0, "nothing before the delay");
  clock = 1500;
  line.onProgress({ phase: "model", files: 2, functions: 12 });
  line.onProgress({ phase: "plan", files: 2, functions: 12 });
  line.done();
  assert.equal(written.length, 3);
  assert.ok(written.slice(0, 2).every((t) => t.startsWith("\r\x1b[K") && t.length - 4 <= 29), JSON.stringify(written));
  assert.match(written[1]!, /plan/);
  assert.equal(written[2], "\r\x1b[K");

  const quick: string[] = [];
  const fast = progressLine({ write: (t) => quick.push(t) }, 1000, () => 0);
  fast.onProgress({ phase: "scan" });
  fast.done();
  assert.deepEqual(quick, [], "a build under the delay prints nothing, not even a clear");
});
