/**
 * The abort state of one call: aborted with a TIMEOUT ServiceError when the
 * caller's budget (`tsc-micro-timeout`) passes, or with a CANCELLED one when
 * the caller goes away first (its connection closed before the answer was
 * written; in memory, `app.request()`, the test Request's own signal).
 *
 * Cheap on the hot path: most calls never abort and their function never asks
 * for its signal, so the AbortController is made only when someone reads
 * `signal` (callSignal(), a downstream call), the server's own waits subscribe
 * with plain callbacks (`onAbort`), and the disconnect is watched with one
 * EventEmitter listener on the Node response, not EventTarget listeners (an
 * AbortController and two abort listeners per request cost about a third of
 * a trivial call's CPU on Node 20).
 */
import type { ServerResponse } from "node:http";
import type { Span } from "@opentelemetry/api";
import { ServiceError } from "../errors.js";
import type { CallContext } from "../call-context.js";

/** What the server's own waits need of a call's abort: its state and a callback when it happens. */
export interface Abortable {
  readonly aborted: boolean;
  readonly reason: unknown;
  /** Calls `listener` once when the call aborts; returns a function that unsubscribes. */
  onAbort(listener: () => void): () => void;
}

export class CallAbort implements Abortable, Pick<CallContext, "deadline"> {
  readonly deadline: number | undefined;
  #aborted = false;
  #reason: unknown;
  #controller: AbortController | undefined;
  #listeners: Array<() => void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #unwatch: (() => void) | undefined;
  #disposed = false;

  constructor(
    readonly service: string,
    readonly url: string,
    timeoutMs: number | undefined,
  ) {
    this.deadline = timeoutMs === undefined ? undefined : performance.now() + timeoutMs;
    if (timeoutMs !== undefined) {
      // Not unref'd: in memory (app.request()) nothing else may keep the loop alive until it fires.
      this.#timer = setTimeout(() => {
        this.abort(new ServiceError({ code: "TIMEOUT", message: `the deadline of ${url} on service "${service}" passed (${timeoutMs} ms budget)`, service, url }));
      }, timeoutMs);
    }
  }

  get aborted(): boolean {
    return this.#aborted;
  }

  get reason(): unknown {
    return this.#reason;
  }

  /** The AbortSignal the function and its downstream calls see; made on first use. */
  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  onAbort(listener: () => void): () => void {
    if (this.#aborted) {
      listener();
      return () => {};
    }
    const listeners = (this.#listeners ??= []);
    listeners.push(listener);
    return function unsubscribe(): void {
      const index = listeners.indexOf(listener);
      if (index !== -1) listeners.splice(index, 1);
    };
  }

  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    this.#controller?.abort(reason);
    const listeners = this.#listeners;
    this.#listeners = undefined;
    if (listeners) for (const listener of listeners) listener();
  }

  /**
   * Aborts with CANCELLED when the caller disconnects: `outgoing` closing before the answer was
   * written (Node), else `signal` aborting (in memory: the Request's own signal).
   */
  watchCaller(outgoing: ServerResponse | undefined, signal: () => AbortSignal): void {
    if (outgoing && typeof outgoing.on === "function") {
      // Left on the response once the work settled, and ignored from then on (`#disposed`); it
      // fires once, at the latest when the response closes. Taking it off `outgoing` again (its
      // 'close' listeners are an array: Node's and this one) made every call's objects outlive the
      // next scavenge under load: ~0.5 MB promoted to the old space per scavenge, where a
      // hand-written server promotes nothing, and 4-5 MB more resident memory after 1,000 calls
      // (--trace-gc-nvp; bench section 5).
      // on(), not once(): a response closes once, and once() wraps the listener in another closure
      // and takes it off again as it fires (bench section 6 counts both; a repeated close would
      // change nothing: abort() is idempotent).
      const onClose = () => {
        if (!this.#disposed && !outgoing.writableFinished) this.#cancel();
      };
      outgoing.on("close", onClose);
      return;
    }
    const cancel = () => this.#cancel();
    const requestSignal = signal();
    if (requestSignal.aborted) return cancel();
    requestSignal.addEventListener("abort", cancel, { once: true });
    this.#unwatch = () => requestSignal.removeEventListener("abort", cancel);
  }

  #cancel(): void {
    this.abort(new ServiceError({ code: "CANCELLED", message: `the caller of ${this.url} on service "${this.service}" disconnected before its answer`, service: this.service, url: this.url }));
  }

  /** Stops the deadline timer and the disconnect watch; call once the work settled. */
  dispose(): void {
    this.#disposed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#unwatch?.();
  }
}

/** The code an aborted call carries (TIMEOUT or CANCELLED). */
export function abortCode(call: { readonly reason: unknown }): "TIMEOUT" | "CANCELLED" {
  const reason: unknown = call.reason;
  return ServiceError.is(reason) && reason.code === "CANCELLED" ? "CANCELLED" : "TIMEOUT";
}

/**
 * What `callContext()` gives the function during a call: its signal (made on first read), deadline
 * and span. A class, on purpose, not an object literal with a `get signal()`: V8 keeps such a
 * literal in dictionary mode with its getter in an AccessorPair allocated in the old generation,
 * and that old object kept the getter's closure — and through it the call's request, response and
 * socket — alive past the next young-generation GC, every call: ~3 KB per call survived and was
 * promoted, GC took ~12 % of a trivial call's CPU and a full GC ran every ~8,000 calls (measured
 * with --trace-gc-nvp; see the README's "Performance").
 */
export class CallScope implements CallContext {
  constructor(
    private readonly call: CallAbort,
    readonly span: Span,
  ) {}

  get signal(): AbortSignal {
    return this.call.signal;
  }

  get deadline(): number | undefined {
    return this.call.deadline;
  }
}
