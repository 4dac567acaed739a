// Which test files share a process. Every test file costs ~0.5 s of CPU to start under tsx and,
// when it imports the compiler, ~0.8 s more for ts-morph and ~1.5 s to parse TypeScript's lib
// files for its first project (shared by every later project in the same process:
// packages/tsc-micro/src/program/open-project.ts). Run one at a time, the 77 unit test files
// that can share took 197 s of CPU; run in one process, 57 s. So files that cannot disturb
// each other run in groups, each group one `node` process that imports its files in turn
// (node:test runs their top-level tests one after another, as it does for one file).
//
// A file runs in a process of its own when:
//  - it is in `long` (it keeps a pool slot busy by itself, and sharing gains it little);
//  - it has top-level hooks: node:test gives those to the process's root test, so another
//    file's tests would see them (a top-level beforeEach runs before every test in the process);
//  - it changes what a later file in the process would see: assigns process.env, enables the
//    global mock timers, changes directory, registers a global OpenTelemetry SDK (files that
//    check there is none would fail), or says so with a line `// test-process: own — <why>`.
import { readFileSync } from "node:fs";

/** Files a group holds at most: enough to share the start-up, few enough to keep the pool busy. */
export const GROUP_SIZE = 10;

const OWN_PROCESS = [
  /^\/\/ test-process: own\b/m,
  /^(before|after|beforeEach|afterEach)\(/m,
  /process\.env(\.\w+|\[[^\]]+\])\s*=[^=]/,
  /(^|[^.\w])mock\.timers\./m,
  /process\.chdir\(/,
  // A global OpenTelemetry SDK (packages/runtime/test/otel-memory.ts registers one).
  /registerMemoryTracing\(|setGlobalTracerProvider\(/,
];

/** Why `file` needs a process of its own, or undefined if it can share one. */
export function ownProcessReason(text) {
  const hit = OWN_PROCESS.find((pattern) => pattern.test(text));
  return hit && String(hit);
}

/**
 * The processes to run, in order: each `{ files }` with one file or a group. The `long` files
 * first (in `long`'s order), then the groups, then the other files alone, in name order.
 * `read` gives a file's text (the file system's, unless a test gives its own).
 */
export function planProcesses(files, long, read = (f) => readFileSync(f, "utf8")) {
  const rank = (f) => {
    const i = long.findIndex((name) => f.includes(name));
    return i === -1 ? long.length : i;
  };
  const sorted = [...files].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const first = [];
  const shareable = [];
  const alone = [];
  for (const f of sorted) {
    if (rank(f) < long.length) first.push({ files: [f] });
    else if (ownProcessReason(read(f)) === undefined) shareable.push(f);
    else alone.push({ files: [f] });
  }
  const groups = [];
  // Neighbours by name share a group: files of one family import the same modules.
  for (let i = 0; i < shareable.length; i += GROUP_SIZE) groups.push({ files: shareable.slice(i, i + GROUP_SIZE) });
  return [...first, ...groups, ...alone];
}
