/**
 * The recent traces the dashboard shows: spans grouped by trace id, newest
 * trace first, capped (the oldest trace is dropped), so a long dev session
 * keeps a bounded memory.
 */
import type { DevSpan } from "./dev-span.js";

export interface DevTrace {
  traceId: string;
  /** Ordered by start time (a parent before its child on a tie), then by arrival. */
  spans: DevSpan[];
  /** Arrival order of the trace's latest span: what "recent" means. */
  updated: number;
}

export class TraceStore {
  readonly #traces = new Map<string, DevTrace>();
  #arrivals = 0;

  constructor(readonly maxTraces = 100, readonly maxSpansPerTrace = 500) {}

  /** Adds spans; returns the traces they changed. */
  add(spans: readonly DevSpan[]): DevTrace[] {
    const changed = new Map<string, DevTrace>();
    for (const span of spans) {
      let trace = this.#traces.get(span.traceId);
      if (!trace) {
        trace = { traceId: span.traceId, spans: [], updated: 0 };
      } else {
        this.#traces.delete(span.traceId); // re-inserted below: the Map's order is recency
      }
      trace.updated = ++this.#arrivals;
      if (trace.spans.length < this.maxSpansPerTrace && !trace.spans.some((s) => s.spanId === span.spanId)) {
        trace.spans.push(span);
        trace.spans.sort(byStart);
      }
      this.#traces.set(span.traceId, trace);
      changed.set(span.traceId, trace);
    }
    while (this.#traces.size > this.maxTraces) this.#traces.delete(this.#traces.keys().next().value!);
    return [...changed.values()].filter((t) => this.#traces.has(t.traceId));
  }

  /** Newest first. */
  traces(): DevTrace[] {
    return [...this.#traces.values()].reverse();
  }
}

/** By start; on a tie (clocks are coarse) a parent before its child. */
function byStart(a: DevSpan, b: DevSpan): number {
  if (a.start !== b.start) return a.start - b.start;
  if (b.parentSpanId === a.spanId) return -1;
  if (a.parentSpanId === b.spanId) return 1;
  return 0;
}
