// `npm run bench`: every benchmark section side by side in one run, each printed
// as a markdown table and all written to bench/results/latest.md.
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { RESULTS, REPO, readConfig } from "./lib/config.ts";
import type { BenchConfig } from "./lib/config.ts";
import { installCleanup, killAllNow, liveCount } from "./lib/procs.ts";
import type { Section } from "./lib/section.ts";
import { throughput } from "./sections/throughput.ts";
import { callCost } from "./sections/call-cost.ts";
import { weaver } from "./sections/weaver.ts";
import { buildCost } from "./sections/build-cost.ts";
import { startup } from "./sections/startup.ts";
import { instructions } from "./sections/instructions.ts";
import { hopSplit } from "./sections/hop-split.ts";

const SECTIONS: Section[] = [throughput, callCost, weaver, buildCost, startup, instructions, hopSplit];

installCleanup();
const config = readConfig();
const started = Date.now();

// Whatever hangs, the run ends: past the limit every child is killed and we exit 1.
const watchdog = setTimeout(() => {
  console.error(`\nbench: over BENCH_TIMEOUT_S=${config.timeoutS} s, killing everything`);
  killAllNow();
  process.exit(1);
}, config.timeoutS * 1000);
watchdog.unref();

function gitCommit(): string {
  try {
    const sha = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: REPO, encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], { cwd: REPO, encoding: "utf8" }).trim();
    return dirty ? `${sha} (with uncommitted changes)` : sha;
  } catch {
    return "unknown";
  }
}

function header(c: BenchConfig): string {
  const cpus = os.cpus();
  const models = [...new Set(cpus.map((cpu) => cpu.model.trim()))].join(", ");
  return [
    "# tsc-micro benchmarks: what a split costs",
    "",
    `- date: ${new Date(started).toISOString()}`,
    `- CPU: ${models} × ${cpus.length} (os.cpus())`,
    `- memory: ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB; load average at start: ${os.loadavg().map((l) => l.toFixed(2)).join(", ")}`,
    `- Node ${process.version} on ${os.platform()} ${os.release()} (${os.arch()})`,
    `- commit: ${gitCommit()}`,
    `- mode: ${c.quick ? "BENCH_QUICK=1 (smoke run: short loads, small samples)" : "full"}; loads: ${c.connections} connections, pipelining 1, ${c.warmupS} s warm-up + ${c.durationS} s measured (BENCH_DURATION_S), ${c.rounds} interleaved rounds in section 1 (BENCH_ROUNDS)`,
    "- everything runs on this one machine over 127.0.0.1: load generator, clients and servers share its cores, so read ratios rather than absolute numbers",
  ].join("\n");
}

async function main(): Promise<number> {
  const parts: string[] = [header(config)];
  console.log(`${parts[0]}\n`);
  let failed = 0;
  for (const section of SECTIONS) {
    if (!config.sections.includes(section.id)) continue;
    const title = `## ${section.id}. ${section.title}`;
    console.log(`${title}\n`);
    const t0 = Date.now();
    try {
      const r = await section.run(config);
      const seconds = ((Date.now() - t0) / 1000).toFixed(1);
      const text = [title, "", "Method:", "", ...r.method.map((m) => `- ${m}`), `- section wall time: ${seconds} s`, "", r.body].join("\n");
      parts.push(text);
      console.log(`\n${r.body}\n\n(${seconds} s)\n`);
    } catch (e) {
      failed++;
      const message = e instanceof Error ? (e.stack ?? e.message) : String(e);
      parts.push([title, "", "**FAILED**", "", "```", message, "```"].join("\n"));
      console.error(`section ${section.id} failed:\n${message}\n`);
    }
    if (liveCount() > 0) {
      console.error(`bench: section ${section.id} left ${liveCount()} process(es) running; killing them`);
      killAllNow();
    }
  }
  const wall = ((Date.now() - started) / 1000).toFixed(1);
  parts.push(`---\n\nTotal wall time: ${wall} s${failed ? `; ${failed} section(s) FAILED` : ""}.`);
  mkdirSync(RESULTS, { recursive: true });
  const out = path.join(RESULTS, "latest.md");
  writeFileSync(out, `${parts.join("\n\n")}\n`);
  console.log(`wrote ${path.relative(process.cwd(), out)} (total ${wall} s)`);
  return failed ? 1 : 0;
}

let code = 1;
try {
  code = await main();
} catch (e) {
  console.error(e);
} finally {
  killAllNow();
}
process.exit(code);
