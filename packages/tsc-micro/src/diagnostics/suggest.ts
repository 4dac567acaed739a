/**
 * "Did you mean" for unknown keys (config files, tag options). Keys are compared ignoring case,
 * `-` and `_`, so `outdir`, `out-dir` and `base_image` find `outDir` and
 * `baseImage`; otherwise a key within edit distance 2 (`servces`), or one
 * that starts the same for 4 letters (`retries`, `timeoutMs`), is suggested.
 */

/** Options for {@link closestKey}. */
export interface ClosestKeyOptions {
  /**
   * Also suggest a key that starts the same for 4 letters. Default true; off for
   * words where a shared start means nothing (`@microphone` is not `@microservice`).
   */
  prefix?: boolean;
}

/** The known key closest to `key`, or undefined when none is close enough. */
export function closestKey(key: string, known: readonly string[], options: ClosestKeyOptions = {}): string | undefined {
  const wanted = normalize(key);
  const prefix = options.prefix ?? true;
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    const target = normalize(candidate);
    const d = Math.min(editDistance(wanted, target), prefix && sharedPrefix(wanted, target) >= Math.min(4, target.length) ? 1 : Infinity);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

function normalize(key: string): string {
  return key.toLowerCase().replace(/[-_]/g, "");
}

function sharedPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/** Levenshtein distance, one row at a time. */
function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(above + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}
