// Two copies of the runtime in one process (a consumer's own install and the
// one a producer's dist/clients resolves): registering error classes in one
// must be seen by the other, ServiceError.is must hold across them, and an
// incompatible copy must fail loudly instead of silently breaking instanceof.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type * as ClientModule from "../src/client/index.js";
import type * as ClassesModule from "../src/error-classes.js";
import { REGISTRY_KEY } from "../src/error-classes.js";
import { NotFoundError } from "./fixtures/user-errors.js";
import { route, startQuiet } from "./helpers.js";

const DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../dist");
// The repository root's node_modules (npm workspaces hoist the runtime's dependencies there).
const NODE_MODULES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../node_modules");
const folders: string[] = [];

interface Copy {
  client: typeof ClientModule;
  classes: typeof ClassesModule;
}

/**
 * A separate copy of the built runtime: its dist folder copied elsewhere, so
 * every module of it (not only the entry) is a new module instance.
 * Its dependencies (cockatiel) resolve from the repository's node_modules, linked beside it.
 */
async function loadCopy(): Promise<Copy> {
  const root = mkdtempSync(path.join(tmpdir(), "tsc-micro-runtime-copy-"));
  folders.push(root);
  cpSync(DIST, path.join(root, "dist"), { recursive: true });
  writeFileSync(path.join(root, "package.json"), JSON.stringify({ type: "module" }));
  symlinkSync(NODE_MODULES, path.join(root, "node_modules"), "dir");
  const url = (file: string) => pathToFileURL(path.join(root, "dist", file)).href;
  return { client: await import(url("client/index.js")), classes: await import(url("error-classes.js")) };
}

let a: Copy;
let b: Copy;
// The hooks below belong to this file's tests only, so the file can share a process
// (scripts/test-processes.mjs).
describe("runtime-copies", () => {
  before(async () => {
    a = await loadCopy();
    b = await loadCopy();
    assert.notEqual(a.client.ServiceError, b.client.ServiceError, "two module instances");
  });
  after(() => {
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  test("a class registered in one copy is found by the other, and unregistering there removes it", () => {
    class OutOfStockError extends Error {}
    const unregister = a.client.registerErrorClasses({ OutOfStockError });
    try {
      assert.equal(b.classes.errorClassFor("OutOfStockError"), OutOfStockError);
    } finally {
      unregister();
    }
    assert.equal(b.classes.errorClassFor("OutOfStockError"), undefined);
  });

  test("an error a service throws is rebuilt as the class registered through another copy", async () => {
    const service = await startQuiet({
      name: "shop",
      openapi: {},
      routes: [route({ name: "find", invoke: () => { throw new NotFoundError("no item 7", 7); } })],
    });
    const client = new b.client.ServiceClient({ service: "shop", envVar: "TSC_MICRO_TEST_UNUSED_URL", defaultUrl: "http://shop.invalid" });
    client.setBaseUrl(service.url);
    const unregister = a.client.registerErrorClasses({ NotFoundError });
    try {
      const caught = await client.call("find", {}).then(() => assert.fail("expected the call to fail"), (e: unknown) => e);
      assert.ok(caught instanceof NotFoundError, "instanceof the class registered through copy a");
      assert.deepEqual({ ...(caught as NotFoundError) }, { ...new NotFoundError("no item 7", 7) });
      assert.equal(a.client.ServiceError.is(caught), true, "the rebuilt error is branded for every copy");
    } finally {
      unregister();
      client.close();
      await service.close();
    }
  });

  test("ServiceError.is and instanceof ServiceError hold across copies", () => {
    const fromA = new a.client.ServiceError({ message: "down", code: "UNAVAILABLE", service: "shop", url: "http://shop" });
    assert.equal(b.client.ServiceError.is(fromA), true);
    assert.ok(fromA instanceof b.client.ServiceError);
    assert.equal(b.client.ServiceError.is(new Error("plain")), false);
  });

  test("a copy finding a registry of another shape refuses to load, saying how to fix it", async () => {
    const key = REGISTRY_KEY as symbol;
    const current = Object.getOwnPropertyDescriptor(globalThis, key);
    assert.ok(current, "the registry is on globalThis");
    Object.defineProperty(globalThis, key, { ...current, value: { shape: 2, classes: new Map() } });
    try {
      await assert.rejects(loadCopy(), { message: /incompatible copies .* shape 2, this copy understands shape 1.*one version of @tsc-micro\/runtime.*npm dedupe/s });
    } finally {
      Object.defineProperty(globalThis, key, current);
    }
    // Something that is no registry at all is refused too.
    Object.defineProperty(globalThis, key, { ...current, value: "junk" });
    try {
      await assert.rejects(loadCopy(), { message: /shape string/ });
    } finally {
      Object.defineProperty(globalThis, key, current);
    }
  });
});
