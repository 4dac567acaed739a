/**
 * Polls each service's /health/ready, one request at a time per service, and
 * reports changes. A stopped process (SIGSTOP) still accepts connections (the
 * kernel queues them) but never answers, so a poll that outlives its timeout
 * counts as down, as a crashed one that refuses the connection does.
 */
export type Health = "up" | "down" | "unknown";

export interface HealthTarget {
  name: string;
  url: string;
}

export interface HealthPollerOptions {
  /** The services to poll, read before each round (they change on a rebuild). */
  targets: () => readonly HealthTarget[];
  /** Milliseconds between rounds. Default 1000. */
  intervalMs?: number;
  /** A poll not answered within this is "down". Default 1500. */
  timeoutMs?: number;
  /** Called after each round of polls (the dashboard then sends what changed). */
  onRound: () => void;
}

export class HealthPoller {
  readonly #health = new Map<string, Health>();
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  readonly #controller = new AbortController();

  constructor(readonly options: HealthPollerOptions) {}

  health(name: string): Health {
    return this.#health.get(name) ?? "unknown";
  }

  start(): void {
    void this.#round();
  }

  close(): void {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#controller.abort();
  }

  async #round(): Promise<void> {
    const targets = this.options.targets();
    for (const name of this.#health.keys()) if (!targets.some((t) => t.name === name)) this.#health.delete(name);
    await Promise.all(targets.map((target) => this.#poll(target)));
    if (this.#closed) return;
    this.options.onRound();
    this.#timer = setTimeout(() => void this.#round(), this.options.intervalMs ?? 1000);
    this.#timer.unref();
  }

  async #poll(target: HealthTarget): Promise<void> {
    let health: Health;
    try {
      const response = await fetch(`${target.url}/health/ready`, {
        signal: AbortSignal.any([this.#controller.signal, AbortSignal.timeout(this.options.timeoutMs ?? 1500)]),
      });
      await response.arrayBuffer();
      health = response.ok ? "up" : "down";
    } catch {
      health = "down";
    }
    if (!this.#closed) this.#health.set(target.name, health);
  }
}
