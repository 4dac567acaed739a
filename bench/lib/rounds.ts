// Interleaved rounds: on a shared machine the load moves during a run, so a comparison
// measured one target after the other compares the machine at different moments.
// Every round measures every target once, the order rotated by one each round
// (A B C, then B C A, then C A B), and ratios are taken within a round.
import { quantile } from "./stats.ts";

/** Runs `measure` for every target in `rounds` rotated rounds; result[round][targetIndex]. */
export async function interleave<T, R>(targets: readonly T[], rounds: number, measure: (target: T, round: number) => Promise<R>): Promise<R[][]> {
  const results: R[][] = [];
  for (let round = 0; round < rounds; round++) {
    const row: R[] = new Array(targets.length);
    for (let k = 0; k < targets.length; k++) {
      const i = (k + round) % targets.length;
      row[i] = await measure(targets[i]!, round);
    }
    results.push(row);
  }
  return results;
}

export interface Spread {
  median: number;
  min: number;
  max: number;
}

/** The median, the mean of the two middle values for an even count (few rounds: nearest rank would report the lower one). */
export function middle(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const h = sorted.length >> 1;
  return sorted.length % 2 ? sorted[h]! : (sorted[h - 1]! + sorted[h]!) / 2;
}

export function spread(values: readonly number[]): Spread {
  return { median: middle(values), min: Math.min(...values), max: Math.max(...values) };
}

/** The index of the median round (nearest rank: the lower middle for an even count), for its latencies. */
export function medianIndex(values: readonly number[]): number {
  return values.indexOf(quantile(values, 0.5));
}
