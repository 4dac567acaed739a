/**
 * `tsc-micro inspect` as text: one block per service (and entry point) with
 * its functions, the calls its code makes to tagged functions and the
 * functions the rewrite makes async; paths relative to where the user is.
 * `--json` prints the view itself.
 */
import path from "node:path";
import type { AsyncView, CallView, FunctionView, InspectView, ServiceView, SourcePoint } from "./types.js";

export function formatInspect(view: InspectView, options: { cwd: string; rootDir: string }): string {
  const at = (p: SourcePoint) => `${path.relative(options.cwd, path.join(options.rootDir, p.file)).split(path.sep).join("/")}(${p.line},${p.column})`;
  const lines: string[] = [
    `${view.project.name} ${view.project.version}: ${plural(view.services.length, "service")}, ${plural(view.entries.length, "entry point")} (the plan of a build; nothing written)`,
  ];
  for (const s of view.services) {
    lines.push("", `service ${s.name}  ${s.url} (${s.envVar})${serviceOptions(s)}`);
    lines.push("  functions", ...table(s.functions.map((f) => [at(f), `${f.signature}${functionOptions(f)}`])));
    section(lines, s.calls, s.async, at);
  }
  for (const e of view.entries) {
    lines.push("", `entry ${e.name}  ${e.file}${e.dependencies.length > 0 ? `, calls ${e.dependencies.join(", ")}` : ""}`);
    section(lines, e.calls, e.async, at);
  }
  return `${lines.join("\n")}\n`;
}

function section(lines: string[], calls: readonly CallView[], asyncs: readonly AsyncView[], at: (p: SourcePoint) => string): void {
  lines.push("  calls", ...(calls.length > 0 ? table(calls.map((c) => [at(c), c.kind, `${c.from} → ${c.callee}${c.kind === "network" ? ` (service ${c.service})` : ""}${awaitText(c)}`])) : ["    none"]));
  lines.push("  made async", ...(asyncs.length > 0 ? table(asyncs.map((a) => [at(a), a.function, `${a.reason}, at ${at(a.because)}`])) : ["    none"]));
}

function awaitText(c: CallView): string {
  return c.await === "inserted" ? ", await inserted" : c.await === "written" ? ", awaited in the source" : "";
}

function serviceOptions(s: ServiceView): string {
  const parts = [
    ...(s.dependencies.length > 0 ? [`calls ${s.dependencies.join(", ")}`] : []),
    ...(s.options.replicas !== undefined ? [`replicas=${s.options.replicas}${s.options.maxReplicas !== undefined ? `..${s.options.maxReplicas}` : ""}`] : []),
    ...(s.options.concurrency !== undefined ? [`concurrency=${s.options.concurrency}`] : []),
    ...(s.options.tags?.length ? [`tags=${s.options.tags.join(",")}`] : []),
  ];
  return parts.length > 0 ? `, ${parts.join(", ")}` : "";
}

function functionOptions(f: FunctionView): string {
  const parts = [
    ...(f.async ? ["async"] : []),
    ...(f.options.retry !== undefined ? [`retry=${f.options.retry}`] : []),
    ...(f.options.timeoutMs !== undefined ? [`timeout=${duration(f.options.timeoutMs)}`] : []),
    ...(f.options.idempotent ? ["idempotent"] : []),
  ];
  return parts.length > 0 ? `  [${parts.join(" ")}]` : "";
}

/** A deadline as the tag writes it: `2s`, `1m`, `500ms`. */
function duration(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000}m` : ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** Rows indented under a heading, columns padded to their widest cell (the last one left as it is). */
function table(rows: readonly string[][]): string[] {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => r[c]!.length))) ?? [];
  return rows.map((r) => `    ${r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join("  ")}`.trimEnd());
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

