/**
 * One JSON line per request, written by pino to stdout (fd 1; no worker-thread
 * transport, which an esbuild bundle cannot load) through a bounded, asynchronous
 * buffer (stdout-lines.ts): a slow reader of the logs never holds up a call.
 * `tsc-micro dev` shows the lines as readable one-liners
 * (packages/tsc-micro/src/dev/pretty-log.ts).
 */
import { pino } from "pino";
import type { DestinationStream, LevelWithSilent, Logger } from "pino";
import { stdoutLines } from "./stdout-lines.js";
import { isoNow } from "./iso-now.js";

/** The levels LOG_LEVEL accepts, most severe first. */
export const LOG_LEVELS: readonly LevelWithSilent[] = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];
export const REQUEST_ID_HEADER = "x-request-id";

/** `LOG_LEVEL` (default info); anything else stops the start, naming the variable. */
export function logLevelFromEnv(env: Record<string, string | undefined>): LevelWithSilent {
  const value = env.LOG_LEVEL;
  if (value === undefined || value.trim() === "") return "info";
  const level = value.trim().toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new RangeError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}, got "${value}"`);
  }
  return level as LevelWithSilent;
}

/**
 * The service's logger: `{"level":"info","time":"…","service":"…",…,"msg":"…"}`.
 * No pid or hostname (nothing a response would not show); ISO time; level as its name.
 */
export function createLogger(service: string, level: LevelWithSilent, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service },
      timestamp: () => `,"time":"${isoNow()}"`,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination ?? stdoutLines(process.env),
  );
}

/** Whether a caller's `x-request-id` is kept: a plain token (letters, digits, `._:-`, at most 128; ASCII, never escaped). */
export function isRequestToken(header: string | null | undefined): header is string {
  return header !== null && header !== undefined && /^[A-Za-z0-9._:-]{1,128}$/.test(header);
}

/** What a request's line says; `error` comes from the error answer itself, so it shows nothing the caller did not see. */
export interface RequestRecord {
  method: string;
  function: string | undefined;
  path: string;
  status: number;
  durationMs: number;
  requestId: string;
  traceId: string | undefined;
  spanId: string | undefined;
  error: { type?: unknown; code?: unknown; message?: unknown; stack?: unknown } | undefined;
}

/** 5xx at error, 4xx at warn, the rest at info; health checks and scrapes at debug (probes every few seconds). */
export function levelOf(record: Pick<RequestRecord, "status" | "function">): "error" | "warn" | "info" | "debug" {
  if (record.status >= 500) return "error";
  if (record.status >= 400) return "warn";
  return record.function === undefined ? "debug" : "info";
}

export function writeRequestLine(logger: Logger, record: RequestRecord): void {
  const level = levelOf(record);
  if (!logger.isLevelEnabled(level)) return;
  const line: Record<string, unknown> = {
    function: record.function,
    status: record.status,
    duration_ms: Math.round(record.durationMs * 1000) / 1000,
    request_id: record.requestId,
  };
  if (record.function === undefined) line.path = record.path;
  if (record.traceId !== undefined) line.trace_id = record.traceId;
  if (record.spanId !== undefined) line.span_id = record.spanId;
  // Not `err`: pino would pass that through its Error serializer.
  if (record.error !== undefined) line.error = record.error;
  logger[level](line, `${record.method} ${record.path} ${record.status}`);
}
