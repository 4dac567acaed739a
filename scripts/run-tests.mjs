#!/usr/bin/env node
// Runs every test file with Node's built-in runner (node:test) and tsx (TypeScript tests),
// three at a time, the longest first. Node 20's --test does not expand globs or pick up .ts
// files itself, and runs the files it is given in name order, hence this script.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { planProcesses } from "./test-processes.mjs";

const roots = ["test", ...readdirSync("packages").map((p) => path.join("packages", p, "test"))];
const files = roots.flatMap((root) => walk(root)).filter((f) => f.endsWith(".test.ts")).sort();
const only = process.argv.slice(2);
// The longest files start first (measured alone on 2 cores: property-programs ~55 s, the rest of
// this list 20-40 s; each prints its time when it ends): started last, one of them would run alone
// at the end while the other slots sit idle. Each also runs in a process of its own.
const LONG = ["property-programs", "cli.test", "install-outside", "property-roundtrip", "openapi-tools-lint", "openapi-tools-codegen", "equivalence-names", "client-types-fixtures", "equivalence-chain", "service-images", "incremental-property", "e2e-dev-incremental", "deterministic-output", "incremental-rebuild", "golden"];
const selected = only.length ? files.filter((f) => only.some((o) => f.includes(o))) : files;
if (selected.length === 0) {
  console.error("no test files matched");
  process.exit(1);
}
// Files that cannot disturb each other share a process (scripts/test-processes.mjs says which).
const processes = planProcesses(selected, LONG);
// Three files at a time on a 2-core machine: most files wait on child processes and sockets, so
// three keep both cores busy; the tests assert order and counts, never time, so they stay
// deterministic under that load.
const concurrency = Math.max(1, Number(process.env.TEST_CONCURRENCY ?? "3"));
// One build cache per run (test/helpers/build-cache.ts): test files that build the
// same project with the same options share one build; removed when the run ends, like the run's
// own folder of test files (test/helpers/paths.ts TMP; TSC_MICRO_KEEP_TMP=1 keeps it to look at).
const run = `${Date.now()}-${process.pid}-${randomUUID().slice(0, 8)}`;
const env = { ...process.env, TSC_MICRO_TEST_RUN: run };

// Each process is `node --import tsx <file>` (node:test runs and reports a file it is given
// directly; a group's file imports its files), started in the order above by this script's own
// pool. `node --test` was the pool before, but Node 20 sorts its files by name, so the longest
// started last and ran alone at the end while the other slots sat idle; it also added a runner
// process. A process's report is printed whole when it ends, so that three reports never interleave.
const children = new Set();
const totals = { tests: 0, pass: 0, fail: 0, cancelled: 0, skipped: 0, todo: 0 };
const failedFiles = [];
const started = Date.now();
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    for (const child of children) child.kill("SIGKILL");
    cleanUp();
    process.exit(1);
  });
}
let next = 0;
await Promise.all(Array.from({ length: Math.min(concurrency, processes.length) }, async function worker() {
  while (next < processes.length) await runProcess(processes[next++], next);
}));
cleanUp();
const seconds = ((Date.now() - started) / 1000).toFixed(1);
console.log(`\n━━ all ${selected.length} files\n${Object.entries(totals).map(([k, v]) => `ℹ ${k} ${v}`).join("\n")}`);
console.log(`ℹ files failed ${failedFiles.length}\nℹ duration_s ${seconds}`);
if (failedFiles.length > 0) console.log(`✖ failing files:\n${failedFiles.map((f) => `  ${f}`).join("\n")}`);
process.exit(failedFiles.length > 0 ? 1 : 0);

/** Runs one test file, or a group of them in one process, to its end; prints its report, adds its counts. */
function runProcess({ files: group }, number) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const entry = group.length === 1 ? group[0] : groupEntry(group, number);
    const title = group.length === 1 ? group[0] : `${group.length} files in one process: ${group.join(", ")}`;
    const child = spawn(process.execPath, ["--import", "tsx", "--test-reporter=spec", entry], { env, stdio: ["ignore", "pipe", "pipe"] });
    children.add(child);
    const output = [];
    child.stdout.on("data", (d) => output.push(d));
    child.stderr.on("data", (d) => output.push(d));
    child.on("close", (code, signal) => {
      children.delete(child);
      const text = Buffer.concat(output).toString("utf8");
      process.stdout.write(`\n━━ ${title} (${((Date.now() - t0) / 1000).toFixed(1)} s)\n${text}`);
      // The spec reporter ends with the file's counts (ℹ tests N, ℹ pass N, …).
      for (const key of Object.keys(totals)) {
        const m = new RegExp(`^ℹ ${key} (\\d+)$`, "m").exec(text);
        if (m) totals[key] += Number(m[1]);
      }
      if (code !== 0) {
        // In a group, the files named by the reporter's failure list ("test at <file>:line:col").
        const named = group.filter((f) => text.includes(`test at ${f}:`));
        const how = signal ? `killed by ${signal}` : `exit ${code}`;
        for (const f of named.length > 0 ? named : group) failedFiles.push(`${f} (${how}${group.length > 1 ? `, in a group of ${group.length}` : ""})`);
        // A file that dies before its summary still counts as a failure.
        if (!/^ℹ fail /m.test(text)) totals.fail += 1;
      }
      resolve();
    });
  });
}

/** A module importing the group's files, in order (node:test runs each file's tests in turn). */
function groupEntry(group, number) {
  const dir = path.join(".tmp", "runs", run, "groups");
  mkdirSync(dir, { recursive: true });
  const entry = path.join(dir, `group-${number}.mjs`);
  writeFileSync(entry, group.map((f) => `import ${JSON.stringify(pathToFileURL(path.resolve(f)).href)};\n`).join(""));
  return entry;
}

function cleanUp() {
  rmSync(path.join(".tmp", "build-cache", run), { recursive: true, force: true });
  if (process.env.TSC_MICRO_KEEP_TMP !== "1") rmSync(path.join(".tmp", "runs", run), { recursive: true, force: true });
}

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
