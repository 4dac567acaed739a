// The door and the way out: reserved keys never reach a function, a bad union
// argument gets a small 400 naming the field, and in development a result that
// breaks its declared type is a 500 naming the field.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { build, formatDiagnostics } from "../packages/tsc-micro/src/index.ts";
import { cachedBuild } from "./helpers/build-cache.ts";
import { FIXTURES, REPO, tempOutDir, TMP } from "./helpers/paths.ts";
import { post, startBundle, stopAll } from "./helpers/services.ts";
import type { RunningProcess } from "./helpers/services.ts";

let outDir = "";
const dev: Record<string, RunningProcess> = {};
const prod: Record<string, RunningProcess> = {};

/** A project with a 194-form template-literal union, a discriminated union and a tuple result. */
function unionsProject(): string {
  const dir = mkdtempSync(path.join(TMP, "e2e-validation-unions-"));
  mkdirSync(path.join(dir, "src"));
  writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, skipLibCheck: true, types: [] }, include: ["src"] }));
  const colors = Array.from({ length: 97 }, (_, i) => JSON.stringify(`c${String(i).padStart(2, "0")}`)).join(" | ");
  writeFileSync(
    path.join(dir, "src/unions.ts"),
    `export type Color = ${colors};
/** 97 × 2 = 194 template-literal forms. */
export type Token = \`\${Color}-\${"light" | "dark"}-\${number}\`;
export interface Circle { kind: "circle"; radius: number }
export interface Square { kind: "square"; side: number }
export type Shape = Circle | Square;
/** @microservice */
export function paint(token: Token): string { return token; }
/** @microservice */
export function area(shapes: Shape[]): number { return shapes.length; }
/** @microservice */
export function label(tag: \`x-\${string}\` | \`n\${bigint}\` | \`\${number}px\` | \`on-\${boolean}\`): string { return tag; }
/**
 * Declares four numbers, returns a string last: the development result check catches it.
 * @microservice
 */
export function quad(x: number): [number, number, number, number] { return [x, x, x, String(x) as unknown as number]; }
`,
  );
  return path.join(dir, "tsconfig.json");
}

