// The rewrite of compound assignments around a call that becomes a network
// call: the target is read after the await (the documented behaviour), and
// every expression of the program is still evaluated exactly once, in the
// monolith's order. Each case is scanned, planned and rewritten as a build
// does it, then the original (sync `f`) and the rewrite (async `f$remote`)
// both run here, and their results and logs of side effects must agree.
import assert from "node:assert/strict";
import { test } from "node:test";
import { compoundEdits } from "../src/plan/compound-edits.ts";
import { agrees } from "./helpers/rewrite-and-run.ts";

test("compoundEdits: a name is read again; an object and key are passed in once, in place", () => {
  const text = "t += g(1); a()[k()] *= g(2);";
  const out = (edits: ReturnType<typeof compoundEdits>) =>
    [...edits].sort((a, b) => b.start - a.start || b.end - a.end || b.order - a.order).reduce((s, e) => s.slice(0, e.start) + e.text + s.slice(e.end), text);
  const name = compoundEdits({ start: 0, end: 9, rightStart: 5, operator: "+", access: "t", captures: [], value: "v$" });
  assert.equal(out(name), "t = ((v$) => t + v$)(g(1)); a()[k()] *= g(2);");
  const element = compoundEdits({
    start: 11,
    end: 27,
    rightStart: 23,
    operator: "*",
    access: "o$[k$]",
    captures: [
      { start: 11, end: 14, name: "o$" },
      { start: 15, end: 18, name: "k$" },
    ],
    value: "v$",
  });
  assert.equal(out(element), "t += g(1); ((o$, k$, v$) => o$[k$] = o$[k$] * v$)(a(), k(), g(2));");
});

test("a name: read after the await, as before", async () => {
  await agrees(`  let total = 1;\n  total += f(2);\n  return [total, log];`, ["total = ((v$) => total + v$)((await f$remote(2)))"]);
});

test("the issue's case: obj().p += f(x) evaluates obj() once", async () => {
  await agrees(`  const box = { total: 1 };\n  note("box", box).total += f(2);\n  return [box, log];`, [`((o$, v$) => o$.total = o$.total + v$)(note("box", box), (await f$remote(2)))`]);
});

test("an element target: object, then key, once each and before the call; a literal key stays as it is", async () => {
  await agrees(`  const a = [1, 2, 3];\n  note("a", a)[note("k", 1)] *= f(2);\n  note("a2", a)[2] -= f(1);\n  return [a, log];`, [
    `((o$, k$, v$) => o$[k$] = o$[k$] * v$)(note("a", a), note("k", 1), (await f$remote(2)))`,
    `((o$, v$) => o$[2] = o$[2] - v$)(note("a2", a), (await f$remote(1)))`,
  ]);
});

test("remote calls inside the target's object or key are awaited in place", async () => {
  await agrees(`  const rows = [[1, 2], [3, 4]];\n  rows[f(0)]![note("k", f(1) % 2)] += f(3);\n  return [rows, log];`, [
    "((o$, k$, v$) => o$[k$] = o$[k$] + v$)(rows[(await f$remote(0))]!, note(\"k\", (await f$remote(1)) % 2), (await f$remote(3)))",
  ]);
});

test("the call deeper in the right side, and nested compound assignments, each target once", async () => {
  await agrees(`  const box = { n: 1, items: [5, 6] };\n  note("box", box).n -= 2 * f(1) + f(2);\n  note("outer", box).n += note("inner", box).items[note("k", 1)] += f(3);\n  return [box, log];`, [
    `((o$, v$) => o$.n = o$.n - v$)(note("box", box), 2 * (await f$remote(1)) + (await f$remote(2)))`,
    `((o$, v$) => o$.n = o$.n + v$)(note("outer", box), ((o$, k$, v$) => o$[k$] = o$[k$] + v$)(note("inner", box).items, note("k", 1), (await f$remote(3))))`,
  ]);
});

test("++, --, and the logical assignments need no rewrite: their target is evaluated once as written", async () => {
  const text = await agrees(
    `  const box: { items: number[]; maybe?: number; flag: number; on: number } = { items: [1, 2, 3], flag: 0, on: 1 };\n  note("a", box).items[note("k", f(1) % 3)]++;\n  --note("b", box).items[f(2) % 3];\n  note("c", box).maybe ??= f(1);\n  note("d", box).flag ||= f(2);\n  note("e", box).on &&= f(3);\n  return [box, log];`,
    [`note("a", box).items[note("k", (await f$remote(1)) % 3)]++`, `note("c", box).maybe ??= (await f$remote(1))`],
  );
  assert.ok(!text.includes("o$"), text);
});

test("this.p and super.p are read again; super[k()] passes only the key", async () => {
  const outside = `
class Base {
  constructor(readonly log: string[]) {}
  get p(): number { this.log.push("get p"); return 1; }
  set p(v: number) { this.log.push(\`set p \${v}\`); }
}
class Counter extends Base {
  n = 0;
  bump(): void {
    this.n += f(1);
    super.p += f(2);
    super[(this.log.push("key"), "p")] += f(3);
  }
}`;
  await agrees(`  const c = new Counter(log);\n  c.bump();\n  return [c.n, log];`, ["this.n = ((v$) => this.n + v$)((await f$remote(1)))", "super.p = ((v$) => super.p + v$)((await f$remote(2)))", `((k$, v$) => super[k$] = super[k$] + v$)((this.log.push("key"), "p"), (await f$remote(3)))`], outside);
});

test("a private name; an array method's receiver runs once; an array method or an IIFE on the right is read after too", async () => {
  const outside = `
class Cell {
  #n = 1;
  bump(other: () => Cell): number {
    other().#n += f(1);
    return this.#n;
  }
}`;
  await agrees(
    `  const c = new Cell();\n  const box = { t: 0 };\n  const list = () => note("list", [1, 2]);\n  const mapped = list().map((x) => f(x));\n  note("box", box).t += list().reduce((s, x) => s + f(x), 0);\n  note("box", box).t += (() => f(5))();\n  return [c.bump(() => note("cell", c)), mapped, box, log];`,
    [
      "((o$, v$) => o$.#n = o$.#n + v$)(other(), (await f$remote(1)))",
      "(await $tsmAsync.map(list(), async (x) => (await f$remote(x))))",
      `((o$, v$) => o$.t = o$.t + v$)(note("box", box), (await $tsmAsync.reduce(list(), async (s, x) => s + (await f$remote(x)), 0)))`,
      `((o$, v$) => o$.t = o$.t + v$)(note("box", box), (await (async () => (await f$remote(5)))()))`,
    ],
    outside,
  );
});

test("the rewrite's parameters take names the file does not use", async () => {
  const text = await agrees(
    `  let v$ = 1;\n  const o$ = { p: 1 };\n  const k$ = 0;\n  const a = [1];\n  v$ += f(1);\n  note("o", o$).p += f(v$);\n  a[k$] += f(2);\n  return [v$, o$, a, log];`,
    ["v$ = ((v$1) => v$ + v$1)((await f$remote(1)))", `((o$1, v$1) => o$1.p = o$1.p + v$1)(note("o", o$), (await f$remote(v$)))`, "((o$1, k$1, v$1) => o$1[k$1] = o$1[k$1] + v$1)(a, k$, (await f$remote(2)))"],
  );
  assert.ok(!/\(\(v\$\)|\(\(o\$,/.test(text), text);
});
