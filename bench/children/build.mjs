// One tsc-micro build in a process of its own, so that its time and peak memory
// are its own. Plain JavaScript, run with plain `node`: no tsx loader in the
// measurement. Argument: JSON BuildOptions. Prints one line `BENCH_RESULT <json>`.
import { statSync } from "node:fs";
import { join } from "node:path";
const t0 = performance.now();
const { build, formatDiagnostics } = await import("tsc-micro");
const t1 = performance.now();
const options = JSON.parse(process.argv[2] ?? "{}");
const result = await build(options);
const t2 = performance.now();
const out = {
  success: result.success,
  importMs: t1 - t0,
  buildMs: t2 - t1,
  maxRssKiB: process.resourceUsage().maxRSS,
  diagnostics: result.success ? "" : formatDiagnostics(result.diagnostics).slice(0, 4000),
  services: (result.plan?.services ?? []).map((s) => ({
    name: s.name,
    envVar: s.envVar,
    clientName: s.clientName,
    dependencies: s.dependencies,
    routes: s.routes.map((r) => r.name),
  })),
  bundleBytes: Object.fromEntries(result.services.map((s) => [s.name, s.bundleBytes])),
  // The chunks the services share (services/_chunks/), each once.
  chunkBytes: Object.fromEntries([...new Set(result.services.flatMap((s) => s.chunks))].map((c) => [c, statSync(join(result.outDir, c)).size])),
};
process.stdout.write(`BENCH_RESULT ${JSON.stringify(out)}\n`);
