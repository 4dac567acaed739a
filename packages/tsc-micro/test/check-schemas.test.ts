// The schema comparer on hand-written schemas: what each direction finds, recursive
// $refs, results read leniently, what it refuses to guess about, and the documents layer.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { compareDocuments } from "../src/check/compare-documents.ts";
import { diffSchemas } from "../src/check/diff-schemas.ts";
import { readPreviousBuild } from "../src/check/previous-build.ts";
import { formatPath } from "../src/check/schema-path.ts";

const closed = (properties: Record<string, unknown>, required: string[] = Object.keys(properties)) => ({ type: "object", properties, required, additionalProperties: false });
const summary = (old: unknown, next: unknown, options: { open?: boolean; oldRoot?: unknown; newRoot?: unknown } = {}) =>
  diffSchemas(old, next, { oldRoot: options.oldRoot ?? {}, newRoot: options.newRoot ?? {}, ...(options.open ? { open: true } : {}) }).map((c) => `${c.path || "."} ${c.kind}${c.narrower ? " narrower" : ""}${c.wider ? " wider" : ""}`);

test("paths read as a TypeScript reader names them", () => {
  assert.equal(formatPath([{ prop: "order" }, { prop: "items" }, { items: true }, { prop: "price" }]), "order.items[].price");
  assert.equal(formatPath([{ prop: "pair" }, { index: 1 }]), "pair[1]");
  assert.equal(formatPath([{ prop: "scores" }, { rest: true }]), "scores.*");
  assert.equal(formatPath([{ prop: "shape" }, { tag: "kind", value: "circle" }, { prop: "radius" }]), 'shape[kind="circle"].radius');
  assert.equal(formatPath([{ prop: "a b" }, { mapValue: true }]), '["a b"].<value>');
});

test("each direction: values the new schema refuses (narrower), values the previous one refused (wider)", () => {
  assert.deepEqual(summary({ type: "string", enum: ["a", "b"] }, { type: "string", enum: ["a", "c"] }), [". enum-member-removed narrower", ". enum-member-added wider"]);
  assert.deepEqual(summary({ type: "number" }, { type: "string" }), [". type-changed narrower wider"]);
  assert.deepEqual(summary({ type: "string" }, { type: ["string", "null"] }), [". union-member-added wider"]);
  assert.deepEqual(summary({ type: "string", minLength: 1 }, { type: "string", minLength: 2, maxLength: 5 }), [". length-narrowed narrower"]);
  assert.deepEqual(summary({ type: "number", minimum: 0 }, { type: "number", exclusiveMinimum: 0 }), [". range-narrowed narrower"]);
  assert.deepEqual(summary({ type: "string", minLength: 1, maxLength: 3 }, { type: "string", minLength: 2, maxLength: 5 }), [". length-changed narrower wider"]);
  assert.deepEqual(summary({ type: "integer" }, { type: "number", multipleOf: 1 }), []);
  assert.deepEqual(summary({ type: "array", items: { type: "string" } }, { type: "array", items: { type: "string" }, uniqueItems: true }), [". unique-items-added narrower"]);
  assert.deepEqual(summary({ type: "string", pattern: "^a" }, { type: "string", pattern: "^b" }), [". pattern-changed narrower wider"]);
});

test("a listed value passes a constrained schema when it meets the constraints", () => {
  assert.deepEqual(summary({ type: "string", enum: ["ab", "abc"] }, { type: "string", maxLength: 3 }), [". type-widened wider"]);
  assert.deepEqual(summary({ type: "string", enum: ["ab", "abcd"] }, { type: "string", maxLength: 3 }), [". enum-member-removed narrower", ". type-widened wider"]);
  assert.deepEqual(summary({ const: 1 }, { type: "integer", minimum: 0 }), [". type-widened wider"]);
});

test("objects of requests are closed: a removed field is refused, an added one too (until the service is deployed)", () => {
  assert.deepEqual(summary(closed({ a: { type: "string" }, b: { type: "string" } }, ["a"]), closed({ a: { type: "string" } })), ["b property-removed narrower"]);
  assert.deepEqual(summary(closed({ a: { type: "string" } }), closed({ a: { type: "string" }, b: { type: "string" } }, ["a"])), ["b property-added wider"]);
  assert.deepEqual(summary(closed({ a: { type: "string" } }), closed({ a: { type: "string" }, b: { type: "string" } })), ["b property-added narrower wider"]);
  assert.deepEqual(summary(closed({ a: { type: "string" } }, []), closed({ a: { type: "string" } })), ["a property-made-required narrower"]);
});

test("results are read leniently: a reader ignores fields it does not know, unless it tells union members apart by them", () => {
  const v1 = closed({ a: { type: "string" }, b: { type: "string" } }, ["a"]);
  const v2 = closed({ a: { type: "string" }, c: { type: "string" } }, ["a"]);
  assert.deepEqual(summary(v1, v2, { open: true }), ["b property-removed", "c property-added"]);
  assert.deepEqual(summary(closed({ a: { type: "string" } }), closed({}, []), { open: true }), ["a property-removed wider"]);
  const union = (extra: Record<string, unknown>) => ({ anyOf: [closed({ x: { type: "number" }, ...extra }, ["x"]), closed({ y: { type: "number" } })] });
  assert.deepEqual(summary(union({}), union({ z: { type: "string" } }), { open: true }), ["z property-added wider"]);
});

