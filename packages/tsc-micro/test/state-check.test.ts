// The state checks against real plans: in-memory programs are scanned,
// modelled and planned as a build does, then judged. Each scenario lists the
// exact diagnostics it must give (code, place), and nothing else.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Project, ts } from "ts-morph";
import type { Diagnostic } from "../src/diagnostics/diagnostic.ts";
import { model } from "../src/model/model.ts";
import { plan } from "../src/plan/plan.ts";
import type { PlanOptions } from "../src/plan/plan.ts";
import { checkState } from "../src/plan/state/check-state.ts";
import { collectStateFacts } from "../src/plan/state/collect-facts.ts";
import { scan } from "../src/scan/scan.ts";

interface Expected {
  code: number;
  file: string;
  /** Unique text in the file; `mark` (default all of it) is where the diagnostic starts. */
  at: string;
  mark?: string;
  /** What the message must say. */
  says?: RegExp;
  /** What the hint must say. */
  hints?: RegExp;
}

interface Scenario {
  name: string;
  files: Record<string, string>;
  options?: PlanOptions;
  expect: Expected[];
}

const COUNTER = `let count = 0;

function bump(): number {
  count += 1;
  return count;
}

/** @microservice service=writer */
export function hit(): number {
  return bump();
}

/** @microservice service=reader */
export function hits(): number {
  return count;
}
`;

const SHOP = `export interface Order { id: string; status: string }
const orders = new Map<string, Order>();

/** @microservice service=orders */
export function createOrder(id: string): Order {
  const order = { id, status: "NEW" };
  orders.set(id, order);
  return order;
}

/** @microservice service=billing */
export function markPaid(order: Order): void {
  order.status = "PAID";
}

/** @microservice service=lookup */
export function countOrders(): number {
  return orders.size;
}
`;

