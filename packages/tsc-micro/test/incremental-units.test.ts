// The pure pieces of the incremental rebuild (src/incremental/): the text change and the offsets it
// moves, the body-edit test, the witnesses and chunk names of a partial bundle, and the check of a
// partial bundle's imports against the whole build's.
import assert from "node:assert/strict";
import { test } from "node:test";
import { bodyEdit } from "../src/incremental/body-edit.ts";
import { chunkNames, entryIdentity, withWitnesses } from "../src/incremental/chunk-sets.ts";
import { moveOffsets, withoutLines } from "../src/incremental/move-offsets.ts";
import { sameImports } from "../src/incremental/rebundle.ts";
import { movedEnd, movedStart, textChange } from "../src/incremental/text-change.ts";

const hunk = (oldStart: number, oldEnd: number, newStart: number, newEnd: number) => ({ oldStart, oldEnd, newStart, newEnd });

test("textChange: the span between the common prefix and suffix, split into hunks where text inside it is kept; none for equal texts", () => {
  assert.equal(textChange("abc", "abc"), undefined);
  assert.deepEqual(textChange("return 1;", "return 12;"), { start: 8, oldEnd: 8, newEnd: 9, delta: 1, hunks: [hunk(8, 8, 8, 9)] });
  assert.deepEqual(textChange("f(a, b)", "f(b)"), { start: 2, oldEnd: 5, newEnd: 2, delta: -3, hunks: [hunk(2, 5, 2, 2)] });
  assert.deepEqual(textChange("x = 1", "x = 2"), { start: 4, oldEnd: 5, newEnd: 5, delta: 0, hunks: [hunk(4, 5, 4, 5)] });
  // Repeated characters: the prefix is taken first, the suffix never overlaps it.
  assert.deepEqual(textChange("aaa", "aaaa"), { start: 3, oldEnd: 3, newEnd: 4, delta: 1, hunks: [hunk(3, 3, 3, 4)] });
  // Wrapping keeps the wrapped text: `f(x)` maps to where it is now.
  const change = textChange("return f(x);", "return g(f(x), y);")!;
  assert.deepEqual(change.hunks, [hunk(7, 7, 7, 9), hunk(11, 11, 13, 17)]);
  assert.equal(movedStart(change, 7), 9, "f( moved right by `g(`");
  assert.equal(movedEnd(change, 11), 13, "the end of f(x) too");
});

test("movedStart/movedEnd: before stays, after moves, inside is lost; at an insertion a start follows the inserted text, an end does not", () => {
  const replace = { start: 10, oldEnd: 14, newEnd: 20, delta: 6, hunks: [hunk(10, 14, 10, 20)] };
  assert.equal(movedStart(replace, 9), 9);
  assert.equal(movedStart(replace, 10), undefined);
  assert.equal(movedStart(replace, 13), undefined);
  assert.equal(movedStart(replace, 14), 20);
  assert.equal(movedEnd(replace, 10), 10);
  assert.equal(movedEnd(replace, 11), undefined);
  assert.equal(movedEnd(replace, 14), undefined);
  assert.equal(movedEnd(replace, 15), 21);
  const insert = { start: 10, oldEnd: 10, newEnd: 13, delta: 3, hunks: [hunk(10, 10, 10, 13)] };
  assert.equal(movedStart(insert, 10), 13);
  assert.equal(movedEnd(insert, 10), 10);
});

