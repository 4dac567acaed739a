import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import type { BuildResult } from "../build.js";
import { formatDiagnostics } from "../diagnostics/format.js";
import { badArguments } from "./bad-arguments.js";
import { progressLine } from "./progress-line.js";
import type { CheckOptions } from "../check/check.js";
import type { InspectOptions } from "../inspect/inspect.js";
// The commands are imported once the command line is known to be good: they load TypeScript
// (ts-morph), most of a second of CPU, which --help, --version and a mistyped option do without.

/** Where the CLI prints; injectable for tests. */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  /** Colour and code frames, as tsc does on a terminal. */
  isTTY: boolean;
  /** Environment: `CI=true` keeps the progress line off. Default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Terminal width, to fit the progress line. */
  columns?: number;
  /** `dev`: registers the stop signals (default SIGINT and SIGTERM of this process). */
  onSignal?: (handler: (signal: NodeJS.Signals) => void) => void;
}

const HELP = `tsc-micro — split a TypeScript monolith into services at build time

Usage:
  tsc-micro build [-p tsconfig.json] [--outDir dir]
  tsc-micro dev [-p tsconfig.json] [--watch] [--no-dashboard] [--dashboard-port n]
  tsc-micro check --against <previous dist/ or openapi.json> [-p tsconfig.json] [--json]
  tsc-micro inspect [-p tsconfig.json] [--json]

Commands:
  build             Find @microservice functions and emit, per service, a bundled
                    Hono server, a Dockerfile, an OpenAPI document and a typed client.
  dev               Build, then run every service as its own process on 127.0.0.1
                    (restarted if it exits) and the entry programs; Ctrl-C stops all.
  check             Compare the services with a previous build's (the deployed one):
                    fail on changes that break its callers during a rolling deploy.
  inspect           Print the plan without building: services, functions, calls that
                    cross the network, the async it inserts, each function's schema.

Options:
  -p, --project     Path to tsconfig.json (or its folder). Default: ./tsconfig.json
  -c, --config      Configuration file. Default: tsc-micro.config.ts beside the tsconfig.json
  --outDir          Output folder. Default: dist beside the tsconfig.json
  --base-image      Base image of the Dockerfiles. Default: a pinned node slim image
  --minify          Minify the service bundles.
  --allow-any       Accept any/unknown in signatures as any JSON value.
  --monolith        Build one service holding every function (same routes, same clients).
  --no-type-check   Skip TypeScript's own type check (when tsc already ran).
  -w, --watch       dev: rebuild on source changes, restart the services that changed.
  --no-dashboard    dev: no dashboard page (and no tracing preload in the services).
  --dashboard-port  dev: the dashboard's port. Default: a free one.
  --against         check: the previous build's output folder or its openapi.json.
  --json            check, inspect: print JSON for machines.
  -h, --help        Show this help.
  -v, --version     Show the version.

Exit codes: 0 success (dev: stopped cleanly; check: no breaking change), 1 build
errors (check: a breaking change), 2 bad command line, 130 / 143 dev killed by a
second Ctrl-C / SIGTERM.
`;

/** The command line's options; unknown ones are told apart from these (bad-arguments.ts). */
const OPTIONS = {
  project: { type: "string", short: "p" },
  config: { type: "string", short: "c" },
  outDir: { type: "string" },
  "base-image": { type: "string" },
  minify: { type: "boolean" },
  "allow-any": { type: "boolean" },
  monolith: { type: "boolean" },
  // Spelled out rather than parseArgs' allowNegative, which needs Node ≥ 20.16.
  "no-type-check": { type: "boolean" },
  watch: { type: "boolean", short: "w" },
  "no-dashboard": { type: "boolean" },
  "dashboard-port": { type: "string" },
  against: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "v" },
} as const;

