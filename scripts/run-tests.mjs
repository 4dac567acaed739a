#!/usr/bin/env node
// Runs every test file with Node's built-in runner and tsx (TypeScript tests).
// Node 20's --test does not expand globs or pick up .ts files itself, hence this list.
import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";

const roots = ["test", ...readdirSync("packages").map((p) => path.join("packages", p, "test"))];
const files = roots.flatMap((root) => walk(root)).filter((f) => f.endsWith(".test.ts")).sort();
const only = process.argv.slice(2);
// The longest files start first (measured: each takes 25-80 s of a ~5-minute run): started last
// in alphabetical order, one of them would run alone at the end while the other slots sit idle.
const LONG = ["property-programs", "client-types-fixtures", "equivalence-chain", "incremental-property", "cli.test", "deterministic-output", "install-outside", "equivalence-names", "incremental-rebuild", "golden"];
const rank = (f) => {
  const i = LONG.findIndex((name) => f.includes(name));
  return i === -1 ? LONG.length : i;
};
const selected = (only.length ? files.filter((f) => only.some((o) => f.includes(o))) : files).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
if (selected.length === 0) {
  console.error("no test files matched");
  process.exit(1);
}
// Node runs test files one at a time on a 2-core machine (availableParallelism - 1). Most files
// wait on child processes and sockets, so three at once keeps both cores busy; the tests assert
// order and counts, never time, so they stay deterministic under that load.
const concurrency = process.env.TEST_CONCURRENCY ?? "3";
// One build cache per run (test/helpers/build-cache.ts): test files that build the
// same project with the same options share one build; removed when the run ends, like the run's
// own folder of test files (test/helpers/paths.ts TMP; TSC_MICRO_KEEP_TMP=1 keeps it to look at).
const run = `${Date.now()}-${process.pid}-${randomUUID().slice(0, 8)}`;
const env = { ...process.env, TSC_MICRO_TEST_RUN: run };
const result = spawnSync(process.execPath, ["--import", "tsx", "--test", `--test-concurrency=${concurrency}`, "--test-reporter=spec", ...selected], { stdio: "inherit", env });
rmSync(path.join(".tmp", "build-cache", run), { recursive: true, force: true });
if (process.env.TSC_MICRO_KEEP_TMP !== "1") rmSync(path.join(".tmp", "runs", run), { recursive: true, force: true });
process.exit(result.status ?? 1);

function walk(dir) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((e) => {
    const p = path.join(dir, e);
    return statSync(p).isDirectory() ? (e === "node_modules" ? [] : walk(p)) : [p];
  });
}
