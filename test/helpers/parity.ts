// Comparing a split program with its monolith, value by value, and checking
// that bad requests are refused at the door.
import assert from "node:assert/strict";
import { inspect } from "node:util";
import { post } from "./services.ts";
import { outcome, runningServing } from "./split.ts";
import type { SplitProgram } from "./split.ts";

/** A short, one-line rendering of any value (bigint, Date, Map… included) for failure messages. */
export function show(value: unknown, limit = 700): string {
  const text = inspect(value, { depth: 6, breakLength: Infinity, maxArrayLength: 12, maxStringLength: 120, sorted: false });
  return text.length > limit ? `${text.slice(0, limit)}… (${text.length} chars)` : text;
}

/**
 * The hrefs of the URL objects inside a value, in traversal order:
 * deepStrictEqual alone does not look inside URL objects on every Node version.
 */
function urlsIn(value: unknown, out: string[] = [], seen = new Set<unknown>()): string[] {
  if (value === null || typeof value !== "object" || seen.has(value)) return out;
  seen.add(value);
  if (value instanceof URL) {
    out.push(value.href);
    return out;
  }
  if (value instanceof Map) {
    for (const [k, v] of value) {
      urlsIn(k, out, seen);
      urlsIn(v, out, seen);
    }
    return out;
  }
  if (value instanceof Set || Array.isArray(value)) {
    for (const v of value) urlsIn(v, out, seen);
    return out;
  }
  for (const v of Object.values(value)) urlsIn(v, out, seen);
  return out;
}

/**
 * Calls `remote(...args)` (the generated client: the split program) and
 * `local(...args)` (the monolith) and compares the outcomes — value, or
 * error name and message — with deepStrictEqual. Returns a description of
 * the difference, or undefined when they agree. The remote call goes first
 * so that a function that mutated its arguments could not hide a difference.
 */
export async function compareCall(remote: ((...a: unknown[]) => unknown) | undefined, local: (...a: any[]) => unknown, args: readonly unknown[]): Promise<string | undefined> {
  const actual = await outcome(() => {
    if (typeof remote !== "function") throw new TypeError("the generated clients have no such function");
    return remote(...args);
  });
  const expected = await outcome(() => local(...args));
  try {
    assert.deepStrictEqual(actual, expected);
    assert.deepStrictEqual(urlsIn(actual), urlsIn(expected));
    return undefined;
  } catch {
    return `  args:     ${show(args)}\n  expected: ${show(expected)} (monolith)\n  actual:   ${show(actual)} (split)`;
  }
}

/**
 * Every argument list in `argsList` gives the same outcome through the client
 * as in the monolith. All calls are made; the failure lists every difference.
 */
export async function assertSameAll(split: SplitProgram, name: string, local: (...a: any[]) => unknown, argsList: readonly (readonly unknown[])[]): Promise<void> {
  const failures: string[] = [];
  for (const args of argsList) {
    const diff = await compareCall(split.clients[name], local, args);
    if (diff) failures.push(diff);
  }
  assert.equal(failures.length, 0, `${name}: ${failures.length} of ${argsList.length} calls differ from the monolith:\n${failures.join("\n")}`);
}

/** The URL of `POST /<fn>` on the service that serves `fn`. */
export function routeUrl(split: SplitProgram, fn: string): string {
  return `${runningServing(split, fn).url}/${fn}`;
}

export interface ExpectedIssue {
  path: string;
  rule?: string;
  /** Also accept an issue below `path` (`m[0][1]` for `m`). */
  within?: boolean;
}

/** `a.b[0]` is within `a`, `a.b` and `a.b[0]`; `ab` is not within `a`. */
export function isWithin(path: string, base: string): boolean {
  return path === base || base === "" || path.startsWith(`${base}.`) || path.startsWith(`${base}[`);
}

/**
 * POSTs a raw JSON body of named arguments to `fn` and expects a 400 whose
 * `error.issues` has, for each expected issue, one with that path (and rule).
 */
export async function assertRejected(split: SplitProgram, fn: string, body: unknown, expected: readonly ExpectedIssue[]): Promise<void> {
  const res = await post(routeUrl(split, fn), body);
  const where = `${fn} ${show(body, 300)}`;
  assert.equal(res.status, 400, `${where}: expected 400, got ${res.status} ${show(res.body, 300)}`);
  const issues: { path: string; rule: string }[] = res.body?.error?.issues ?? [];
  for (const e of expected) {
    assert.ok(
      issues.some((i) => (e.within ? isWithin(i.path, e.path) : i.path === e.path) && (e.rule === undefined || i.rule === e.rule)),
      `${where}: expected an issue ${e.within ? "at or below" : "at"} '${e.path}'${e.rule ? ` with rule '${e.rule}'` : ""}, got ${show(issues.map((i) => `${i.path}:${i.rule}`), 400)}`,
    );
  }
}

/** Asserts each body is refused with 400 (the issues are not checked). */
export async function assertAllRejected(split: SplitProgram, fn: string, bodies: readonly unknown[]): Promise<void> {
  const failures: string[] = [];
  for (const body of bodies) {
    const res = await post(routeUrl(split, fn), body);
    if (res.status !== 400) failures.push(`  ${show(body, 300)} → ${res.status} ${show(res.body, 300)}`);
  }
  assert.equal(failures.length, 0, `${fn}: ${failures.length} of ${bodies.length} bad bodies were not refused with 400:\n${failures.join("\n")}`);
}

/** Like {@link assertRejected} for many bodies: all are tried, and the failure lists every one not refused as expected. */
export async function assertEachRejected(split: SplitProgram, fn: string, cases: readonly { body: unknown; issues: readonly ExpectedIssue[] }[]): Promise<void> {
  const failures: string[] = [];
  for (const c of cases) {
    try {
      await assertRejected(split, fn, c.body, c.issues);
    } catch (e) {
      failures.push(`  ${(e as Error).message.split("\n")[0]}`);
    }
  }
  assert.equal(failures.length, 0, `${fn}: ${failures.length} of ${cases.length} bad requests were not refused as expected:\n${failures.join("\n")}`);
}