const SCENARIOS: Scenario[] = [
  {
    name: "a let changed through a local helper in one service and read in another",
    files: { "src/counter.ts": COUNTER },
    expect: [{ code: 3101, file: "src/counter.ts", at: "count = 0", mark: "count", says: /'count'.*service 'writer': bump assigns it \(count \+= 1 at src\/counter\.ts:4\).*service 'reader': hits reads it/ }],
  },
  { name: "the same, colocated by configuration", files: { "src/counter.ts": COUNTER }, options: { colocate: [["writer", "reader"]] }, expect: [] },
  { name: "the same, monolith mode", files: { "src/counter.ts": COUNTER }, options: { mode: "monolith" }, expect: [] },
  {
    name: "the same, marked @perProcess",
    files: { "src/counter.ts": COUNTER.replace("let count = 0;", "/** Calls served by this process. @perProcess */\nlet count = 0;") },
    expect: [],
  },
  {
    name: "a singleton of the program's class, changed by its method in one service",
    files: {
      "src/registry.ts": `class Registry {
  private names = new Set<string>();
  register(name: string): void { this.names.add(name); }
  has(name: string): boolean { return this.names.has(name); }
}
const registry = new Registry();

/** @microservice service=signup */
export function signUp(name: string): void {
  registry.register(name);
}

/** @microservice service=login */
export function known(name: string): boolean {
  return registry.has(name);
}
`,
    },
    expect: [{ code: 3101, file: "src/registry.ts", at: "registry = new", mark: "registry", says: /registry\.register\(name\), which does this\.names\.add\(name\)/ }],
  },
  {
    name: "state imported by other modules, changed in one and read by an entry point",
    files: {
      "src/store.ts": "export const seen: string[] = [];\n",
      "src/track.ts": `import { seen } from "./store.js";
/** @microservice */
export function track(page: string): void {
  seen.push(page);
}
`,
      "src/main.ts": `import { seen } from "./store.js";
import { track } from "./track.js";
track("home");
console.log(seen.length);
`,
    },
    options: { entries: ["src/main.ts"] },
    expect: [{ code: 3101, file: "src/store.ts", at: "seen", says: /entry point 'main' \(src\/main\.ts\): module top level reads it.*service 'track': track changes it/, hints: /an entry point always runs in its own process/ }],
  },
  {
    name: "module state filled at its own top level and only read afterwards",
    files: {
      "src/prices.ts": `const prices = new Map<string, number>();
prices.set("apple", 3);
prices.set("pear", 4);
const settings = { currency: "EUR", rounding: 2 };

/** @microservice service=quote */
export function price(item: string): number {
  return prices.get(item) ?? 0;
}

/** @microservice service=catalog */
export function items(): string[] {
  return [...prices.keys()].map((k) => \`\${k} (\${settings.currency})\`);
}

/** @microservice service=quote */
export function currency(): string {
  return settings.currency;
}
`,
    },
    expect: [],
  },
  {
    name: "a constant returned by a service function (its result goes out as a copy) and read by another service",
    files: {
      "src/levels.ts": `const LEVELS = ["low", "mid", "high"];
/** @microservice service=a */
export function levels(): string[] {
  return LEVELS;
}
/** @microservice service=b */
export const isLevel = (x: string): boolean => LEVELS.includes(x);
/** @microservice service=b */
export const allLevels = (): string[] => LEVELS;
`,
    },
    expect: [],
  },
  {
    name: "state handed out by a helper: undecided",
    files: {
      "src/cache.ts": `const entries = new Map<string, string>();
function table(): Map<string, string> {
  return entries;
}

/** @microservice service=put */
export function put(k: string, v: string): void {
  table().set(k, v);
}

/** @microservice service=get */
export function get(k: string): string {
  return entries.get(k) ?? "";
}
`,
    },
    expect: [{ code: 3103, file: "src/cache.ts", at: "return entries;", says: /cannot tell whether module state 'entries'.*returned from 'table'/ }],
  },
  {
    name: "a method chosen at run time: undecided",
    files: {
      "src/dyn.ts": `const seen = new Set<string>();
/** @microservice service=a */
export function apply(op: "add" | "delete", v: string): void {
  seen[op](v);
}
/** @microservice service=b */
export function size(): number {
  return seen.size;
}
`,
    },
    expect: [{ code: 3103, file: "src/dyn.ts", at: "seen[op]", says: /chosen at run time/ }],
  },
  {
    name: "a namespace object used as a whole: undecided",
    files: {
      "src/flags.ts": "export const flags: Record<string, boolean> = { beta: false };\nexport const LIMIT = 10;\n",
      "src/admin.ts": `import * as config from "./flags.js";
/** @microservice service=admin */
export function setFlag(name: string): void {
  const all = config as unknown as Record<string, Record<string, boolean>>;
  all["flags"]![name] = true;
}
`,
      "src/app.ts": `import { flags, LIMIT } from "./flags.js";
/** @microservice service=app */
export function beta(): boolean {
  return flags["beta"] === true && LIMIT > 0;
}
`,
    },
    expect: [{ code: 3103, file: "src/admin.ts", at: "config as unknown", mark: "config", says: /namespace 'config' is used as a whole/ }],
  },
  {
    name: "a remote callee changing its argument, read afterwards by the caller",
    files: {
      "src/shop.ts": SHOP,
      "src/checkout.ts": `import { createOrder, markPaid } from "./shop.js";
/** @microservice service=checkout */
export function checkout(id: string): string {
  const order = createOrder(id);
  markPaid(order);
  return order.status;
}
/** @microservice service=checkout */
export function checkoutFixed(id: string): string {
  let order = createOrder(id);
  markPaid(order);
  order = createOrder(id);
  return order.status;
}
`,
    },
    options: { colocate: [["orders", "lookup"]] },
    expect: [{ code: 3102, file: "src/checkout.ts", at: "markPaid(order);\n  return", mark: "markPaid(order)", says: /'markPaid' changes its parameter 'order' \(order\.status = "PAID" at src\/shop\.ts:13\).*order\.status at src\/checkout\.ts:6/ }],
  },
  {
    name: "the argument's change is local when caller and callee share a service",
    files: {
      "src/shop.ts": SHOP,
      "src/checkout.ts": `import { createOrder, markPaid } from "./shop.js";
/** @microservice service=billing */
export function checkout(id: string): string {
  const order = createOrder(id);
  markPaid(order);
  return order.status;
}
`,
    },
    options: { colocate: [["orders", "lookup"]] },
    expect: [],
  },
  {
    name: "casts passed to remote calls (not `as const`, not a widening, not `!` on a non-null value)",
    files: {
      "src/pay.ts": `export interface Payment { amount: number; currency: "EUR" | "USD" }
/** @microservice service=pay */
export function pay(p: Payment, note: string): string {
  return \`\${p.amount} \${p.currency} \${note}\`;
}
/** @microservice service=shop */
export function buy(raw: unknown, maybe: string | undefined, p: Payment): string[] {
  const tags = ["a", "b"] as const;
  return [
    pay(raw as Payment, maybe!),
    pay({ amount: 1, currency: (maybe ?? "EUR") as "EUR" }, tags[0]),
    pay(p as Payment, String(maybe!)),
    pay(<Payment>raw, "x"),
  ];
}
/** @microservice service=pay */
export function local(raw: unknown): string {
  return pay(raw as Payment, "same service");
}
`,
      "src/boot.ts": `import { pay } from "./pay.js";
import type { Payment } from "./pay.js";
// Runs when the module loads, in every bundle that loads it: a remote call too.
const first = pay(JSON.parse("{}") as Payment, "boot");
/** @microservice service=boot */
export function firstPayment(): string {
  return first;
}
`,
    },
    expect: [
      { code: 3104, file: "src/pay.ts", at: "raw as Payment, maybe!", mark: "raw as Payment", says: /'raw as Payment' is passed to parameter 'p' of 'pay'.*service 'pay'/ },
      { code: 3104, file: "src/pay.ts", at: "maybe!),", mark: "maybe!", says: /parameter 'note'/ },
      { code: 3104, file: "src/pay.ts", at: '(maybe ?? "EUR") as "EUR"' },
      { code: 3104, file: "src/pay.ts", at: "<Payment>raw" },
      { code: 3104, file: "src/boot.ts", at: 'JSON.parse("{}") as Payment' },
    ],
  },
];

