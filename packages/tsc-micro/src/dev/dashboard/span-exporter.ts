/**
 * The exporter the dev preload registers in each service: finished spans are
 * queued and posted as JSON to the dashboard a few milliseconds later, in one
 * request per burst. It never blocks the service (export returns at once) and
 * never fails it: a dashboard that is gone or slow only loses spans; the queue
 * is capped, and one post at a time is in flight.
 */
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base";
import { toDevSpan } from "./dev-span.js";
import type { DevSpan } from "./dev-span.js";

type ExportResult = Parameters<Parameters<SpanExporter["export"]>[1]>[0];
const SUCCESS = 0 as ExportResult["code"];

export interface DashboardExporterOptions {
  /** The dashboard's span intake (POST, JSON array). */
  url: string;
  /** The name of this process's service, recorded on every span. */
  service: string;
  /** Milliseconds to gather a burst before posting. Default 10. */
  delayMs?: number;
  /** Spans kept while the dashboard does not take them; older ones are dropped. Default 2000. */
  maxQueue?: number;
}

export class DashboardExporter implements SpanExporter {
  #queue: DevSpan[] = [];
  #timer: NodeJS.Timeout | undefined;
  #posting: Promise<void> | undefined;
  #stopped = false;

  constructor(readonly options: DashboardExporterOptions) {}

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    if (!this.#stopped) {
      for (const span of spans) this.#queue.push(toDevSpan(span, this.options.service));
      const max = this.options.maxQueue ?? 2000;
      if (this.#queue.length > max) this.#queue.splice(0, this.#queue.length - max);
      this.#schedule();
    }
    resultCallback({ code: SUCCESS });
  }

  /** Posts what is queued now (tests; shutdown). */
  async forceFlush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#posting;
    await this.#post();
  }

  async shutdown(): Promise<void> {
    await this.forceFlush();
    this.#stopped = true;
  }

  #schedule(): void {
    if (this.#timer || this.#posting) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#post();
    }, this.options.delayMs ?? 10);
    // A service that is shutting down does not wait for the dashboard.
    this.#timer.unref();
  }

  #post(): Promise<void> {
    if (this.#queue.length === 0 || this.#posting) return this.#posting ?? Promise.resolve();
    const batch = this.#queue;
    this.#queue = [];
    this.#posting = fetch(this.options.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(batch),
      signal: AbortSignal.timeout(2000),
    })
      .then((response) => response.arrayBuffer())
      .then(
        () => {},
        () => {}, // the dashboard is gone or busy: these spans are lost, the service is not
      )
      .finally(() => {
        this.#posting = undefined;
        if (this.#queue.length > 0) this.#schedule();
      });
    return this.#posting;
  }
}
