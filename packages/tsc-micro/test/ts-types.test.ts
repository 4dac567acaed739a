import assert from "node:assert/strict";
import { test } from "node:test";
import type { TypeIR } from "../src/model/ir.ts";
import { componentDeclaration, namesBeside, toTsType } from "../src/emit/ts-types.ts";
import { typeCheck } from "./helpers/sample-plan.ts";

const date: TypeIR = { kind: "date" };

test("wire IR as TypeScript type text", () => {
  assert.equal(toTsType({ kind: "array", items: { kind: "union", members: [{ kind: "string" }, { kind: "null" }] } }), "Array<string | null>");
  assert.equal(toTsType({ kind: "array", items: date, readonly: true }), "ReadonlyArray<Date>");
  assert.equal(toTsType({ kind: "tuple", elements: [{ type: date, optional: false, name: "at" }, { type: { kind: "bigint" }, optional: true, name: "n" }] }), "[at: Date, n?: bigint]");
  assert.equal(toTsType({ kind: "tuple", elements: [{ type: date, optional: false }], rest: { kind: "url" }, readonly: true }), "readonly [Date, ...Array<URL>]");
  assert.equal(toTsType({ kind: "map", key: { kind: "string" }, value: { kind: "bytes" }, readonly: true }), "ReadonlyMap<string, Uint8Array>");
  assert.equal(toTsType({ kind: "literal", value: 'a"b' }), '"a\\"b"');
  assert.equal(toTsType({ kind: "string", template: "`user-${string}`" }), "`user-${string}`");
  assert.equal(toTsType({ kind: "object", properties: [{ name: "a-b", type: { kind: "any" }, optional: true }, { name: "c", type: { kind: "number" }, optional: true, orUndefined: true }] }), '{ "a-b"?: unknown; c: number | undefined; }');
  assert.equal(toTsType({ kind: "object", properties: [] }), "{}");
});

test("a user type named Date shadows the built-in only where declared: globalThis.Date then", () => {
  const names = namesBeside(["Date"]);
  assert.equal(toTsType({ kind: "union", members: [date, { kind: "ref", name: "Date" }] }, names), "globalThis.Date | Date");
  assert.equal(toTsType(date), "Date");
});

test("component declarations with docs (`*/` escaped) type-check beside each other", () => {
  const text = [
    componentDeclaration({ name: "Date", description: "A user type named Date */ oops", type: { kind: "object", properties: [{ name: "when", type: date, optional: false, description: "built-in */ Date" }] } }, namesBeside(["Date", "Id"])),
    componentDeclaration({ name: "Id", type: { kind: "union", members: [{ kind: "literal", value: 1 }, { kind: "ref", name: "Date" }] } }, namesBeside(["Date", "Id"])),
  ].join("\n");
  assert.match(text, /when: globalThis\.Date;/);
  assert.deepEqual(typeCheck({ "types.d.ts": text }), []);
});
