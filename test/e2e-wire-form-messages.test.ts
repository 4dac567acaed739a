// Issue 9: a 400 names what a bad argument should have been — "an ISO 8601
// date-time", "a bigint as a string of digits", "base64", the tags of a
// discriminated union — never a 200-character regular expression or Ajv's
// `value of tag "kind" must be in oneOf`. Built and run as a user would.
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { build, formatDiagnostics } from "../packages/tsc-micro/src/index.ts";
import { tempOutDir } from "./helpers/paths.ts";
import { post, startBundle, stopAll } from "./helpers/services.ts";
import type { RunningProcess } from "./helpers/services.ts";

const SOURCE = `export interface Circle { kind: "circle"; radius: number }
export interface Square { kind: "square"; side: number }
export type Shape = Circle | Square;
/** @microservice */
export function stamp(at: Date, count: bigint, bytes: Uint8Array, times: Date[], weight: number, shape: Shape): string {
  return [at.toISOString(), count, bytes.length, times.length, weight, shape.kind].join();
}
`;

const DATE = 'must be an ISO 8601 date-time (e.g. 2024-03-05T10:00:00.000Z), or "Invalid Date"';
const GOOD = { at: "2024-03-05T10:00:00.000Z", count: "12", bytes: "AAE=", times: [], weight: 1, shape: { kind: "circle", radius: 1 } };

let service: RunningProcess | undefined;
// The hooks below belong to this file's tests only, so the file can share a process
// (scripts/test-processes.mjs).
describe("e2e-wire-form-messages", () => {
  before(async () => {
    const outDir = tempOutDir("e2e-wire-forms");
    const dir = path.join(path.dirname(outDir), "project");
    mkdirSync(path.join(dir, "src"), { recursive: true });
    writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, skipLibCheck: true, types: [] }, include: ["src"] }));
    writeFileSync(path.join(dir, "src/index.ts"), SOURCE);
    const result = await build({ project: path.join(dir, "tsconfig.json"), outDir });
    assert.ok(result.success, formatDiagnostics(result.diagnostics));
    service = await startBundle("stamp", path.join(outDir, "services", "stamp"));
  });
  after(() => stopAll([service]));

  async function issuesOf(body: Record<string, unknown>) {
    const res = await post(`${service!.url}/stamp`, { ...GOOD, ...body });
    assert.equal(res.status, 400, JSON.stringify(res.body));
    return { issues: res.body.error.issues as { path: string; rule: string; message: string }[], message: res.body.error.message as string };
  }

  describe("400s name pattern-checked wire forms, not their regular expressions", () => {
    test("a bad Date, bigint and base64 string", async () => {
      const { issues, message } = await issuesOf({ at: "yesterday", count: "12a", bytes: "%%%", times: ["2024-03-05T10:00:00.000Z", 5] });
      assert.deepEqual(issues, [
        { path: "at", rule: "pattern", message: DATE },
        { path: "count", rule: "pattern", message: "must be a bigint as a string of digits" },
        { path: "bytes", rule: "pattern", message: "must be base64" },
        { path: "times[1]", rule: "type", message: DATE },
      ]);
      assert.ok(message.startsWith(`invalid request to stamp: at: ${DATE}; count: must be a bigint`), message);
      assert.doesNotMatch(message, /\\d|\[0-9|\^\(/, "no regular expression in the message");
    });

    test("a number that is no number names the words for the numbers JSON cannot write", async () => {
      const { issues } = await issuesOf({ weight: "heavy" });
      assert.deepEqual(issues, [{ path: "weight", rule: "type", message: 'must be a number (or "NaN", "Infinity", "-Infinity", "-0" for the numbers JSON cannot write)' }]);
    });

    test("a bad or missing discriminator names the allowed tags", async () => {
      assert.deepEqual((await issuesOf({ shape: { kind: "oval", radius: 1 } })).issues, [
        { path: "shape.kind", rule: "discriminator", message: 'must be one of "circle", "square"' },
      ]);
      assert.deepEqual((await issuesOf({ shape: { radius: 1 } })).issues, [
        { path: "shape.kind", rule: "discriminator", message: 'missing property; must be one of "circle", "square"' },
      ]);
    });
  });
});
