// One tsc-micro build in a process of its own, so that its time and peak memory
// are its own. Plain JavaScript, run with plain `node`: no tsx loader in the
// measurement. Argument: JSON BuildOptions. Prints one line `BENCH_RESULT <json>`.
// CPU is measured too: this process's own per phase (from the build's progress
// events) and esbuild's service process, a child this one never waits for (so
// neither its own resource usage nor GNU time counts it), read from /proc.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
const t0 = performance.now();
const { build, formatDiagnostics } = await import("tsc-micro");
const t1 = performance.now();
const options = JSON.parse(process.argv[2] ?? "{}");
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
// Each phase's CPU runs from its progress event to the next; "setup" is everything before the first
// (starting Node, importing tsc-micro and TypeScript, the configuration, reading the program).
const marks = [];
const result = await build({ ...options, onProgress: (e) => marks.push([e.phase, cpuMs()]) });
const t2 = performance.now();
const end = cpuMs();
const phaseCpuMs = Object.fromEntries(marks.map(([phase, at], i) => [phase, (marks[i + 1]?.[1] ?? end) - at]));
phaseCpuMs.setup = marks.length > 0 ? marks[0][1] : end;
const out = {
  success: result.success,
  importMs: t1 - t0,
  buildMs: t2 - t1,
  maxRssKiB: process.resourceUsage().maxRSS,
  cpuMs: end,
  esbuildCpuMs: childrenCpuMs(),
  phaseCpuMs,
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

/** CPU of this process's live children (esbuild's service) from /proc/<pid>/stat (utime + stime), or null off Linux. */
function childrenCpuMs() {
  let ticks = 0;
  try {
    for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
      let stat;
      try {
        stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      } catch {
        continue; // gone meanwhile
      }
      // Fields after the command name (which may hold spaces): state, ppid, …; utime and stime are fields 14 and 15.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[1]) === process.pid) ticks += Number(fields[11]) + Number(fields[12]);
    }
  } catch {
    return null;
  }
  // Clock ticks: 100 per second on Linux (sysconf(_SC_CLK_TCK), which Node does not expose).
  return ticks * 10;
}
