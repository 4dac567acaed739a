/**
 * The request counter and duration histogram of a service's functions, by function and status:
 * counted in plain fields per series, turned into prom-client's metric data only when /metrics is
 * scraped. prom-client's own Counter and Histogram hash the labels object into a string on every
 * inc/observe, even through a `labels(...)` child, then look the series up by that string and the
 * bucket by its bound as a property name: ~5 k instructions of a ~113 k call of a function that
 * does nothing (callgrind, bench section 6's method, JIT frames named through `--perf-basic-prof`).
 *
 * The two views are registered in the service's prom-client Registry (`registerMetric`), which
 * writes the text as it does for its own metrics: they give what `getForPromString()` and `get()`
 * of a prom-client Counter and Histogram give, value for value and in the same order (tested
 * against prom-client's own classes fed the same calls: call-series.test.ts).
 */
import type { Registry } from "prom-client";

/** A value of a metric as prom-client's `get()` gives it (its typings do not export the type). */
export interface SeriesValue {
  value: number;
  labels: Record<string, string | number>;
  sharedLabels?: Record<string, string>;
  metricName?: string;
  exemplar?: null | undefined;
}

/** A metric's data as prom-client's `get()` gives it. */
export interface SeriesData {
  name: string;
  help: string;
  type: "counter" | "histogram";
  aggregator: "sum";
  values: SeriesValue[];
}

/** prom-client's default histogram buckets (seconds), its `Histogram` without `buckets`. */
export const DEFAULT_BUCKETS: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** One function and status: its labels object (made once) and what was counted. */
interface Series {
  readonly labels: { function: string; status: string };
  count: number;
  sum: number;
  /** Calls per bucket, not cumulative: [i] counts the values in (bounds[i-1], bounds[i]]; values above the last bound are in `count` only. */
  readonly buckets: Float64Array;
}

export class CallSeries {
  readonly #byFunction = new Map<string, Map<number, Series>>();
  /** In the order first seen, as prom-client lists its series. */
  readonly #all: Series[] = [];

  constructor(readonly bounds: readonly number[] = DEFAULT_BUCKETS) {}

  /** One answered call of `fn` with `status`, taking `seconds`. */
  observe(fn: string, status: number, seconds: number): void {
    let byStatus = this.#byFunction.get(fn);
    if (byStatus === undefined) this.#byFunction.set(fn, (byStatus = new Map()));
    let series = byStatus.get(status);
    if (series === undefined) {
      series = { labels: { function: fn, status: String(status) }, count: 0, sum: 0, buckets: new Float64Array(this.bounds.length) };
      byStatus.set(status, series);
      this.#all.push(series);
    }
    series.count++;
    series.sum += seconds;
    const bounds = this.bounds;
    for (let i = 0; i < bounds.length; i++) {
      if (seconds <= bounds[i]!) {
        series.buckets[i]!++;
        return;
      }
    }
  }

  /** Registers in `registry` the calls counter and the duration histogram (seconds), named and described by `counter` and `histogram`. */
  register(registry: Registry, counter: { name: string; help: string }, histogram: { name: string; help: string }): void {
    const counterView = {
      ...counter,
      type: "counter" as const,
      aggregator: "sum" as const,
      get: async () => this.#counterData(counter),
      reset: () => this.reset(),
    };
    const histogramView = {
      ...histogram,
      type: "histogram" as const,
      aggregator: "sum" as const,
      getForPromString: async () => this.#histogramData(histogram, false),
      get: async () => this.#histogramData(histogram, true),
      reset: () => this.reset(),
    };
    // The Registry reads a metric through get()/getForPromString() and its name only; its type
    // names prom-client's classes, which these views stand in for.
    registry.registerMetric(counterView as unknown as Parameters<Registry["registerMetric"]>[0]);
    registry.registerMetric(histogramView as unknown as Parameters<Registry["registerMetric"]>[0]);
  }

  /** Forgets every series (the Registry's resetMetrics()). */
  reset(): void {
    this.#byFunction.clear();
    this.#all.length = 0;
  }

  #counterData(meta: { name: string; help: string }): SeriesData {
    return { name: meta.name, help: meta.help, type: "counter", aggregator: "sum", values: this.#all.map((s) => ({ value: s.count, labels: { ...s.labels } })) };
  }

  /**
   * As prom-client's Histogram: per series its cumulative buckets (`le` per bound, then `+Inf`),
   * `_sum` and `_count`. For the text (`split`), the series' labels travel as `sharedLabels` beside
   * `{ le }`; for `get()`, merged into one labels object after `le`, as its `splayLabels` does.
   */
  #histogramData(meta: { name: string; help: string }, merged: boolean): SeriesData {
    const values: SeriesValue[] = [];
    const bucketName = `${meta.name}_bucket`;
    // Buckets carry `exemplar: null`, _sum and _count none: what prom-client's values hold without exemplars.
    const value = (labels: Record<string, string | number>, shared: Series["labels"], v: number, metricName: string, exemplar: null | undefined): SeriesValue =>
      merged ? { value: v, metricName, exemplar, labels: { ...labels, ...shared } } : { labels, sharedLabels: shared, value: v, metricName, exemplar };
    for (const s of this.#all) {
      let total = 0;
      for (let i = 0; i < this.bounds.length; i++) {
        total += s.buckets[i]!;
        values.push(value({ le: this.bounds[i]! }, s.labels, total, bucketName, null));
      }
      values.push(value({ le: "+Inf" }, s.labels, s.count, bucketName, null));
      values.push(value({}, s.labels, s.sum, `${meta.name}_sum`, undefined));
      values.push(value({}, s.labels, s.count, `${meta.name}_count`, undefined));
    }
    return { name: meta.name, help: meta.help, type: "histogram", aggregator: "sum", values };
  }
}
