// `tsc-micro dev --watch`'s rebuild after one function body was edited, in a process of its own:
// the builder dev uses (packages/tsc-micro/dist/incremental/watch-builder.js) builds the project
// once in full, then for each of `edits` files changes one string in the body of the file's first
// function and rebuilds, then runs the checks dev runs after the restart (TypeScript's and the
// plan's). Times each (wall clock and this process's CPU; esbuild's service is a child whose CPU
// is not counted here, hence the wall clock too). Plain JavaScript, run with plain `node`.
// Argument: JSON { project, outDir, edits, files: ["src/mod-0.ts", …] }. Prints `BENCH_RESULT <json>`.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const { project, outDir, files, repo } = JSON.parse(process.argv[2]);
const { watchBuilder } = await import(pathToFileURL(path.join(repo, "packages/tsc-micro/dist/incremental/watch-builder.js")).href);
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const w0 = performance.now();
const { result, builder } = await watchBuilder({ project, outDir });
const fullMs = performance.now() - w0;
if (!result.success) throw new Error(`the first build failed: ${JSON.stringify(result.diagnostics).slice(0, 2000)}`);

const rebuilds = [];
for (const [i, rel] of files.entries()) {
  const file = path.join(path.dirname(project), rel);
  const before = readFileSync(file, "utf8");
  // The label string of the first function of the file (`"op<i>"` or `-<i>` in a template): a body edit.
  const after = before.replace(/(label: (?:"op\d+|`\$\{invoice\.customer\.name\}-\d+))/, `$1e${i}`);
  if (after === before) throw new Error(`${rel}: no label string to edit`);
  writeFileSync(file, after);
  const t0 = performance.now();
  const c0 = cpuMs();
  const r = await builder.rebuild(new Set([file]));
  const rebuildMs = performance.now() - t0;
  const rebuildCpuMs = cpuMs() - c0;
  if (!r.result.success) throw new Error(`rebuild after editing ${rel} failed: ${JSON.stringify(r.result.diagnostics).slice(0, 2000)}`);
  let checkMs;
  if (r.how === "incremental") {
    const t1 = performance.now();
    const checked = await builder.check();
    checkMs = performance.now() - t1;
    if (checked.stale || !checked.result.success) throw new Error(`the checks after editing ${rel} disagree: ${JSON.stringify(checked.result.diagnostics).slice(0, 2000)}`);
  }
  rebuilds.push({ file: rel, how: r.how, why: r.why, rebuildMs, rebuildCpuMs, checkMs, restarted: r.changed?.length });
}
process.stdout.write(`BENCH_RESULT ${JSON.stringify({ fullMs, rebuilds })}\n`);
process.exit(0);
