/**
 * Under `tsc-micro dev`, a service's JSON log line (see the runtime's
 * telemetry/request-log.ts) is shown as a readable one-liner:
 *   `12:00:01.250 INFO  POST /isOdd 200 1.8 ms  req=known-1 trace=4bf92f35`
 * with the error after it, and its stack (development) on the lines below.
 * Any other line (the "listening on" lines, a console.log) passes unchanged.
 */

const LEVEL_COLORS: Record<string, number> = { fatal: 31, error: 31, warn: 33, debug: 2, trace: 2 };

interface LogLine {
  level: string;
  time?: unknown;
  msg?: unknown;
  duration_ms?: unknown;
  request_id?: unknown;
  trace_id?: unknown;
  error?: { type?: unknown; code?: unknown; message?: unknown; stack?: unknown };
}

export function prettyLogLine(line: string, color = false): string {
  const parsed = parseLogLine(line);
  if (!parsed) return line;
  const time = typeof parsed.time === "string" && parsed.time.length >= 23 ? parsed.time.slice(11, 23) : "";
  const label = parsed.level.toUpperCase().padEnd(5);
  const level = color && LEVEL_COLORS[parsed.level] !== undefined ? `\u001b[${LEVEL_COLORS[parsed.level]}m${label}\u001b[0m` : label;
  const parts = [time, level, String(parsed.msg ?? "")].filter((part) => part !== "");
  if (typeof parsed.duration_ms === "number") parts.push(`${parsed.duration_ms.toFixed(1)} ms`);
  const error = parsed.error;
  if (error) parts.push(`${String(error.type ?? "Error")}: ${String(error.message ?? "")}${error.code !== undefined ? ` (${String(error.code)})` : ""}`);
  const ids: string[] = [];
  if (typeof parsed.request_id === "string") ids.push(`req=${parsed.request_id}`);
  if (typeof parsed.trace_id === "string") ids.push(`trace=${parsed.trace_id.slice(0, 8)}`);
  const head = ids.length > 0 ? `${parts.join(" ")}  ${ids.join(" ")}` : parts.join(" ");
  // The stack's first line repeats the error's name and message.
  const stack = typeof error?.stack === "string" ? error.stack.split("\n").slice(1).map((frame) => `    ${frame.trim()}`) : [];
  return [head, ...stack].join("\n");
}

/** A JSON object with a string `level` and a `time`: one of the runtime's lines, as far as dev needs to know. */
function parseLogLine(line: string): LogLine | undefined {
  if (!line.startsWith("{") || !line.endsWith("}")) return undefined;
  try {
    const value = JSON.parse(line) as unknown;
    if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
    const record = value as Partial<LogLine>;
    return typeof record.level === "string" && "time" in record ? (record as LogLine) : undefined;
  } catch {
    return undefined;
  }
}
