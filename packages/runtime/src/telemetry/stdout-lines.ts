/**
 * Where a service's JSON lines go: stdout, gathered and written in chunks of
 * at least 16 KiB (or every 250 ms, TSC_MICRO_LOG_FLUSH_MS), never waiting for the reader. stdout is a
 * pipe under Docker, Kubernetes and `tsc-micro dev`; pino's own destination
 * (sonic-boom) in synchronous mode sleeps the whole event loop 100 ms per try
 * when that pipe is full (with a slow log reader the service sat idle 85 % of
 * a load test), and in asynchronous mode it measures the byte length of its
 * whole pending chunk on every line and hands each chunk to a pool thread.
 *
 * The backlog is bounded (TSC_MICRO_LOG_BUFFER bytes, default 1 MiB): past it
 * a line is dropped and counted, and a warning line says how many once there
 * is room again. The service answers whatever stdout does.
 */
import fs from "node:fs";
import type { DestinationStream } from "pino";
import { integerFromEnv, POSITIVE, TIMER_MS } from "../env-integer.js";
import { isoNow } from "./iso-now.js";

/** Longest a line waits in the buffer before it is written (TSC_MICRO_LOG_FLUSH_MS). */
export const DEFAULT_LOG_FLUSH_MS = 250;
/** Lines are written once this many bytes wait (or at the next flush): 4 KiB cost ~1 µs a line more. */
const MIN_WRITE = 16 * 1024;
/** The reused buffer lines are encoded into. */
const CHUNK = 64 * 1024;
/** Pause before trying a full pipe again. */
const RETRY_FULL_MS = 50;
export const DEFAULT_LOG_BUFFER = 1024 * 1024;

/**
 * A bounded line writer to a file descriptor that never waits for it. Lines are encoded straight
 * into one reused buffer, written with one write(2) once 16 KiB wait, on a non-blocking pipe
 * (or a file); what a full pipe does not take (EAGAIN, or a short write) is copied aside and
 * tried again on a timer. Synchronous on purpose: an asynchronous fs.write per chunk goes
 * through libuv's thread pool, whose hand-offs cost more on a busy 2-core machine than the
 * rest of a line (measured as service CPU per call, see the README's "Logs").
 */
export class LineBuffer implements DestinationStream {
  readonly #chunk = Buffer.allocUnsafe(CHUNK);
  #used = 0;
  /** What a full pipe did not take yet, oldest first; written before anything newer. */
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #retry: NodeJS.Timeout | undefined;
  #dropped = 0;

  constructor(
    private readonly fd: number,
    private readonly maxBytes: number,
  ) {}

  /** Lines dropped since the last warning. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Bytes waiting to be written. */
  get backlog(): number {
    return this.#used + this.#pendingBytes;
  }

