/**
 * One-shot mode of a service bundle, for batch jobs, cron and process
 * managers: `node index.mjs --call <function> '<json args>'` (or the JSON on
 * stdin) makes one call and exits. The call goes through the service's own
 * Hono app in memory (`app.request()`), so validation, wire-form decoding,
 * result encoding and error bodies are exactly those of an HTTP call; no
 * port is opened, no signal handler installed, no HTTP-server limit applies.
 *
 * Output: the result (or the error body `{"error": …}`) as JSON on stdout,
 * nothing for a void function; log lines and a one-line summary of a failure
 * on stderr. The exit code says which kind of failure it was (EXIT_CODES).
 */
import { createApp } from "./create-app.js";
import type { CreateAppOptions } from "./create-app.js";
import type { ServiceDef } from "./types.js";
import { codeOfStatus, isErrorCode } from "../errors.js";
import type { ErrorCode } from "../errors.js";

/** The one table of exit codes; README "One-shot calls" documents it. */
export const EXIT_CODES = {
  /** The function answered: its JSON result is on stdout (nothing for a void function). */
  OK: 0,
  /** The function threw (500 INTERNAL), or any failure not listed below. */
  FAILED: 1,
  /** Bad command line: unknown function, missing name, extra arguments. Nothing was run. */
  USAGE: 2,
  /** The arguments are not valid JSON or do not match the function's parameter types (400). Nothing was run. */
  INVALID_ARGUMENTS: 3,
  /** A service it needed was unavailable or too slow (503/504, 429): often worth retrying later. */
  UNAVAILABLE: 4,
} as const;

export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/**
 * Each error code's exit code. Typed over every ErrorCode, so a new code in
 * errors.ts does not compile until it is classified here.
 */
const EXIT_OF_ERROR: Record<ErrorCode, ExitCode> = {
  BAD_REQUEST: EXIT_CODES.INVALID_ARGUMENTS,
  PAYLOAD_TOO_LARGE: EXIT_CODES.INVALID_ARGUMENTS,
  UNSUPPORTED_MEDIA_TYPE: EXIT_CODES.INVALID_ARGUMENTS,
  HEADERS_TOO_LARGE: EXIT_CODES.INVALID_ARGUMENTS,
  IDEMPOTENCY_KEY_REUSED: EXIT_CODES.INVALID_ARGUMENTS,
  NOT_FOUND: EXIT_CODES.USAGE,
  METHOD_NOT_ALLOWED: EXIT_CODES.USAGE,
  UNAVAILABLE: EXIT_CODES.UNAVAILABLE,
  CIRCUIT_OPEN: EXIT_CODES.UNAVAILABLE,
  TIMEOUT: EXIT_CODES.UNAVAILABLE,
  RATE_LIMITED: EXIT_CODES.UNAVAILABLE,
  REQUEST_TIMEOUT: EXIT_CODES.UNAVAILABLE,
  INTERNAL: EXIT_CODES.FAILED,
  BAD_RESPONSE: EXIT_CODES.FAILED,
  UNKNOWN_OUTCOME: EXIT_CODES.FAILED,
  CANCELLED: EXIT_CODES.FAILED,
};

/** The exit code for an answer with HTTP `status` and (for errors) the body's `code`. */
export function exitCodeOf(status: number, code?: unknown): ExitCode {
  if (status >= 200 && status < 300) return EXIT_CODES.OK;
  return EXIT_OF_ERROR[isErrorCode(code) ? code : codeOfStatus(status)];
}

/** What the command line asks for; undefined means "serve" (the default). */
export type OneShotCommand =
  | { kind: "help" }
  | { kind: "call"; name: string; /** undefined or "-": read from stdin */ json: string | undefined }
  | { kind: "usage"; message: string };

/**
 * Reads the bundle's own arguments (`process.argv.slice(2)`). Only a first
 * argument of `--call` or `--help` selects one-shot mode, so anything a
 * service was started with before keeps serving as it did.
 */
export function oneShotCommand(argv: readonly string[]): OneShotCommand | undefined {
  const [first, ...rest] = argv;
  if (first === "--help" || first === "-h") return { kind: "help" };
  let name: string | undefined;
  if (first === "--call") {
    name = rest.shift();
  } else if (first?.startsWith("--call=")) {
    name = first.slice("--call=".length);
  } else {
    return undefined;
  }
  if (name === undefined || name === "" || name.startsWith("-")) {
    return { kind: "usage", message: "--call needs a function name: --call <function> ['<json arguments>' | -]" };
  }
  if (rest.length > 1) {
    return { kind: "usage", message: `unexpected argument ${JSON.stringify(rest[1])}: pass all arguments as one JSON object, e.g. '{"x": 1}'` };
  }
  return { kind: "call", name, json: rest[0] };
}

/** Where one-shot mode reads and writes; the process's streams by default (see processIo). */
export interface OneShotIo {
  /** Writes to stdout as is. */
  out(text: string): void;
  /** Writes to stderr as is. */
  err(text: string): void;
  /** All of stdin. */
  readStdin(): Promise<Uint8Array>;
  /** True when stdin is a terminal (a hint is printed before waiting on it). */
  stdinIsTty: boolean;
}

