import assert from "node:assert/strict";
import { test } from "node:test";
import * as runtimeCodec from "../../runtime/src/codec.ts";
import type { ComponentIR, TypeIR } from "../src/model/ir.ts";
import { CodecWriter } from "../src/emit/codec.ts";
import { NameScope } from "../src/emit/names.ts";

const num: TypeIR = { kind: "number" };
const str: TypeIR = { kind: "string" };
const ref = (name: string): TypeIR => ({ kind: "ref", name });
const prop = (name: string, type: TypeIR, optional = false) => ({ name, type, optional });

/** `Event` (a date), `Event$Log` beside it (a list of events), and a recursive `Tree` of bigints. */
const components: Record<string, ComponentIR> = {
  Event: { name: "Event", type: { kind: "object", properties: [prop("at", { kind: "date" }), prop("name", str)] } },
  Event$Log: { name: "Event$Log", type: { kind: "object", properties: [prop("events", { kind: "array", items: ref("Event") })] } },
  Tree: { name: "Tree", type: { kind: "object", properties: [prop("value", { kind: "bigint" }), prop("children", { kind: "array", items: ref("Tree") })] } },
  Plain: { name: "Plain", type: { kind: "object", properties: [prop("s", str)] } },
};

/**
 * Writes the codecs of `type` in both directions as a module body, evaluates it with the
 * real runtime helpers bound to the generated namespace, and returns the two functions.
 */
function compile(type: TypeIR, reserved: string[] = []) {
  const writer = new CodecWriter(components, new NameScope(reserved));
  const encode = writer.lambda(type, "encode") ?? "(x) => x";
  const decode = writer.lambda(type, "decode") ?? "(x) => x";
  const body = `${writer.declarations()}\nreturn { encode: ${encode}, decode: ${decode} };`;
  const made = new Function(writer.namespace, body)(runtimeCodec) as { encode: (v: unknown) => unknown; decode: (v: unknown) => unknown };
  return { ...made, text: `${writer.importLine()}${body}`, writer };
}

/** encode → JSON text → decode gives the value back. */
function roundTrip(type: TypeIR, value: unknown, reserved: string[] = []): void {
  const { encode, decode } = compile(type, reserved);
  assert.deepStrictEqual(decode(JSON.parse(JSON.stringify(encode(value)))), value);
}

test("types with nothing to convert get no code and no import", () => {
  const writer = new CodecWriter(components, new NameScope());
  for (const t of [str, { kind: "boolean" }, ref("Plain"), { kind: "array", items: str }] as TypeIR[]) assert.equal(writer.lambda(t, "decode"), undefined);
  assert.equal(writer.importLine(), "");
  assert.equal(writer.declarations(), "");
});

test("leaves round-trip: Date, bigint, NaN, -0, ±Infinity, bytes, URL", () => {
  roundTrip({ kind: "date" }, new Date("2024-02-29T12:00:00.000Z"));
  roundTrip({ kind: "bigint" }, -(2n ** 70n));
  for (const n of [NaN, -0, 0, Infinity, -Infinity, 1.5]) roundTrip(num, n);
  roundTrip({ kind: "bytes" }, new Uint8Array([0, 255, 7]));
  roundTrip({ kind: "url" }, new URL("https://example.com/a?b=1"));
});

test("containers round-trip: Map, Set, tuples with rest, objects with an index signature", () => {
  roundTrip({ kind: "map", key: { kind: "bigint" }, value: { kind: "date" } }, new Map([[1n, new Date(0)]]));
  roundTrip({ kind: "set", items: num }, new Set([NaN, -0, 3]));
  const tuple: TypeIR = { kind: "tuple", elements: [{ type: { kind: "date" }, optional: false }, { type: str, optional: false }], rest: { kind: "bigint" } };
  roundTrip(tuple, [new Date(5), "x", 1n, 2n]);
  const record: TypeIR = { kind: "object", properties: [prop("n", num)], additional: { kind: "date" } };
  roundTrip(record, { n: -0, a: new Date(1), b: new Date(2) });
});

test("unions: number|string boxes special numbers, so the string 'NaN' stays a string", () => {
  const u: TypeIR = { kind: "union", members: [num, str] };
  const { encode, text } = compile(u);
  assert.match(text, /encodeNumberBoxed/);
  assert.deepEqual(encode(NaN), { $number: "NaN" });
  for (const v of [NaN, -0, Infinity, "NaN", "-0", "x", 2]) roundTrip(u, v);
  roundTrip({ kind: "union", members: [{ kind: "date" }, { kind: "null" }, { kind: "bigint" }] }, null);
  roundTrip({ kind: "union", members: [{ kind: "date" }, { kind: "null" }] }, new Date(9));
});

test("recursive components and a component named Event$Log beside Event get one function each", () => {
  const tree = { value: 1n, children: [{ value: 2n, children: [] }, { value: -3n, children: [{ value: 4n, children: [] }] }] };
  roundTrip(ref("Tree"), tree);
  const log = { events: [{ at: new Date(1), name: "a" }, { at: new Date(2), name: "b" }] };
  roundTrip(ref("Event$Log"), log);
  const { writer } = compile(ref("Event$Log"));
  const names = [...writer.declarations().matchAll(/^function (\S+)\(/gm)].map((m) => m[1]);
  assert.deepEqual(names, ["decode$Event", "decode$Event$Log", "encode$Event", "encode$Event$Log"]);
});

test("user names $c, v and decode$Event are never generated bindings", () => {
  const reserved = ["$c", "v", "decode$Event", "encode$Event"];
  const { text, writer } = compile(ref("Event$Log"), reserved);
  assert.equal(writer.namespace, "$c_2");
  const bindings = [...text.matchAll(/function (\S+?)\((\S+?)\)|\((\S+?)\) =>|import \* as (\S+)/g)].flatMap((m) => m.slice(1).filter(Boolean));
  for (const name of reserved) assert.ok(!bindings.includes(name), `${name} bound in:\n${text}`);
  roundTrip(ref("Event$Log"), { events: [{ at: new Date(3), name: "c" }] }, reserved);
});

test("deterministic: the same IR gives the same text", () => {
  assert.equal(compile(ref("Tree")).text, compile(ref("Tree")).text);
});
