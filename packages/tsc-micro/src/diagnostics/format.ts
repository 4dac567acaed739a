import type { Diagnostic } from "./diagnostic.js";

/** Options for {@link formatDiagnostics}. */
export interface FormatOptions {
  /** Reads a project file for the code frame; omit to print no frames (the default off a TTY). */
  readFile?: (file: string) => string | undefined;
  /** Wrap parts in ANSI colours. Default false. */
  color?: boolean;
}

/**
 * Prints diagnostics the way `tsc` does (`path(line,col): error TSM1001: …`;
 * TypeScript's own errors keep their `TS2322` codes),
 * so editors and CI log parsers that understand tsc understand us too, followed
 * by the hint, an optional code frame, and a summary line.
 */
export function formatDiagnostics(diagnostics: readonly Diagnostic[], options: FormatOptions = {}): string {
  const lines = diagnostics.map((d) => formatOne(d, options));
  const errors = diagnostics.filter((d) => d.category === "error").length;
  if (errors > 0) lines.push("", `Found ${errors} error${errors === 1 ? "" : "s"}.`);
  return lines.join("\n") + "\n";
}

function paint(text: string, code: string, color: boolean | undefined): string {
  return color ? `\u001b[${code}m${text}\u001b[0m` : text;
}

export function formatOne(d: Diagnostic, options: FormatOptions = {}): string {
  const where = d.file ? (d.line ? `${d.file}(${d.line},${d.column}): ` : `${d.file}: `) : "";
  const head = `${paint(where, "36", options.color)}${paint(d.category, d.category === "error" ? "31" : "33", options.color)} ${d.source === "ts" ? "TS" : "TSM"}${d.code}: ${d.message}`;
  const parts = [head];
  const frame = d.file && d.line && options.readFile ? codeFrame(options.readFile(d.file), d) : undefined;
  if (frame) parts.push(frame);
  if (d.hint) parts.push(`  ${paint("hint:", "32", options.color)} ${d.hint}`);
  return parts.join("\n");
}

function codeFrame(text: string | undefined, d: Diagnostic): string | undefined {
  if (text === undefined || !d.line || !d.column) return undefined;
  const source = text.split(/\r?\n/)[d.line - 1];
  if (source === undefined) return undefined;
  const gutter = String(d.line);
  const width = Math.max(1, Math.min(d.length ?? 1, source.length - d.column + 1));
  return [
    "",
    `${gutter} ${source}`,
    `${" ".repeat(gutter.length)} ${" ".repeat(d.column - 1)}${"~".repeat(width)}`,
    "",
  ].join("\n");
}
