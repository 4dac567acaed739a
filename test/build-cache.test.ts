// test/helpers/build-cache.ts: the test processes of one run share a build of
// the same project with the same options; each caller gets a private copy of
// the output, and the result reads back exactly as build() returned it.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, test } from "node:test";
import { promisify } from "node:util";
import { build } from "../packages/tsc-micro/src/index.ts";
import { cachedBuild, RUN_ENV } from "./helpers/build-cache.ts";
import { FIXTURES, REPO, tempOutDir } from "./helpers/paths.ts";

const run = `cache-test-${process.pid}`;
const cacheDir = path.join(REPO, ".tmp", "build-cache", run);
const project = path.join(FIXTURES, "types-basic", "tsconfig.json");
const previous = process.env[RUN_ENV];
process.env[RUN_ENV] = run;
after(() => {
  if (previous === undefined) delete process.env[RUN_ENV];
  else process.env[RUN_ENV] = previous;
  rmSync(cacheDir, { recursive: true, force: true });
});

/** Another process asking the cache for the same build: its result's outDir and success. */
async function fromAnotherProcess(): Promise<{ outDir: string; success: boolean; pid: number }> {
  const script = `import { cachedBuild } from ${JSON.stringify(path.join(REPO, "test/helpers/build-cache.ts"))};
const r = await cachedBuild({ project: ${JSON.stringify(project)} }, "cache-test-child");
console.log(JSON.stringify({ outDir: r.outDir, success: r.success, pid: process.pid }));`;
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    cwd: REPO,
    env: { ...process.env, [RUN_ENV]: run },
  });
  return JSON.parse(stdout.trim().split("\n").pop()!);
}

test("two processes asking for the same build at once share one build; each gets its own copy", async () => {
  const [mine, theirs] = await Promise.all([cachedBuild({ project }, "cache-test"), fromAnotherProcess()]);
  assert.ok(mine.success && theirs.success);
  const entries = readdirSync(cacheDir);
  assert.equal(entries.length, 1, "one cache entry for one project and options");
  const builder = Number(readFileSync(path.join(cacheDir, entries[0]!, "pid"), "utf8"));
  assert.ok(builder === process.pid || builder === theirs.pid, "one of the two built it");
  assert.notEqual(mine.outDir, theirs.outDir);
  for (const dir of [mine.outDir, theirs.outDir]) {
    assert.ok(!dir.startsWith(cacheDir), "a caller's output is a copy, not the cache's folder");
    assert.deepEqual(readdirSync(path.join(dir, "services")).filter((f) => f !== "_chunks").sort(), mine.services.map((s) => s.name).sort());
  }
  // A second call in this process reuses the entry, into a fresh copy.
  writeFileSync(path.join(mine.outDir, "openapi.json"), "changed by a test");
  const again = await cachedBuild({ project }, "cache-test");
  assert.equal(readdirSync(cacheDir).length, 1);
  assert.notEqual(again.outDir, mine.outDir);
  assert.notEqual(readFileSync(path.join(again.outDir, "openapi.json"), "utf8"), "changed by a test", "one caller's writes reach no other");
});

test("a cached result reads back exactly as build() returns it, successful or not", async () => {
  for (const fixture of ["types-basic", "diag-calls"]) {
    const tsconfig = path.join(FIXTURES, fixture, "tsconfig.json");
    const direct = await build({ project: tsconfig, outDir: tempOutDir("cache-test-direct") });
    const cached = await cachedBuild({ project: tsconfig }, "cache-test");
    assert.deepStrictEqual({ ...cached, outDir: direct.outDir }, direct, fixture);
    if (!direct.success) assert.equal(existsSync(cached.outDir), false, "a failed build leaves no output, copy or not");
  }
});

test("different options are different builds", async () => {
  const before = readdirSync(cacheDir).length;
  const monolith = await cachedBuild({ project, mode: "monolith" }, "cache-test");
  assert.deepEqual(monolith.services.map((s) => s.name), ["monolith"]);
  assert.equal(readdirSync(cacheDir).length, before + 1);
});