  write(line: string): void {
    // A UTF-16 unit is at most 3 bytes of UTF-8: an upper bound without measuring the line.
    const most = line.length * 3;
    // The exact length (a walk over the line) only near the bound: at a line per call it showed.
    if (this.backlog + most > this.maxBytes && this.backlog + Buffer.byteLength(line) > this.maxBytes) {
      this.#dropped++;
      return;
    }
    if (this.#used + most > CHUNK) {
      this.#setAside();
      if (most > CHUNK) {
        this.#keep(Buffer.from(line));
        this.flush();
        return;
      }
    }
    this.#used += this.#chunk.write(line, this.#used);
    if (this.#used >= MIN_WRITE) this.flush();
  }

  /**
   * A line written by `fill` straight into the buffer's bytes, for the line per call
   * (info-line.ts), which is made without a string: `fill(buffer, at)` writes at most `most` bytes
   * from `at` and returns where the line ends. The bound counts as the line's size for the backlog.
   * False (nothing written) when `most` is more than the buffer holds: write the line as a string.
   */
  writeWith(most: number, fill: (buffer: Buffer, at: number) => number): boolean {
    if (most > CHUNK) return false;
    if (this.backlog + most > this.maxBytes) {
      this.#dropped++;
      return true;
    }
    if (this.#used + most > CHUNK) this.#setAside();
    this.#used = fill(this.#chunk, this.#used);
    if (this.#used >= MIN_WRITE) this.flush();
    return true;
  }

  /** Writes what waits, as far as the descriptor takes it; a warning first if lines were dropped and there is room again. */
  flush(): void {
    if (this.#dropped > 0 && this.backlog < this.maxBytes / 2) {
      const count = this.#dropped;
      this.#dropped = 0;
      const message = `${count} log line(s) dropped: stdout did not keep up (backlog over ${this.maxBytes} bytes, TSC_MICRO_LOG_BUFFER)`;
      this.write(`${JSON.stringify({ level: "warn", time: isoNow(), dropped: count, msg: message })}\n`);
    }
    while (this.#pending.length > 0) {
      const first = this.#pending[0]!;
      const left = this.#writeSome(first, first.length);
      if (left === 0) {
        this.#pending.shift();
        this.#pendingBytes -= first.length;
        continue;
      }
      this.#pending[0] = first.subarray(first.length - left);
      this.#pendingBytes -= first.length - left;
      break;
    }
    if (this.#pending.length === 0 && this.#used > 0) {
      const left = this.#writeSome(this.#chunk, this.#used);
      if (left > 0) this.#keep(Buffer.from(this.#chunk.subarray(this.#used - left, this.#used)));
      this.#used = 0;
    }
    if (this.#pending.length > 0 && this.#retry === undefined) {
      this.#retry = setTimeout(() => {
        this.#retry = undefined;
        this.flush();
      }, RETRY_FULL_MS);
      this.#retry.unref();
    }
  }

  /** Resolves once every line so far has been written (or dropped), or after `timeoutMs`. */
  async drained(timeoutMs: number): Promise<void> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      this.flush();
      if (this.backlog === 0 || Date.now() >= until) return;
      await new Promise((resolve) => setTimeout(resolve, RETRY_FULL_MS));
    }
  }

  /** The lines in the reused buffer, copied aside to make room (behind what waits already). */
  #setAside(): void {
    if (this.#used === 0) return;
    this.#keep(Buffer.from(this.#chunk.subarray(0, this.#used)));
    this.#used = 0;
  }

  #keep(bytes: Buffer): void {
    this.#pending.push(bytes);
    this.#pendingBytes += bytes.length;
  }

  /** Bytes of `buffer[0, length)` left after one write(2); 0 when all went (or the descriptor is gone). */
  #writeSome(buffer: Buffer, length: number): number {
    try {
      return length - fs.writeSync(this.fd, buffer, 0, length);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // A full pipe: later. Anything else (EPIPE: nobody reads any more): those lines are lost either way.
      return code === "EAGAIN" || code === "EBUSY" ? length : 0;
    }
  }
}

let stdout: LineBuffer | undefined;

/**
 * The process's one stdout buffer, shared by every service app in it; TSC_MICRO_LOG_BUFFER and
 * TSC_MICRO_LOG_FLUSH_MS are read on first use. Above ~220 lines a second (16 KiB of ~300-byte
 * lines per 250 ms) chunks fill before the timer fires; below it the timer writes what waits.
 */
export function stdoutLines(env: Record<string, string | undefined>): DestinationStream {
  if (stdout === undefined) {
    const lines = new LineBuffer(1, integerFromEnv(env, "TSC_MICRO_LOG_BUFFER", POSITIVE) ?? DEFAULT_LOG_BUFFER);
    // Node makes a stdout pipe non-blocking when it opens process.stdout: a full pipe then answers
    // EAGAIN instead of stopping the process in write(2).
    void process.stdout;
    flushEvery(lines, env);
    // At exit, one last try; a full pipe gets no more.
    process.once("exit", () => lines.flush());
    stdout = lines;
  }
  return stdout;
}

/** Writes what `lines` holds every TSC_MICRO_LOG_FLUSH_MS (default 250) ms; the timer does not keep the process alive. */
export function flushEvery(lines: LineBuffer, env: Record<string, string | undefined>): NodeJS.Timeout {
  const ms = integerFromEnv(env, "TSC_MICRO_LOG_FLUSH_MS", TIMER_MS) ?? DEFAULT_LOG_FLUSH_MS;
  return setInterval(() => lines.flush(), ms).unref();
}

/** Writes out the lines that wait, waiting at most `timeoutMs` (a stopping service calls it before it exits). */
export function flushStdoutLines(timeoutMs: number): Promise<void> {
  return stdout ? stdout.drained(timeoutMs) : Promise.resolve();
}
