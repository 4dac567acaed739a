// The packages as a user gets them: `npm pack` both from the working tree into a
// folder outside the repository, install the tarballs in a fresh project (no
// workspace, nothing hoisted from here), build a small tagged program there with
// `npx tsc-micro build`, run its two services as processes, and call them from a
// second project that installs only @tsc-micro/runtime and uses the first one's
// generated clients. npm runs offline-first, from the cache `npm ci` filled.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { freePort } from "./helpers/equivalence/processes.ts";
import { REPO } from "./helpers/paths.ts";
import { startBundle, stopAll } from "./helpers/services.ts";
import type { RunningProcess } from "./helpers/services.ts";

const NPM_INSTALL = ["install", "--prefer-offline", "--no-audit", "--no-fund"];
const RUNTIME_VERSION = (JSON.parse(readFileSync(path.join(REPO, "packages/runtime/package.json"), "utf8")) as { version: string }).version;

// The shop: orders asks inventory what is left, inventory values its stock with
// orders' prices, so each service calls the other (and needs the other's URL).
const SHOP: Record<string, string> = {
  "package.json": JSON.stringify({ name: "shop", private: true, type: "module" }, null, 2),
  "tsconfig.json": JSON.stringify(
    {
      compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, skipLibCheck: true, types: [] },
      include: ["src"],
    },
    null,
    2,
  ),
  "src/errors.ts": `/** Thrown when an order asks for more than the stock holds. */
export class OutOfStockError extends Error {
  constructor(readonly sku: string, readonly available: number) {
    super(\`only \${available} of \${sku} left\`);
    this.name = "OutOfStockError";
  }
}
`,
  "src/inventory.ts": `import { OutOfStockError } from "./errors.js";
import { quote } from "./orders.js";

const STOCK: Readonly<Record<string, number>> = { apple: 5, pear: 1 };

/**
 * What is left of \`sku\` once \`qty\` are taken.
 * @microservice service=inventory
 */
export function remainingAfter(sku: string, qty: number): number {
  const available = STOCK[sku] ?? 0;
  if (qty > available) throw new OutOfStockError(sku, available);
  return available - qty;
}

/** @microservice service=inventory */
export function stockValue(sku: string): number {
  return quote(sku, STOCK[sku] ?? 0).totalCents; // split: a call to the orders service
}
`,
  "src/orders.ts": `import { remainingAfter } from "./inventory.js";

const PRICES: Readonly<Record<string, number>> = { apple: 120, pear: 90 };

export interface Quote {
  sku: string;
  qty: number;
  totalCents: number;
  left: number;
}

/** @microservice service=orders */
export function quote(sku: string, qty: number): Quote {
  const left = remainingAfter(sku, qty); // split: a call to the inventory service
  return { sku, qty, totalCents: (PRICES[sku] ?? 0) * qty, left };
}
`,
};

// The storefront: another project, with only the runtime installed and a copy of
// the shop's dist/clients. It prints what it got as one JSON line.
const STOREFRONT_MAIN = `import { inventoryService, ordersService, OutOfStockError, quote, stockValue } from "./clients/index.js";

const seen = { quote: await quote("apple", 2), stockValue: await stockValue("apple") };
try {
  await quote("pear", 3);
  seen.error = "none";
} catch (e) {
  seen.error = {
    isOutOfStockError: e instanceof OutOfStockError,
    isError: e instanceof Error,
    name: e.name,
    message: e.message,
    sku: e.sku,
    available: e.available,
  };
}
inventoryService.close();
ordersService.close();
process.stdout.write(JSON.stringify(seen) + "\\n");
`;

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** npm's own settings from an enclosing `npm test` (prefix, workspace, …) must not leak into the fresh projects; where the cache and registry are stays. */
function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const keep = /^npm_config_(cache|registry|userconfig|globalconfig|.*proxy|strict_ssl|cafile|prefer_offline)$/i;
  const env = Object.fromEntries(Object.entries(process.env).filter(([k, v]) => v !== undefined && (!/^npm_/i.test(k) || keep.test(k)))) as Record<string, string>;
  return { ...env, NO_COLOR: "1", ...extra };
}

/** Runs a command to its end without blocking the event loop (the services' output keeps flowing); throws with its output unless it exits 0. */
function run(command: string, args: string[], cwd: string, env: Record<string, string> = cleanEnv()): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.once("error", reject);
    child.once("close", (code) => {
      if (code === 0) resolve({ code, stdout, stderr });
      else reject(new Error(`${command} ${args.join(" ")} (in ${cwd}) exited ${code}\n--- stdout\n${stdout}\n--- stderr\n${stderr}`));
    });
  });
}

function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
}

/** Where `specifier` resolves from `fromFile`, with links followed. */
function resolvedFrom(fromFile: string, specifier: string): string {
  return realpathSync(createRequire(fromFile).resolve(specifier));
}

const inside = (dir: string, file: string) => !path.relative(dir, file).startsWith("..") && !path.isAbsolute(path.relative(dir, file));