test("moveOffsets: the file's spans and ids move, another file's stay, a span in the change is refused", () => {
  const change = { start: 100, oldEnd: 110, newEnd: 105, delta: -5, hunks: [hunk(100, 110, 100, 105)] };
  const plan = {
    routes: [{ functionId: "src/a.ts:200", file: "src/a.ts" }, { functionId: "src/b.ts:200", file: "src/b.ts" }],
    rewrites: [
      { file: "src/a.ts", edits: [{ start: 50, end: 50, text: "await ", order: 0 }, { start: 120, end: 125, text: "f$remote", order: 1 }] },
      { file: "src/b.ts", edits: [{ start: 120, end: 125, text: "g$remote", order: 1 }] },
    ],
    calls: [{ file: "src/b.ts", calleeId: "src/a.ts:300", contextId: "src/b.ts:module", start: 5, end: 9 }],
    context: { id: "src/a.ts:90", file: "src/a.ts", start: 90, length: 40, line: 3, column: 1 },
  };
  assert.deepEqual(moveOffsets(plan, "src/a.ts", change), {
    routes: [{ functionId: "src/a.ts:195", file: "src/a.ts" }, { functionId: "src/b.ts:200", file: "src/b.ts" }],
    rewrites: [
      { file: "src/a.ts", edits: [{ start: 50, end: 50, text: "await ", order: 0 }, { start: 115, end: 120, text: "f$remote", order: 1 }] },
      { file: "src/b.ts", edits: [{ start: 120, end: 125, text: "g$remote", order: 1 }] },
    ],
    calls: [{ file: "src/b.ts", calleeId: "src/a.ts:295", contextId: "src/b.ts:module", start: 5, end: 9 }],
    // A span around the change: its start stays, its end moves (the length with it); lines are left as they were.
    context: { id: "src/a.ts:90", file: "src/a.ts", start: 90, length: 35, line: 3, column: 1 },
  });
  assert.equal(moveOffsets({ file: "src/a.ts", start: 105, end: 108 }, "src/a.ts", change), undefined);
  assert.equal(moveOffsets({ file: "src/a.ts", start: 95, end: 105 }, "src/a.ts", change), undefined);
  assert.equal(moveOffsets({ file: "src/a.ts", edits: [{ start: 100, end: 100, text: "await " }] }, "src/a.ts", change), undefined, "an insertion right at the change");
  assert.deepEqual(withoutLines({ a: [{ line: 1, column: 2, start: 3 }] }), { a: [{ start: 3 }] });
});

const SOURCE = `import type { Item } from "./types.js";

/** @microservice */
export function total(items: Item[]): number {
  return items.reduce((s, i) => s + i.qty, 0);
}

export const label = (name: string) => \`label:\${name}\`;

export class Shop {
  count(items: Item[]): number {
    return items.length;
  }
}
`;

function edit(before: string, from: string, to: string) {
  const after = before.replace(from, to);
  assert.notEqual(after, before, `${from} is in the text`);
  return bodyEdit("src/shop.ts", before, after, textChange(before, after)!);
}

test("bodyEdit: inside one top-level function's body, with its declaration's name and whether its return type is written", () => {
  assert.deepEqual(edit(SOURCE, "s + i.qty", "s + i.qty * 2"), { ok: true, name: "total", returnTyped: true });
  assert.deepEqual(edit(SOURCE, "`label:${name}`", "`label: ${name}`"), { ok: true, name: "label", returnTyped: false });
  assert.deepEqual(edit(SOURCE, "return items.length;", "return items.length + 1;"), { ok: true, name: "Shop", returnTyped: true });
});

test("bodyEdit: a signature, a tag, an unclosed comment, a new import() or an edit across functions is not a body edit", () => {
  for (const [from, to] of [
    ["total(items: Item[]): number", "total(items: Item[], n: number): number"],
    ["/** @microservice */", "/** @microservice retry=2 */"],
    ["s + i.qty, 0);", "s + i.qty, 0); /* the rest of the file"],
    ["return items.reduce(", 'await import("node:fs");\n  return items.reduce('],
    ["s + i.qty, 0);\n}\n\nexport const label = (name: string) => `label:", "s + i.qty, 1);\n}\n\nexport const label = (name: string) => `label!"],
  ] as const) {
    assert.equal(edit(SOURCE, from, to).ok, false, `${from} → ${to}`);
  }
});

test("entryIdentity: a service by its path, a dynamic import's chunk by its name without the hash", () => {
  assert.equal(entryIdentity("services/a/index.mjs"), "services/a/index.mjs");
  assert.equal(entryIdentity("services/_chunks/defaultMetrics-333YUBVA.mjs"), "dynamic:defaultMetrics");
});