export interface OneShotOptions extends CreateAppOptions {
  io?: OneShotIo;
}

/** Runs `command` for `def` and resolves with the exit code; never exits the process itself. */
export async function runOneShot(def: ServiceDef, command: OneShotCommand, options: OneShotOptions = {}): Promise<ExitCode> {
  const io = options.io ?? processIo();
  if (command.kind === "help") {
    io.out(usage(def));
    return EXIT_CODES.OK;
  }
  if (command.kind === "usage") return usageError(def, io, command.message);
  const route = def.routes.find((r) => r.name === command.name);
  if (!route) return usageError(def, io, `service "${def.name}" has no function ${JSON.stringify(command.name)}`);

  let body: string | Uint8Array;
  if (command.json === undefined || command.json === "-") {
    if (io.stdinIsTty) io.err(`reading the arguments of ${route.name} as JSON from stdin (end with Ctrl-D)\n`);
    body = await io.readStdin();
  } else {
    body = command.json;
  }

  // One call: no body limit (the arguments come from whoever runs the command), no queue.
  // No request log line: stdout is the answer's.
  const { app } = createApp(def, { logError: (line) => io.err(`${line}\n`), ...options, logLevel: "silent", bodyLimit: options.bodyLimit ?? Number.MAX_SAFE_INTEGER });
  const response = await app.request(`/${route.name}`, {
    method: "POST",
    // A Uint8Array is a valid body; lib.dom's BodyInit only lists ArrayBuffer-backed views.
    body: body as BodyInit,
    headers: { "content-type": "application/json" },
  });
  const text = await response.text();
  if (response.ok) {
    if (text !== "") io.out(`${text}\n`);
    return EXIT_CODES.OK;
  }
  io.out(`${text}\n`);
  const error = errorOf(text);
  const exit = exitCodeOf(response.status, error.code);
  io.err(`${def.name}: ${route.name} failed with ${String(error.code ?? response.status)} (exit ${exit}): ${error.message ?? text}\n`);
  return exit;
}

/** The `error` of an error body; fields absent when the body is not ours. */
function errorOf(text: string): { code?: unknown; message?: string } {
  try {
    const error = (JSON.parse(text) as { error?: { code?: unknown; message?: unknown } }).error;
    return { code: error?.code, message: typeof error?.message === "string" ? error.message : undefined };
  } catch {
    return {};
  }
}

function usageError(def: ServiceDef, io: OneShotIo, message: string): ExitCode {
  io.err(`${message}\n\n${usage(def)}`);
  return EXIT_CODES.USAGE;
}

/** The `--help` text: how to run the bundle, its functions, the exit codes. */
export function usage(def: ServiceDef): string {
  const functions = def.routes.map((r) => `  ${r.name}(${r.params.join(", ")})${r.returnsVoid ? "  → nothing" : ""}`);
  const exits = [
    `  ${EXIT_CODES.OK}  the result is on stdout (nothing for a void function)`,
    `  ${EXIT_CODES.FAILED}  the function threw (the error body is on stdout), or another failure`,
    `  ${EXIT_CODES.USAGE}  bad command line (unknown function, extra arguments); nothing ran`,
    `  ${EXIT_CODES.INVALID_ARGUMENTS}  invalid arguments (not JSON, or not the parameter types); nothing ran`,
    `  ${EXIT_CODES.UNAVAILABLE}  a service it calls was unavailable or too slow; retry later`,
  ];
  return `Service "${def.name}".

Usage:
  node index.mjs                                 serve HTTP on $PORT (default 8080)
  node index.mjs --call <function> '<json>'      make one call with named arguments, print its JSON result, exit
  node index.mjs --call <function> [-]           the same, with the JSON arguments read from stdin
  node index.mjs --help                          this text

Functions:
${functions.join("\n") || "  (none)"}

Example:
  node index.mjs --call ${def.routes[0]?.name ?? "<function>"} '{${def.routes[0]?.params.map((p) => `"${p}": …`).join(", ") ?? ""}}'

Exit codes:
${exits.join("\n")}
`;
}

/** The process's own streams. */
export function processIo(): OneShotIo {
  return {
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    readStdin: async function readStdin(): Promise<Uint8Array> {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    },
    stdinIsTty: process.stdin.isTTY === true,
  };
}

/**
 * Runs `command` and ends the process with its exit code once stdout and
 * stderr are flushed. Exits explicitly: a client's keep-alive sockets or a
 * timer the program left would otherwise keep a finished job alive.
 */
export async function runOneShotAndExit(def: ServiceDef, command: OneShotCommand, options: CreateAppOptions): Promise<never> {
  const code = await runOneShot(def, command, options);
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(code);
}

/** Resolves once everything written to `stream` so far has been handed to the OS. */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    stream.write("", () => resolve());
  });
}