interface Packed {
  name: string;
  filename: string;
  files: { path: string }[];
}

describe("installed outside the repository from npm pack tarballs", () => {
  const started = Date.now();
  const timings: Record<string, number> = {};
  let work: string;
  let shop: string;
  let storefront: string;
  let packed: Record<string, Packed>;
  let built: Ran;
  let answer: any;
  const processes: RunningProcess[] = [];

  async function step<T>(name: string, f: () => Promise<T>): Promise<T> {
    const t = Date.now();
    try {
      return await f();
    } finally {
      timings[name] = Date.now() - t;
    }
  }

  before(async () => {
    // realpath: on macOS os.tmpdir() is a link, and resolved paths come back real.
    work = realpathSync(mkdtempSync(path.join(os.tmpdir(), "tsc-micro-install-")));
    assert.ok(!inside(REPO, work), "the temporary folder must be outside the repository");
    const tarballs = path.join(work, "tarballs");
    mkdirSync(tarballs);
    // prepack builds each package (tsc -b) before it is packed.
    const pack = await step("npm pack (prepack: tsc -b)", () =>
      run("npm", ["pack", "-w", "packages/runtime", "-w", "packages/tsc-micro", "--pack-destination", tarballs, "--json"], REPO, cleanEnv()),
    );
    const list = JSON.parse(pack.stdout.slice(pack.stdout.indexOf("["))) as Packed[];
    packed = Object.fromEntries(list.map((p) => [p.name, p]));
    const tgz = (name: string) => path.join(tarballs, packed[name]!.filename);

    shop = path.join(work, "shop");
    writeFiles(shop, SHOP);
    await step("npm install (shop: both tarballs)", () => run("npm", [...NPM_INSTALL, tgz("tsc-micro"), tgz("@tsc-micro/runtime")], shop));
    built = await step("npx tsc-micro build", () => run("npx", ["--no", "tsc-micro", "build"], shop));

    storefront = path.join(work, "storefront");
    writeFiles(storefront, { "package.json": JSON.stringify({ name: "storefront", private: true, type: "module" }, null, 2), "main.mjs": STOREFRONT_MAIN });
    await step("npm install (storefront: the runtime tarball)", () => run("npm", [...NPM_INSTALL, tgz("@tsc-micro/runtime")], storefront));
    cpSync(path.join(shop, "dist/clients"), path.join(storefront, "clients"), { recursive: true });

    // Each service calls the other, so both ports are chosen before either starts.
    const [inventoryPort, ordersPort] = [await freePort(), await freePort()];
    const urls = { TSC_MICRO_INVENTORY_URL: `http://127.0.0.1:${inventoryPort}`, TSC_MICRO_ORDERS_URL: `http://127.0.0.1:${ordersPort}` };
    await step("start both services", async () => {
      processes.push(await startBundle("inventory", path.join(shop, "dist/services/inventory"), { port: inventoryPort, env: urls }));
      processes.push(await startBundle("orders", path.join(shop, "dist/services/orders"), { port: ordersPort, env: urls }));
    });
    const ran = await step("storefront calls", () => run(process.execPath, ["main.mjs"], storefront, cleanEnv(urls)));
    answer = JSON.parse(ran.stdout);
  });

  after(async () => {
    await stopAll(processes);
    if (work) rmSync(work, { recursive: true, force: true });
    const total = Date.now() - started;
    console.log(`install-outside: ${total} ms in all; ${Object.entries(timings).map(([k, v]) => `${k} ${v} ms`).join(", ")}`);
  });

  test("each tarball holds its built code, README.md, LICENSE and package.json", () => {
    const files = (name: string) => new Set(packed[name]!.files.map((f) => f.path));
    for (const f of ["package.json", "README.md", "LICENSE", "bin/tsc-micro.js", "dist/cli/cli.js", "dist/index.js", "dist/index.d.ts"]) {
      assert.ok(files("tsc-micro").has(f), `tsc-micro tarball lacks ${f}`);
    }
    for (const f of ["package.json", "README.md", "LICENSE", "dist/index.js", "dist/client/index.js", "dist/server/index.js", "dist/errors.js"]) {
      assert.ok(files("@tsc-micro/runtime").has(f), `@tsc-micro/runtime tarball lacks ${f}`);
    }
  });

  test("the shop resolves tsc-micro and the runtime from its own node_modules, not the repository", () => {
    const from = path.join(shop, "package.json");
    for (const specifier of ["tsc-micro", "@tsc-micro/runtime", "@tsc-micro/runtime/client"]) {
      const file = resolvedFrom(from, specifier);
      assert.ok(inside(path.join(shop, "node_modules"), file), `${specifier} resolves to ${file}`);
    }
    // A tarball install copies; a link would lead back into the repository.
    for (const pkg of ["tsc-micro", "@tsc-micro/runtime"]) assert.equal(lstatSync(path.join(shop, "node_modules", pkg)).isSymbolicLink(), false, pkg);
    // What tsc-micro itself loads (the runtime it bundles, its compiler) is the shop's too.
    const cli = resolvedFrom(from, "tsc-micro");
    for (const specifier of ["@tsc-micro/runtime", "ts-morph", "esbuild"]) {
      const file = resolvedFrom(cli, specifier);
      assert.ok(inside(shop, file), `${specifier}, as tsc-micro resolves it, is ${file}`);
    }
    const installed = JSON.parse(readFileSync(path.join(shop, "node_modules/tsc-micro/package.json"), "utf8")) as { dependencies: Record<string, string> };
    assert.equal(installed.dependencies["@tsc-micro/runtime"], `^${RUNTIME_VERSION}`, "a range npm resolves from tarballs and registries");
  });

  test("npx tsc-micro build builds both services and prints the one install command for the clients", () => {
    assert.match(built.stdout, /Built 2 services into dist\//, built.stdout);
    for (const service of ["inventory", "orders"]) assert.ok(existsSync(path.join(shop, "dist/services", service, "index.mjs")), service);
    const commands = built.stdout.split("\n").filter((l) => /^\s*npm install /.test(l)).map((l) => l.trim());
    assert.deepEqual(commands, [`npm install @tsc-micro/runtime@^${RUNTIME_VERSION}`], built.stdout);
    const clients = JSON.parse(readFileSync(path.join(shop, "dist/clients/package.json"), "utf8")) as { dependencies?: Record<string, string> };
    assert.deepEqual(clients.dependencies, { "@tsc-micro/runtime": `^${RUNTIME_VERSION}` });
  });

  test("the build wrote the deployment files too (compose.yaml, k8s/)", () => {
    for (const file of ["compose.yaml", "k8s/kustomization.yaml", "k8s/inventory.yaml", "k8s/orders.yaml"]) {
      assert.ok(existsSync(path.join(shop, "dist/deploy", file)), file);
    }
  });

  test("npx tsc-micro dev runs the shop from its own install: both services answer, calling each other; Ctrl-C stops them", async () => {
    const dev = spawn("npx", ["--no", "tsc-micro", "dev", "--no-type-check"], { cwd: shop, env: cleanEnv({ CI: "true" }), stdio: ["ignore", "pipe", "pipe"], detached: true });
    let output = "";
    dev.stdout.setEncoding("utf8").on("data", (d: string) => (output += d));
    dev.stderr.setEncoding("utf8").on("data", (d: string) => (output += d));
    const exited = new Promise<number | null>((resolve) => dev.once("exit", (code) => resolve(code)));
    let ended = false;
    void exited.then(() => (ended = true));
    try {
      while (!/2 services running/.test(output) && !ended) await new Promise((resolve) => setTimeout(resolve, 25));
      assert.match(output, /2 services running/, output);
      const orders = /\[tsc-micro\] orders\s+(http:\/\/127\.0\.0\.1:\d+)\s+ready/.exec(output)![1]!;
      const response = await fetch(`${orders}/quote`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ sku: "apple", qty: 2 }) });
      assert.deepEqual(await response.json(), { sku: "apple", qty: 2, totalCents: 240, left: 3 });
      const pids = [...output.matchAll(/ready \(pid (\d+)\)/g)].map((m) => Number(m[1]));
      assert.equal(pids.length, 2);
      // npx runs tsc-micro as its child: the group gets the signal, as from a terminal (npm itself
      // may end by the signal; tsc-micro's own exit is its "stopped" line after every service's).
      process.kill(-dev.pid!, "SIGINT");
      await exited;
      assert.match(output, /\[tsc-micro\] stopped/, output);
      assert.equal(output.match(/stopped cleanly/g)?.length, 2, output);
      for (const pid of pids) assert.throws(() => process.kill(pid, 0), /ESRCH/, `service pid ${pid} is gone`);
    } finally {
      if (!ended) process.kill(-dev.pid!, "SIGKILL");
    }
  });

  test("the storefront has only the runtime, and the copied clients load it from there", () => {
    assert.equal(existsSync(path.join(storefront, "node_modules/tsc-micro")), false, "tsc-micro is not installed in the storefront");
    const file = resolvedFrom(path.join(storefront, "clients/index.js"), "@tsc-micro/runtime/client");
    assert.ok(inside(path.join(storefront, "node_modules"), file), `the clients' runtime is ${file}`);
  });

  test("the services answer the storefront, calling each other", () => {
    assert.deepEqual(answer.quote, { sku: "apple", qty: 2, totalCents: 240, left: 3 });
    assert.equal(answer.stockValue, 600, "inventory → orders → inventory");
  });

  test("an error thrown in a service arrives in the storefront as the program's own class", () => {
    // Thrown by inventory, passed through orders, rebuilt by the storefront's runtime.
    assert.deepEqual(answer.error, {
      isOutOfStockError: true,
      isError: true,
      name: "OutOfStockError",
      message: "only 1 of pear left",
      sku: "pear",
      available: 1,
    });
  });
});
