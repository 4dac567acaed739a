// How the state analysis classifies each use of a module-level binding: a
// read, an assignment, a change of its contents (directly, through an alias,
// a helper, a method of the program, a callback's element), or undecided
// (returned, stored, a method chosen at run time). Each statement is one use
// in a function of an in-memory program; the facts say what it is.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Project, ts } from "ts-morph";
import { collectStateFacts } from "../src/plan/state/collect-facts.ts";
import type { StateFacts } from "../src/plan/state/types.ts";
import { scan } from "../src/scan/scan.ts";

const PRELUDE = `interface Order { id: string; status: string; tags: string[] }
class Store {
  private items: Order[] = [];
  add(o: Order): void { this.items.push(o); }
  count(): number { return this.items.length; }
  self(): Store { return this; }
}
function save(m: Map<string, Order>, o: Order): void { m.set(o.id, o); }
function show(m: Map<string, Order>): string { return String(m.size); }
function keep(m: Map<string, Order>): void { kept.push(m); }
const kept: unknown[] = [];
const noop = (x: unknown): void => void x;
`;

/** Every case as its own module of one in-memory program, analysed once. */
function analyse(cases: readonly Case[]): StateFacts {
  const project = new Project({ useInMemoryFileSystem: true, compilerOptions: { strict: true, target: ts.ScriptTarget.ES2022 } });
  cases.forEach((c, i) => {
    project.createSourceFile(
      `/p/src/case-${i}.ts`,
      `${PRELUDE}${c.declaration ?? MAP}\nexport function use(id: string, k: string, o: Order): unknown {\n  ${c.body}\n  return undefined;\n}\nnoop(save); noop(show); noop(keep); noop(Store);\n`,
    );
  });
  return collectStateFacts(project, "/p", scan(project, { rootDir: "/p" }));
}

interface Case {
  body: string;
  declaration?: string;
  kind: string;
  detail?: RegExp;
}

const MAP = "const state = new Map<string, Order>();";

const CASES: Case[] = [
  { body: "noop(state.get(id));", kind: "read" },
  { body: "for (const [key] of state) noop(key);", kind: "read" },
  { body: "noop([...state.values()].length);", kind: "read" },
  { body: "noop(show(state));", kind: "read" },
  { body: "state.set(id, o);", kind: "mutate", detail: /state\.set\(id, o\)/ },
  { body: "state.clear();", kind: "mutate" },
  { body: "state.get(id)!.status = 'PAID';", kind: "mutate" },
  { body: "state.get(id)?.tags.push('x');", kind: "mutate" },
  { body: "for (const x of state.values()) x.status = 'PAID';", kind: "mutate" },
  { body: "state.forEach((x) => { x.status = 'PAID'; });", kind: "mutate", detail: /callback/ },
  { body: "const alias = state; alias.delete(id);", kind: "mutate" },
  { body: "const found = state.get(id); if (found) found.status = 'PAID';", kind: "mutate" },
  { body: "save(state, o);", kind: "mutate", detail: /'save' does m\.set/ },
  { body: "keep(state);", kind: "undecided", detail: /passed to 'keep'/ },
  { body: "return state;", kind: "undecided", detail: /returned from 'use'/ },
  { body: "kept.push({ state });", kind: "undecided", detail: /stored in an object/ },
  { body: "(state as any)[k](id);", kind: "undecided", detail: /chosen at run time/ },
  { declaration: "let state = 0;", body: "state += 1;", kind: "write" },
  { declaration: "let state = 0;", body: "state++;", kind: "write" },
  { declaration: "let state = 0;", body: "kept.push(state);", kind: "read" },
  { declaration: "const state = { retries: 3, nested: { on: true } };", body: "state.nested.on = false;", kind: "mutate" },
  { declaration: "const state = { retries: 3 } as Record<string, number>;", body: "delete state[k];", kind: "mutate" },
  { declaration: "const state = { retries: 3 };", body: "Object.assign(state, { retries: 1 });", kind: "mutate" },
  { declaration: "const state = { retries: 3 };", body: "noop({ ...state, retries: 1 });", kind: "read" },
  { declaration: "const state: number[] = [];", body: "noop(state.slice().sort());", kind: "read" },
  { declaration: "const state: number[] = [];", body: "state.sort();", kind: "mutate" },
  { declaration: "const state = new Store();", body: "state.add(o);", kind: "mutate", detail: /this\.items\.push/ },
  { declaration: "const state = new Store();", body: "noop(state.count());", kind: "read" },
  { declaration: "const state = new Store();", body: "state.self().add(o);", kind: "mutate" },
];

describe("classifying a use of module state", () => {
  let facts: StateFacts | undefined;
  CASES.forEach((c, i) => {
    test(`${c.declaration ?? MAP}  ${c.body}  → ${c.kind}`, () => {
      facts ??= analyse(CASES);
      const state = facts.bindings.find((b) => b.name === "state" && b.file === `src/case-${i}.ts`)!;
      const inUse = state.accesses.filter((a) => a.scopeName === "use");
      assert.equal(inUse.length, 1, "one use of state in the function");
      const use = inUse[0]!;
      assert.equal(use.kind, c.kind, `detail: ${use.detail}`);
      if (c.detail) assert.match(use.detail ?? "", c.detail);
    });
  });
});
