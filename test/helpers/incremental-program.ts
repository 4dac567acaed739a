// A small program for the incremental rebuild's tests (test/incremental-rebuild.test.ts,
// test/e2e-dev-incremental.test.ts): five services over four files, a helper two of them bundle,
// a remote call (checkout → total), an error class every bundle registers, a function whose return
// type is inferred, and an entry point.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { TMP } from "./paths.ts";

const FILES: Record<string, string> = {
  "package.json": JSON.stringify({ name: "incremental-shop", version: "1.0.0", type: "module" }, null, 2),
  "tsconfig.json": JSON.stringify(
    { compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, skipLibCheck: true, types: [] }, include: ["src"] },
    null,
    2,
  ),
  "src/types.ts": `export interface Item {
  sku: string;
  qty: number;
  priceCents: number;
}
`,
  "src/errors.ts": `export class OutOfStock extends Error {
  constructor(readonly sku: string) {
    super(\`out of stock: \${sku}\`);
    this.name = "OutOfStock";
  }
}
`,
  "src/prices.ts": `import type { Item } from "./types.js";

/** A helper, bundled into each service that calls it. */
export function priceOf(item: Item): number {
  return item.qty * item.priceCents;
}

/**
 * The total of the items, in cents.
 * @microservice
 */
export function total(items: Item[]): number {
  return items.reduce((sum, item) => sum + priceOf(item), 0);
}

/**
 * The cheapest line, in cents.
 * @microservice
 */
export function cheapest(items: Item[]): number {
  return Math.min(...items.map(priceOf));
}
`,
  "src/labels.ts": `/**
 * A label (its return type is inferred).
 * @microservice
 */
export function label(name: string) {
  return \`label:\${name}\`;
}

/** @microservice */
export const shout = (text: string): string => text.toUpperCase() + "!";
`,
  "src/checkout.ts": `import { OutOfStock } from "./errors.js";
import { total } from "./prices.js";
import type { Item } from "./types.js";

/**
 * Checks out: the total, refused over a limit.
 * @microservice
 */
export async function checkout(items: Item[]): Promise<number> {
  const sum = await total(items);
  if (sum > 100000) throw new OutOfStock(items[0]?.sku ?? "none");
  return sum;
}
`,
  "src/main.ts": `import { checkout } from "./checkout.js";

async function run(): Promise<void> {
  console.log(\`checked out: \${await checkout([{ sku: "apple", qty: 2, priceCents: 120 }])}\`);
}

await run();
`,
};

/**
 * More shapes for the property test (test/incremental-property.test.ts): a class whose method a
 * service uses, a compound assignment, a loop of calls to another service, an arrow-function service
 * calling a helper from a callback.
 */
export const MORE_FILES: Record<string, string> = {
  "src/stats.ts": `import { label } from "./labels.js";
import { priceOf } from "./prices.js";
import type { Item } from "./types.js";

export class Tally {
  private count = 0;
  add(item: Item): number {
    this.count += item.qty;
    return this.count;
  }
}

/** @microservice */
export function tally(items: Item[]): number {
  const t = new Tally();
  let last = 0;
  for (const item of items) last = t.add(item);
  return last + items.length * 2;
}

/** @microservice */
export async function labelled(items: Item[]): Promise<string[]> {
  const names = items.map((item) => item.sku);
  const out: string[] = [];
  for (const name of names) out.push(await label(name));
  return out;
}

/** @microservice */
export const priced = (items: Item[]): number[] => items.map((item) => priceOf(item) * 2);
`,
};

/** Writes the program (and `more` files) into a fresh folder under the test run's and returns the folder. */
export function writeIncrementalProgram(label: string, more: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(TMP, `${label}-`));
  for (const [rel, text] of Object.entries({ ...FILES, ...more })) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

/** Replaces `from` by `to` in a file of the program (it must be there). */
export function editFile(dir: string, file: string, from: string, to: string): void {
  const abs = path.join(dir, file);
  const before = readFileSync(abs, "utf8");
  const after = before.replace(from, to);
  if (after === before) throw new Error(`${from} is not in ${file}`);
  writeFileSync(abs, after);
}