// The hooks below belong to this file's tests only, so the file can share a process
// (scripts/test-processes.mjs).
describe("e2e-validation", () => {
  before(async () => {
    const result = await cachedBuild({ project: path.join(FIXTURES, "dev-result-check/tsconfig.json") }, "e2e-validation");
    outDir = result.outDir;
    assert.ok(result.success, JSON.stringify(result.diagnostics));
    for (const name of ["liar", "stats", "merge"]) {
      const dir = path.join(outDir, "services", name);
      dev[name] = await startBundle(name, dir, { env: { NODE_ENV: "development" } });
      prod[name] = await startBundle(name, dir);
    }
    const unionsOut = tempOutDir("e2e-validation-unions");
    const unions = await build({ project: unionsProject(), outDir: unionsOut });
    assert.ok(unions.success, formatDiagnostics(unions.diagnostics));
    for (const name of ["paint", "area", "label"]) prod[name] = await startBundle(name, path.join(unionsOut, "services", name));
    dev.quad = await startBundle("quad", path.join(unionsOut, "services", "quad"), { env: { NODE_ENV: "development" } });
  });
  after(() => stopAll([...Object.values(dev), ...Object.values(prod)]));

  describe("results checked against their schema in development", () => {
    test("a result of the wrong type is a 500 that names the field", async () => {
      const res = await post(`${dev.liar!.url}/liar`, { x: 1 });
      assert.equal(res.status, 500);
      assert.equal(res.body.error.name, "ResponseValidationError");
      assert.equal(res.body.error.code, "INTERNAL");
      assert.deepEqual(res.body.error.issues.map((i: { path: string }) => i.path), ["result"]);
      assert.match(res.body.error.message, /liar/);
      const nested = await post(`${dev.stats!.url}/stats`, { xs: [13] });
      assert.equal(nested.status, 500);
      assert.ok(nested.body.error.issues.some((i: { path: string }) => i.path === "result.mean"), JSON.stringify(nested.body));
    });

    test("a tuple element is named result[3], as request paths name it", async () => {
      const res = await post(`${dev.quad!.url}/quad`, { x: 1 });
      assert.equal(res.status, 500);
      assert.equal(res.body.error.name, "ResponseValidationError");
      assert.deepEqual(res.body.error.issues.map((i: { path: string }) => i.path), ["result[3]"]);
      assert.match(res.body.error.message, /: result\[3\]: /);
    });

    test("a good result passes the check, and production does not check", async () => {
      assert.deepEqual(await post(`${dev.stats!.url}/stats`, { xs: [1, 2] }), { status: 200, body: { count: 2, mean: 1.5 } });
      assert.deepEqual(await post(`${prod.liar!.url}/liar`, { x: 1 }), { status: 200, body: "1" });
    });
  });

  describe("reserved keys never reach the function", () => {
    test("__proto__ and constructor anywhere in the body are a 400", async () => {
      for (const raw of ['{"patch": {"__proto__": {"polluted": "yes"}}}', '{"patch": {"constructor": "x"}}', '{"patch": {"a": "1"}, "__proto__": {}}', '{"patch": {"__pro\\u0074o__": {"x": "1"}}}']) {
        const res = await post(`${prod.merge!.url}/merge`, raw, true);
        assert.equal(res.status, 400, raw);
        assert.equal(res.body.error.issues[0].rule, "forbiddenKey");
      }
      assert.deepEqual(await post(`${prod.merge!.url}/merge`, { patch: { a: "1", b: "2" } }), { status: 200, body: 2 });
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
    });
  });

  describe("a bad value for a union is a small 400 that names the field", () => {
    /** POSTs and returns the status, the body's size in bytes and its error. */
    async function postSized(url: string, body: unknown) {
      const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      const text = await res.text();
      return { status: res.status, bytes: Buffer.byteLength(text), error: JSON.parse(text).error };
    }

    test("a template-literal union of 194 forms: one issue, the closest forms, under 4 KiB", async () => {
      const res = await postSized(`${prod.paint!.url}/paint`, { token: "c05-light-x" });
      assert.equal(res.status, 400);
      assert.ok(res.bytes < 4096, `${res.bytes} bytes: ${JSON.stringify(res.error).slice(0, 300)}`);
      assert.deepEqual(res.error.issues, [
        { path: "token", rule: "pattern", message: "must be one of 194 forms; closest: `c05-light-${number}`, `c05-dark-${number}`, `c00-dark-${number}`" },
      ]);
      assert.match(res.error.message, /^invalid request to paint: token: must be one of 194 forms/);
      assert.deepEqual(await post(`${prod.paint!.url}/paint`, { token: "c05-light-7" }), { status: 200, body: "c05-light-7" });
    });

    test("few template forms are all named, each placeholder as TypeScript writes it", async () => {
      const res = await post(`${prod.label!.url}/label`, { tag: "q" });
      assert.equal(res.status, 400);
      // TypeScript itself expands `on-${boolean}` to "on-false" | "on-true". Forms are listed in the
      // model's stable union order: literals by value, then the others by their text.
      assert.deepEqual(res.body.error.issues, [{ path: "tag", rule: "pattern", message: 'must be one of "on-false", "on-true", `${number}px`, `n${bigint}`, `x-${string}`' }]);
    });

    test("a discriminated union names its tags; hundreds of bad elements are capped and counted", async () => {
      const shapes = [{ kind: "hexagon" }, { kind: "circle", radius: "1" }, ...Array.from({ length: 300 }, () => ({ side: 1 }))];
      const res = await postSized(`${prod.area!.url}/area`, { shapes });
      assert.equal(res.status, 400);
      assert.ok(res.bytes < 4096, `${res.bytes} bytes`);
      assert.deepEqual(res.error.issues.slice(0, 3), [
        { path: "shapes[0].kind", rule: "discriminator", message: 'must be one of "circle", "square"' },
        { path: "shapes[1].radius", rule: "type", message: res.error.issues[1].message },
        { path: "shapes[2].kind", rule: "discriminator", message: 'missing property; must be one of "circle", "square"' },
      ]);
      assert.equal(res.error.issues.length, 20);
      assert.equal(res.error.omittedIssues, 302 - 20);
    });
  });
});