test("withWitnesses: adds the smallest services that tell every chunk of the affected one apart; chunkNames maps the partial build's chunks back", () => {
  const a = "services/a/index.mjs";
  const b = "services/b/index.mjs";
  const c = "services/c/index.mjs";
  const whole = { [a]: ["services/_chunks/chunk-ALL00000.mjs", "services/_chunks/chunk-AB000000.mjs"], [b]: ["services/_chunks/chunk-ALL00000.mjs", "services/_chunks/chunk-AB000000.mjs"], [c]: ["services/_chunks/chunk-ALL00000.mjs"] };
  const sizes = { [a]: 10, [b]: 30, [c]: 20 };
  // {a} alone, {a,b,c} and {a,b} must stay three different things: b and c both needed.
  assert.deepEqual(withWitnesses(whole, sizes, [a])!.sort(), [a, b, c]);
  // c alone loads one chunk: a single witness tells its own code from it.
  assert.deepEqual(withWitnesses(whole, sizes, [c]), [c, a]);
  const partial = { [a]: ["services/_chunks/chunk-P1111111.mjs", "services/_chunks/chunk-P2222222.mjs"], [b]: ["services/_chunks/chunk-P1111111.mjs", "services/_chunks/chunk-P2222222.mjs"], [c]: ["services/_chunks/chunk-P2222222.mjs"] };
  assert.deepEqual(
    chunkNames(whole, partial, a),
    new Map([
      ["chunk-P1111111.mjs", "chunk-AB000000.mjs"],
      ["chunk-P2222222.mjs", "chunk-ALL00000.mjs"],
    ]),
  );
  // Cut differently (a loads a chunk of its own in the partial build): no mapping.
  assert.equal(chunkNames(whole, { ...partial, [a]: [...partial[a]!, "services/_chunks/chunk-P3333333.mjs"] }, a), undefined);
});

test("sameImports: the whole build's import statements, in its order, when the partial build imports the same; else undefined", () => {
  const banner = '// generated\nimport { createRequire } from "node:module";\n';
  const before = `${banner}import {\n  b,\n  c as d\n} from "../_chunks/chunk-AAAAAAAA.mjs";\nimport "../_chunks/chunk-BBBBBBBB.mjs";\n\n// code\nold();\n`;
  const made = `${banner}import "../_chunks/chunk-BBBBBBBB.mjs";\nimport {\n  b,\n  c as d\n} from "../_chunks/chunk-AAAAAAAA.mjs";\n\n// code\nnew();\n`;
  assert.equal(sameImports(made, before), `${banner}import {\n  b,\n  c as d\n} from "../_chunks/chunk-AAAAAAAA.mjs";\nimport "../_chunks/chunk-BBBBBBBB.mjs";\n\n// code\nnew();\n`);
  assert.equal(sameImports(made.replace("c as d", "c as e"), before), undefined);
  const numbered = `${banner}import {\n  x,\n  x2\n} from "../_chunks/chunk-AAAAAAAA.mjs";\n\nuse();\n`;
  assert.equal(sameImports(numbered, numbered), undefined, "same-named symbols numbered by esbuild: their order is the whole program's");
  // A family is one only where its base is taken: Ajv's validate20 and validate21, in a chunk that never says `validate`, are two names.
  const ajv = `${banner}import {\n  validate20,\n  validate21\n} from "../_chunks/chunk-AAAAAAAA.mjs";\n\nuse();\n`;
  const asked: string[] = [];
  const spells = (taken: string[]) => (chunk: string, base: string) => (asked.push(`${chunk} ${base}`), taken.includes(base));
  assert.equal(sameImports(ajv, ajv, spells([])), ajv);
  assert.deepEqual(asked, ["chunk-AAAAAAAA.mjs validate"]);
  assert.equal(sameImports(ajv, ajv, spells(["validate"])), undefined, "validate taken: validate20 may be a numbering");
  assert.equal(sameImports(numbered, numbered, spells([])), numbered, "x untaken: x2 is a name of its own");
  const reserved = numbered.replaceAll("x", "default");
  assert.equal(sameImports(reserved, reserved, spells([])), undefined, "a reserved word is always taken");
  const single = `${banner}import {\n  x20,\n  y\n} from "../_chunks/chunk-AAAAAAAA.mjs";\n\nuse();\n`;
  assert.equal(sameImports(single, single), single, "one name of a family: nothing to swap");
});
