/**
 * Keeps an error body a few KiB however bad the value: at most
 * {@link MAX_ISSUES} issues, each cut to a sane length, within a byte budget;
 * the caller reports how many were left out.
 */
import type { ValidationIssue } from "../errors.js";
import { clip } from "./form-text.js";

/** At most this many issues are sent; the rest are counted in `omittedIssues`. */
export const MAX_ISSUES = 20;
/** …and their JSON stays under this many bytes, leaving room for the message (see describeIssues) in a 4 KiB body. */
const ISSUES_BUDGET = 3000;
// A path or message this long comes from a hostile key or value, not from a schema.
const MAX_PATH = 120;
const MAX_MESSAGE = 200;

export function limitIssues(all: readonly ValidationIssue[]): { issues: ValidationIssue[]; omitted: number } {
  const issues: ValidationIssue[] = [];
  let bytes = 2; // []
  for (const issue of all) {
    if (issues.length === MAX_ISSUES) break;
    const short = { path: clip(issue.path, MAX_PATH), rule: clip(issue.rule, MAX_PATH), message: clip(issue.message, MAX_MESSAGE) };
    bytes += Buffer.byteLength(JSON.stringify(short)) + 1;
    if (bytes > ISSUES_BUDGET) break;
    issues.push(short);
  }
  return { issues, omitted: all.length - issues.length };
}
