// Small statistics and formatting helpers.

/** The q-quantile (0..1) of the values, by the nearest-rank method on a sorted copy. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

export const median = (values: readonly number[]): number => quantile(values, 0.5);

/** Fixed decimals, with thousands separators for big numbers. */
export function fmt(n: number | undefined, decimals = 0): string {
  if (n === undefined || !Number.isFinite(n)) return "–";
  return n.toLocaleString("en-US", { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** A ratio as `×1.23`. */
export function ratio(n: number, base: number, decimals = 2): string {
  if (!Number.isFinite(n) || !Number.isFinite(base) || base === 0) return "–";
  return `×${(n / base).toFixed(decimals)}`;
}

export function kib(bytes: number): string {
  return `${fmt(bytes / 1024, 1)} KiB`;
}

export function mib(kibibytes: number | undefined): string {
  return kibibytes === undefined ? "–" : `${fmt(kibibytes / 1024, 1)} MiB`;
}

/** A markdown table; columns whose header starts with ">" are right-aligned. */
export function table(headers: string[], rows: (string | number)[][]): string {
  const right = headers.map((h) => h.startsWith(">"));
  const names = headers.map((h) => h.replace(/^>/, ""));
  const cells = rows.map((r) => r.map((c) => String(c).replace(/\|/g, "\\|")));
  const widths = names.map((h, i) => Math.max(h.length, 3, ...cells.map((r) => (r[i] ?? "").length)));
  const line = (cs: string[]) => `| ${cs.map((c, i) => (right[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(" | ")} |`;
  const rule = `| ${widths.map((w, i) => (right[i] ? `${"-".repeat(w - 1)}:` : "-".repeat(w))).join(" | ")} |`;
  return [line(names), rule, ...cells.map(line)].join("\n");
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
