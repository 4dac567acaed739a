/**
 * Keeps one service bundle running as a child process on a fixed port, as
 * go-micro's `micro run -r` does: an exit it did not ask for is followed by a
 * restart after a growing wait, and a crash loop is said out loud. The port
 * never changes, so the URLs other services were given stay right.
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { prefixLines } from "./prefix-lines.js";

export interface SupervisorOptions {
  name: string;
  /** The bundle to run (`node <file>`), from its own folder. */
  file: string;
  port: number;
  /** Environment of the child, besides PORT and HOST. */
  env: Record<string, string>;
  /** Where the child's output lines go, already prefixed. */
  write: (text: string) => void;
  /** Where the supervisor's own messages go (started, exited, restarting, crash loop). */
  say: (line: string) => void;
  /** Colour of the prefix on a terminal (an ANSI SGR code), or undefined for none. */
  color?: number;
  /** Node options before the file, e.g. the dashboard's tracing preload (`--import <file>`). */
  nodeArgs?: readonly string[];
}

/** Restart waits: 250 ms, 500 ms, 1 s … up to 10 s; reset after a minute of running. */
const FIRST_WAIT_MS = 250;
const MAX_WAIT_MS = 10_000;
const STABLE_MS = 60_000;
/** This many unasked exits within CRASH_WINDOW_MS is a crash loop. */
const CRASH_LOOP_EXITS = 5;
const CRASH_WINDOW_MS = 60_000;

export class Supervisor {
  #child: ChildProcess | undefined;
  #file: string;
  #stopping = false;
  #restarts = 0;
  #exits: number[] = [];
  #startedAt = 0;
  #timer: NodeJS.Timeout | undefined;
  #tail: string[] = [];
  /** Resolves when the current child has exited (undefined while none runs). */
  #exited: Promise<void> | undefined;

  constructor(readonly options: SupervisorOptions) {
    this.#file = options.file;
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  get url(): string {
    return `http://127.0.0.1:${this.options.port}`;
  }

  /** Starts the child and resolves once it answers /health/ready (or rejects if it exits first). */
  async start(): Promise<void> {
    this.#stopping = false;
    this.#spawn();
    await this.#ready();
  }

  /** Replaces the bundle: stops the running child gracefully, starts the new file, waits for readiness. */
  async replace(file: string): Promise<void> {
    await this.stop();
    this.#file = file;
    this.#restarts = 0;
    this.#exits = [];
    await this.start();
  }

  /** SIGTERM (the service's graceful shutdown), then waits for the exit; no restart follows. */
  async stop(): Promise<void> {
    this.#stopping = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    const child = this.#child;
    if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await this.#exited;
  }

  /** Kills at once (a second Ctrl-C). */
  kill(): void {
    this.#stopping = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#child?.kill("SIGKILL");
  }

  #spawn(): void {
    const { name, port, env } = this.options;
    const child = spawn(process.execPath, [...(this.options.nodeArgs ?? []), this.#file], {
      // The parent's pid: the service stops by itself if this process dies, even by SIGKILL.
      // TSC_MICRO_DEV_SERVICE names the process on the spans the dashboard preload exports.
      env: { ...env, PORT: String(port), HOST: "127.0.0.1", TSC_MICRO_PARENT_PID: String(process.pid), TSC_MICRO_DEV_SERVICE: name },
      stdio: ["ignore", "pipe", "pipe"],
      // Its own process group: a terminal's Ctrl-C reaches only `tsc-micro dev`, which then stops
      // each service once, gracefully (in the same group, each would see Ctrl-C and then dev's
      // SIGTERM as a second signal, and exit at once).
      detached: true,
    });
    this.#child = child;
    this.#startedAt = Date.now();
    const prefix = prefixLines(name, this.options.color, (text) => {
      this.#remember(text);
      this.options.write(text);
    });
    child.stdout!.setEncoding("utf8").on("data", prefix.push);
    child.stderr!.setEncoding("utf8").on("data", prefix.push);
    this.#exited = new Promise((resolve) => {
      child.once("exit", (code, signal) => {
        prefix.flush();
        resolve();
        this.#onExit(child, code, signal);
      });
    });
  }

  /** The last lines of output, for the crash-loop report. */
  #remember(text: string): void {
    this.#tail.push(...text.split("\n").filter((l) => l !== ""));
    if (this.#tail.length > 5) this.#tail.splice(0, this.#tail.length - 5);
  }

  #onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.#child !== child || this.#stopping) return;
    const { name, say } = this.options;
    const now = Date.now();
    if (now - this.#startedAt > STABLE_MS) this.#restarts = 0;
    this.#exits = [...this.#exits.filter((t) => now - t < CRASH_WINDOW_MS), now];
    const wait = Math.min(MAX_WAIT_MS, FIRST_WAIT_MS * 2 ** this.#restarts);
    this.#restarts++;
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    if (this.#exits.length >= CRASH_LOOP_EXITS) {
      say(`${name} is crash-looping: it ${how}, ${this.#exits.length} exits within ${CRASH_WINDOW_MS / 1000} s; restarting in ${wait} ms. Last output:\n${this.#tail.map((l) => `    ${l}`).join("\n")}`);
    } else {
      say(`${name} ${how}; restarting in ${wait} ms`);
    }
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (this.#stopping) return;
      this.#spawn();
      this.#ready().then(
        () => say(`${name} restarted at ${this.url} (pid ${this.pid})`),
        () => {}, // its exit is reported by #onExit
      );
    }, wait);
  }

  /** Polls /health/ready until 200; rejects if the child exits first. */
  async #ready(): Promise<void> {
    const child = this.#child!;
    let gone = false;
    void this.#exited!.then(() => (gone = true));
    for (;;) {
      if (gone || child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`${this.options.name} exited before it was ready:\n${this.#tail.join("\n")}`);
      }
      try {
        const response = await fetch(`${this.url}/health/ready`);
        await response.arrayBuffer();
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
