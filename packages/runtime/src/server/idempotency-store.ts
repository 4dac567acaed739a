/**
 * Outcomes of calls sent with an `Idempotency-Key`, remembered per (route,
 * key) so a repeat is answered from memory instead of running again; a repeat
 * that arrives while the first run is in flight waits for that run.
 *
 * Finished outcomes live in `lru-cache` (bounded by entries, by stored bytes
 * and by age, least recently used evicted first): it already does all three
 * bounds together, correctly, and is small enough to bundle into every
 * service. Runs in flight are kept apart in a plain Map, so they are never
 * evicted (their count is bounded by the calls in flight anyway).
 *
 * The store is this instance's memory: another instance, or this one after
 * a restart, does not know the key (that is what replay-only calls are for).
 */
import { integerFromEnv, POSITIVE } from "../env-integer.js";
import { createHash, hash } from "../node-crypto.js";
import { LRUCache } from "lru-cache";

/** A response as stored and replayed. */
export interface StoredOutcome {
  status: number;
  contentType: string | null;
  body: string;
}

export interface IdempotencySettings {
  ttlMs: number;
  maxEntries: number;
  maxBytes: number;
}

export const DEFAULT_IDEMPOTENCY: Readonly<IdempotencySettings> = {
  ttlMs: 600_000,
  maxEntries: 10_000,
  maxBytes: 32 * 1024 * 1024,
};

/** The environment variable for each setting. */
export const IDEMPOTENCY_ENV: Readonly<Record<keyof IdempotencySettings, string>> = {
  ttlMs: "TSC_MICRO_IDEMPOTENCY_TTL_MS",
  maxEntries: "TSC_MICRO_IDEMPOTENCY_MAX_ENTRIES",
  maxBytes: "TSC_MICRO_IDEMPOTENCY_MAX_BYTES",
};

/** The settings from `env`, else the defaults. Throws a RangeError naming the variable for junk. */
export function idempotencySettings(env: Record<string, string | undefined>): IdempotencySettings {
  const settings = { ...DEFAULT_IDEMPOTENCY };
  for (const key of Object.keys(IDEMPOTENCY_ENV) as (keyof IdempotencySettings)[]) {
    settings[key] = integerFromEnv(env, IDEMPOTENCY_ENV[key], POSITIVE) ?? settings[key];
  }
  return settings;
}

/** What a call with a key finds. */
export type KeyLookup =
  /** Nothing known: the caller runs the function and must call `finish` exactly once. */
  | { kind: "new"; finish(outcome: StoredOutcome | undefined): void }
  | { kind: "done"; outcome: StoredOutcome }
  /** A run is in flight: `settled` gives its outcome, or undefined if it ended without running. */
  | { kind: "running"; settled: Promise<StoredOutcome | undefined> }
  /** The key was used with other arguments. */
  | { kind: "reused" }
  /** Replay-only, and this instance has no record of the key. */
  | { kind: "unknown" };

interface Done {
  hash: string;
  outcome: StoredOutcome;
}

interface Running {
  hash: string;
  settled: Promise<StoredOutcome | undefined>;
}

// Per entry beyond its body and key: the entry objects, the hash, the map slots.
const ENTRY_OVERHEAD_BYTES = 200;

export class IdempotencyStore {
  private readonly running = new Map<string, Running>();
  /**
   * Made when the first outcome is stored: lru-cache allocates its slots for `maxEntries` up front
   * (about 400 KB and 15 M instructions for the default 10,000: a few per cent of a service's start-up,
   * bench section 5), and most services never see an Idempotency-Key.
   */
  #done: LRUCache<string, Done> | undefined;

  /** `clock` replaces performance.now() for the TTL (tests). */
  constructor(
    private readonly settings: IdempotencySettings,
    private readonly clock?: { now(): number },
  ) {}

  /** Finished outcomes held (for tests and stats). */
  get size(): number {
    return this.#done?.size ?? 0;
  }

  lookup(route: string, key: string, hash: string, replayOnly: boolean): KeyLookup {
    const id = `${route}\n${key}`;
    const inFlight = this.running.get(id);
    if (inFlight) return inFlight.hash === hash ? { kind: "running", settled: inFlight.settled } : { kind: "reused" };
    const stored = this.#done?.get(id);
    if (stored) return stored.hash === hash ? { kind: "done", outcome: stored.outcome } : { kind: "reused" };
    if (replayOnly) return { kind: "unknown" };

    let settle!: (outcome: StoredOutcome | undefined) => void;
    const settled = new Promise<StoredOutcome | undefined>((resolve) => (settle = resolve));
    this.running.set(id, { hash, settled });
    const store = this;
    const running = this.running;
    return {
      kind: "new",
      finish(outcome) {
        running.delete(id);
        // Too large for maxBytes: lru-cache does not store it, and the next repeat runs again.
        if (outcome) store.#outcomes().set(id, { hash, outcome });
        settle(outcome);
      },
    };
  }

  /** The finished outcomes, bounded by entries, bytes and age; made on first use. */
  #outcomes(): LRUCache<string, Done> {
    this.#done ??= new LRUCache<string, Done>({
      max: this.settings.maxEntries,
      maxSize: this.settings.maxBytes,
      sizeCalculation: (entry, key) => key.length + entry.hash.length + Buffer.byteLength(entry.outcome.body) + ENTRY_OVERHEAD_BYTES,
      ttl: this.settings.ttlMs,
      // Age counts from the run, not from the last replay: a key is a retry window, not a session.
      updateAgeOnGet: false,
      ...(this.clock ? { perf: this.clock, ttlResolution: 0 } : {}),
    });
    return this.#done;
  }
}

/**
 * What tells "the same arguments" apart: the SHA-256 of the body as parsed, re-serialised. Made for
 * every call that carries a key, which every generated client call does: with createHash it was
 * about a fifth of the instructions a service spends on a call to a function that does nothing.
 */
export function argumentsHash(args: unknown): string {
  const text = JSON.stringify(args) ?? "";
  return hash ? hash("sha256", text, "base64url") : createHash("sha256").update(text).digest("base64url");
}