/** Runs the CLI with `args` (without `node` and the script); returns the exit code. */
export async function main(args: readonly string[], io: CliIO): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: OPTIONS,
    });
  } catch (e) {
    io.stderr(badArguments(e, args, OPTIONS));
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) return io.stdout(HELP), 0;
  if (values.version) return io.stdout(`${version()}\n`), 0;
  const [command, ...rest] = positionals;
  if (!(command === "build" || command === "dev" || command === "check" || command === "inspect") || rest.length > 0) {
    io.stderr(command ? `error: unknown command '${[command, ...rest].join(" ")}'\n\n${HELP}` : HELP);
    return 2;
  }
  if (values.watch && command !== "dev") {
    io.stderr(`error: option '--watch' belongs to 'tsc-micro dev'\nRun 'tsc-micro dev --watch' to rebuild and restart the services on changes.\n`);
    return 2;
  }
  const dashboardPort = values["dashboard-port"];
  if ((values["no-dashboard"] || dashboardPort !== undefined) && command !== "dev") {
    io.stderr(`error: option '${values["no-dashboard"] ? "--no-dashboard" : "--dashboard-port"}' belongs to 'tsc-micro dev'\n`);
    return 2;
  }
  if (dashboardPort !== undefined && !(/^\d+$/.test(dashboardPort) && Number(dashboardPort) <= 65535)) {
    io.stderr(`error: option '--dashboard-port' needs a port number (0–65535), got '${dashboardPort}'\n`);
    return 2;
  }
  const misplaced = misplacedOption(command, values);
  if (misplaced) return io.stderr(misplaced), 2;
  if (command === "check" || command === "inspect") {
    const common = {
      cwd: io.cwd,
      ...(values.project ? { project: values.project } : {}),
      ...(values.config ? { config: values.config } : {}),
      ...(values["allow-any"] ? { allowAny: true } : {}),
      ...(values.monolith ? { mode: "monolith" as const } : {}),
    };
    return command === "check" ? checkCommand({ ...common, against: values.against! }, values.json === true, io) : inspectCommand(common, values.json === true, io);
  }
  if (command === "dev") {
    const { devCommand } = await import("./dev-command.js");
    return devCommand(
      {
        cwd: io.cwd,
        ...(values.project ? { project: values.project } : {}),
        ...(values.config ? { config: values.config } : {}),
        ...(values.outDir ? { outDir: values.outDir } : {}),
        ...(values["allow-any"] ? { allowAny: true } : {}),
        ...(values.monolith ? { mode: "monolith" as const } : {}),
        ...(values["no-type-check"] ? { typeCheck: false } : {}),
        ...(values.watch ? { watch: true } : {}),
        dashboard: values["no-dashboard"] ? false : dashboardPort !== undefined ? { port: Number(dashboardPort) } : true,
      },
      { stdout: io.stdout, report: (result) => report(result, io), isTTY: io.isTTY, ...(io.onSignal ? { onSignal: io.onSignal } : {}) },
    );
  }
  // A line of progress on a terminal, never in CI logs or pipes (progress-line.ts).
  const progress = io.isTTY && (io.env ?? process.env).CI !== "true" ? progressLine({ write: io.stderr, ...(io.columns ? { columns: io.columns } : {}) }) : undefined;
  const { build } = await import("../build.js");
  const result = await build({
    cwd: io.cwd,
    ...(progress ? { onProgress: progress.onProgress } : {}),
    ...(values.project ? { project: values.project } : {}),
    ...(values.config ? { config: values.config } : {}),
    ...(values.outDir ? { outDir: values.outDir } : {}),
    ...(values["base-image"] ? { baseImage: values["base-image"] } : {}),
    ...(values.minify ? { minify: true } : {}),
    ...(values["allow-any"] ? { allowAny: true } : {}),
    ...(values.monolith ? { mode: "monolith" as const } : {}),
    ...(values["no-type-check"] ? { typeCheck: false } : {}),
  }).finally(() => progress?.done());
  report(result, io);
  if (!result.success) return 1;
  io.stdout(summary(result, io.cwd));
  io.stdout(await installHint(result, io.cwd));
  return 0;
}

/** `--against` and `--json` belong to check and inspect, the build's output options to build and dev; a command without what it needs is a bad command line. */
function misplacedOption(command: string, values: { against?: string | undefined; json?: boolean | undefined; outDir?: string | undefined; "base-image"?: string | undefined; minify?: boolean | undefined }): string | undefined {
  const reads = command === "check" || command === "inspect";
  if (command === "check" && values.against === undefined) {
    return "error: 'tsc-micro check' needs --against <dir or file>: the previous build's output folder (or its openapi.json)\nKeep the deployed build's openapi.json as an artifact and pass it here.\n";
  }
  if (values.against !== undefined && command !== "check") return `error: option '--against' belongs to 'tsc-micro check'\n`;
  if (values.json && !reads) return `error: option '--json' belongs to 'tsc-micro check' and 'tsc-micro inspect'\n`;
  const written = values.outDir !== undefined ? "--outDir" : values["base-image"] !== undefined ? "--base-image" : values.minify ? "--minify" : undefined;
  if (written && reads) return `error: option '${written}' belongs to 'tsc-micro build': '${command}' writes nothing\n`;
  return undefined;
}