test("recursive $refs are followed in each document, a change deep inside found once", () => {
  const tree = (value: string) => ({ $defs: { Tree: closed({ value: { type: value }, children: { type: "array", items: { $ref: "#/$defs/Tree" } } }) } });
  const ref = { $ref: "#/$defs/Tree" };
  assert.deepEqual(summary(ref, ref, { oldRoot: tree("number"), newRoot: tree("number") }), []);
  assert.deepEqual(summary(ref, ref, { oldRoot: tree("number"), newRoot: tree("string") }), ["value type-changed narrower wider"]);
});

test("tagged unions: members are matched by tag, a member removed or added is one change", () => {
  const member = (tag: string, extra: Record<string, unknown> = {}) => closed({ kind: { type: "string", const: tag }, ...extra });
  const shapes = (...members: unknown[]) => ({ type: "object", oneOf: members });
  assert.deepEqual(summary(shapes(member("c", { r: { type: "number" } }), member("s")), shapes(member("c", { r: { type: "string" } }))), [
    '[kind="c"].r type-changed narrower wider',
    '[kind="s"] union-member-removed narrower',
  ]);
});

test("what it does not model is compared whole: equal passes, different is a change both ways", () => {
  assert.deepEqual(summary({ not: { type: "null" } }, { not: { type: "null" }, description: "x" }), []);
  assert.deepEqual(summary({ not: { type: "null" } }, { not: { type: "string" } }), [". schema-changed narrower wider"]);
  // oneOf members that may overlap: reading them as anyOf could hide a value both admit (oneOf refuses it).
  assert.deepEqual(summary({ oneOf: [{ type: "string" }, { type: "string", minLength: 1 }] }, { type: "string" }), [". schema-changed narrower wider"]);
});

test("documents: removed, added and moved functions; a renamed argument; results that appear or go", () => {
  const op = (service: string, body: unknown, result: unknown) => ({
    servers: [{ url: `http://${service}:8080` }],
    post: {
      tags: [service],
      requestBody: { content: { "application/json": { schema: body } } },
      responses: result === null ? { "204": { description: "" } } : { "200": { description: "", content: { "application/json": { schema: result } } } },
    },
  });
  const doc = (paths: Record<string, unknown>) => ({ openapi: "3.1.0", paths });
  const old = doc({
    "/a": op("s", closed({ qty: { type: "number" } }), { type: "string" }),
    "/b": op("s", closed({}), null),
    "/c": op("s", closed({}), { type: "string" }),
    "/gone": op("t", closed({}), null),
  });
  const next = doc({
    "/a": op("s", closed({ quantity: { type: "number" } }), { type: "string" }),
    "/b": op("u", closed({}), { type: "string" }),
    "/c": op("s", closed({}), null),
    "/new": op("s", closed({}), null),
  });
  const changes = compareDocuments(old, next, { oldErrorClasses: ["AError", "BError"], newErrorClasses: ["AError"] });
  assert.deepEqual(
    changes.map((c) => [c.function, c.position, c.path, c.kind, c.breaking, c.breaks.join("+")]),
    [
      ["a", "request", "quantity", "argument-renamed", true, "old-callers+new-callers"],
      ["b", "function", "", "function-moved", true, "old-callers+new-callers"],
      ["b", "response", "", "result-added", false, "new-callers"],
      ["c", "response", "", "result-removed", true, "old-callers"],
      ["gone", "function", "", "function-removed", true, "old-callers"],
      ["new", "function", "", "function-added", false, "new-callers"],
      ["", "errors", "", "error-class-removed", false, "old-callers"],
    ],
  );
  assert.equal(changes[0]!.message, "Argument 'qty' of 'a' was renamed to 'quantity': arguments travel by name, so callers built before this change send the old one.");
  assert.match(changes[4]!.message, /The whole service is gone\.$/);
});

test("the previous build: an output folder (with its clients' error classes) or a document; anything else says why", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "tsc-micro-previous-"));
  const doc = { openapi: "3.1.0", info: { title: "x", version: "1" }, paths: {} };
  mkdirSync(path.join(dir, "dist/clients"), { recursive: true });
  writeFileSync(path.join(dir, "dist/openapi.json"), JSON.stringify(doc));
  writeFileSync(path.join(dir, "dist/clients/errors.d.ts"), "// generated\nexport declare class NotFoundError extends Error {\n}\nexport declare class GoneError extends Error {\n}\n");
  assert.deepEqual(readPreviousBuild(path.join(dir, "dist")).previous, { file: path.join(dir, "dist/openapi.json"), document: doc, errorClasses: ["GoneError", "NotFoundError"] });
  assert.deepEqual(readPreviousBuild(path.join(dir, "dist/openapi.json")).previous, { file: path.join(dir, "dist/openapi.json"), document: doc });
  writeFileSync(path.join(dir, "bad.json"), "{");
  writeFileSync(path.join(dir, "other.json"), JSON.stringify({ swagger: "2.0" }));
  const problems = [path.join(dir, "none"), dir, path.join(dir, "bad.json"), path.join(dir, "other.json")].map((p) => readPreviousBuild(p).diagnostics.map((d) => [d.code, d.message.replace(dir, "<dir>")]));
  assert.deepEqual(problems, [
    [[7002, "Cannot find the previous build '<dir>/none'."]],
    [[7002, "'<dir>' is not a tsc-micro build folder: it has no openapi.json."]],
    [[7002, `Cannot read '<dir>/bad.json' as JSON: ${(() => { try { JSON.parse("{"); } catch (e) { return (e as Error).message; } return ""; })()}`]],
    [[7002, "'<dir>/other.json' is not an OpenAPI 3 document with paths, as a tsc-micro build writes."]],
  ]);
});