describe("state checks against a plan", () => {
  let results: Map<string, Diagnostic[]> | undefined;
  for (const scenario of SCENARIOS) {
    test(scenario.name, () => {
      results ??= runAll(SCENARIOS);
      const found = results.get(scenario.name)!;
      const problems: string[] = [];
      const matched = new Set<Diagnostic>();
      for (const e of scenario.expect) {
        const text = scenario.files[e.file]!;
        const start = text.indexOf(e.at);
        assert.ok(start >= 0 && text.indexOf(e.at, start + 1) < 0, `'${e.at}' occurs once in ${e.file}`);
        const offset = start + e.at.indexOf(e.mark ?? e.at);
        const d = found.find((x) => x.file === e.file && x.start === offset && x.code === e.code);
        if (!d) {
          problems.push(`missing TSM${e.code} at ${e.file}:'${e.mark ?? e.at}'`);
          continue;
        }
        matched.add(d);
        if (e.says && !e.says.test(d.message)) problems.push(`TSM${e.code} does not say ${e.says}: ${d.message}`);
        if (!d.hint) problems.push(`TSM${e.code} has no hint`);
        if (e.hints && !e.hints.test(d.hint ?? "")) problems.push(`TSM${e.code}'s hint does not say ${e.hints}: ${d.hint}`);
        assert.equal(d.category, e.code === 3101 || e.code === 3102 ? "error" : "warning");
      }
      for (const d of found) if (!matched.has(d)) problems.push(`unexpected ${d.file}(${d.line},${d.column}) TSM${d.code}: ${d.message}`);
      assert.deepEqual(problems, []);
    });
  }
});

/** Every scenario in its own folder of one in-memory project (the checker is shared), scanned, planned and checked. */
function runAll(scenarios: readonly Scenario[]): Map<string, Diagnostic[]> {
  const project = new Project({ useInMemoryFileSystem: true, compilerOptions: { strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext } });
  scenarios.forEach((s, i) => {
    for (const [file, text] of Object.entries(s.files)) project.createSourceFile(`/s${i}/${file}`, text);
  });
  const out = new Map<string, Diagnostic[]>();
  scenarios.forEach((s, i) => {
    const rootDir = `/s${i}`;
    const scanned = scan(project, { rootDir });
    assert.deepEqual(scanned.diagnostics, [], `${s.name}: the program scans cleanly`);
    const planned = plan(scanned, model(project, rootDir, scanned.functions), s.options ?? {});
    assert.deepEqual(planned.diagnostics, [], `${s.name}: the program plans cleanly`);
    out.set(s.name, checkState(scanned, collectStateFacts(project, rootDir, scanned), planned.plan));
  });
  return out;
}