/** `tsc-micro check`: breaking changes as diagnostics (stderr), the rest and the totals on stdout; `--json`: one document on stdout. */
async function checkCommand(options: CheckOptions, json: boolean, io: CliIO): Promise<number> {
  const [{ check }, { checkExitCode, formatCheckJson, formatCheckReport }] = await Promise.all([import("../check/check.js"), import("../check/report.js")]);
  const result = await check(options);
  if (json) {
    io.stdout(formatCheckJson(result, io.cwd));
    return checkExitCode(result);
  }
  const text = formatCheckReport(result, { cwd: io.cwd, ...(io.isTTY ? { color: true, readFile: readFrom(io.cwd) } : {}) });
  if (text.diagnostics) io.stderr(text.diagnostics);
  if (text.summary) io.stdout(text.summary);
  return checkExitCode(result);
}

/** `tsc-micro inspect`: the plan as text or JSON on stdout; problems as a build prints them. */
async function inspectCommand(options: InspectOptions, json: boolean, io: CliIO): Promise<number> {
  const [{ inspect }, { formatInspect }] = await Promise.all([import("../inspect/inspect.js"), import("../inspect/format.js")]);
  const result = await inspect(options);
  report(result, io);
  if (!result.view) return 1;
  io.stdout(json ? `${JSON.stringify(result.view, null, 2)}\n` : formatInspect(result.view, { cwd: io.cwd, rootDir: result.rootDir }));
  return 0;
}

function readFrom(cwd: string): (file: string) => string | undefined {
  return (file) => {
    try {
      return readFileSync(path.resolve(cwd, file), "utf8");
    } catch {
      return undefined;
    }
  };
}

/** Prints a build's diagnostics, tsc style (a code frame on a terminal). */
function report(result: Pick<BuildResult, "diagnostics" | "rootDir">, io: CliIO): void {
  if (result.diagnostics.length === 0) return;
  const shown = result.diagnostics.map((d) => (d.file ? { ...d, file: relativeToCwd(io.cwd, result.rootDir, d.file) } : d));
  const read = (file: string) => {
    try {
      return readFileSync(path.resolve(io.cwd, file), "utf8");
    } catch {
      return undefined;
    }
  };
  io.stderr(formatDiagnostics(shown, io.isTTY ? { color: true, readFile: read } : {}));
}

/** Diagnostics carry project-relative paths; print them relative to where the user is, like tsc. */
function relativeToCwd(cwd: string, rootDir: string, file: string): string {
  return path.relative(cwd, path.join(rootDir, file)).split(path.sep).join("/");
}

/** The services with their routes and bundle sizes, then the entry points with theirs and the services they call. */
function summary(result: BuildResult, cwd: string): string {
  const services = result.services.flatMap((s) => s.routes.map((route, i) => [i === 0 ? s.name : "", route, i === 0 ? formatBytes(s.bundleBytes) : ""]));
  const entries = (result.entries ?? []).map((e) => [e.name, `entries/${e.name}/index.mjs`, formatBytes(e.bundleBytes), e.dependencies.join(", ") || "-"]);
  const out = path.relative(cwd, result.outDir) || ".";
  const built = [plural(result.services.length, "service"), ...(entries.length > 0 ? [plural(entries.length, "entry point")] : [])].join(" and ");
  return [
    ...table(["service", "route", "bundle"], services, [2]),
    ...(entries.length > 0 ? ["", ...table(["entry", "bundle", "size", "calls"], entries, [2])] : []),
    "",
    `Built ${built} into ${out}/`,
    "",
  ].join("\n");
}

/** A plain-text table: header, rule, rows; columns in `right` are right-aligned. */
function table(header: string[], rows: string[][], right: number[]): string[] {
  const widths = header.map((_, c) => Math.max(...[header, ...rows].map((r) => r[c]!.length)));
  const line = (r: string[]) => r.map((cell, c) => (right.includes(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join("  ").trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)];
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/** The clients import the runtime this build embeds: the one command a project using them runs. */
async function installHint(result: BuildResult, cwd: string): Promise<string> {
  const { runtimeInstallCommand } = await import("../emit/runtime-package.js");
  const clients = path.relative(cwd, path.join(result.outDir, "clients")).split(path.sep).join("/");
  return `\nA project that imports ${clients}/ needs the runtime:\n  ${runtimeInstallCommand()}\n`;
}

function formatBytes(n: number): string {
  return n < 1024 ? `${n} B` : `${(n / 1024).toFixed(1)} KiB`;
}

function version(): string {
  const pkg = new URL("../../package.json", import.meta.url);
  return (JSON.parse(readFileSync(pkg, "utf8")) as { version: string }).version;
}
