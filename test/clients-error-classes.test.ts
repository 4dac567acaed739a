// A consumer of the generated clients imports the program's error classes from
// dist/clients/index.js too (not from the producer's source): importing them
// registers them with the runtime the clients call through, so `instanceof`
// holds for an error a service threw, with nothing registered by hand.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { FIXTURES } from "./helpers/paths.ts";
import { startSplit } from "./helpers/split.ts";
import type { SplitProgram } from "./helpers/split.ts";
// Another copy of the runtime than the one dist/clients resolves (packages/runtime/dist).
import { ServiceError } from "../packages/runtime/src/errors.ts";

let split: SplitProgram;
// The hooks below belong to this file's tests only, so the file can share a process
// (scripts/test-processes.mjs).
describe("clients-error-classes", () => {
  before(async () => {
    split = await startSplit(path.join(FIXTURES, "calls-errors/tsconfig.json"), "clients-error-classes");
  });
  after(async () => {
    await split?.stop();
  });

  /** The rejection reason of a call that must fail. */
  async function rejection(call: () => Promise<unknown>): Promise<any> {
    return call().then(() => assert.fail("expected the call to fail"), (reason: unknown) => reason);
  }

  test("dist/clients/index.js exports the program's error classes beside the client functions", () => {
    const { NotFoundError, UserNotFoundError, QuietError, errFind } = split.clients;
    assert.equal(typeof errFind, "function");
    for (const cls of [NotFoundError, UserNotFoundError, QuietError]) {
      assert.equal(typeof cls, "function");
      assert.ok(cls.prototype instanceof Error);
    }
    assert.ok(UserNotFoundError.prototype instanceof NotFoundError, "the program's class hierarchy is kept");
    const declarations = readFileSync(path.join(split.outDir, "clients/index.d.ts"), "utf8");
    assert.match(declarations, /export \{ [^}]*\bNotFoundError\b[^}]*\} from "\.\/errors\.js";/);
    assert.match(readFileSync(path.join(split.outDir, "clients/errors.d.ts"), "utf8"), /export declare class NotFoundError extends Error/);
    // Plain ESM importing the runtime, not a bundle of it.
    assert.match(readFileSync(path.join(split.outDir, "clients/errors.js"), "utf8"), /from "@tsc-micro\/runtime\/client"/);
  });

  test("an error a service throws is an instance of the class imported from dist/clients", async () => {
    const { NotFoundError, UserNotFoundError, QuietError, errFind, errThrow } = split.clients;
    const notFound = await rejection(() => errFind(0));
    assert.ok(notFound instanceof NotFoundError);
    assert.ok(!(notFound instanceof UserNotFoundError));
    assert.equal(notFound.message, "item 0 does not exist");
    assert.equal(notFound.resource, "item");
    assert.equal(notFound.code, "E_NOT_FOUND");

    const userNotFound = await rejection(() => errFind(-7));
    assert.ok(userNotFound instanceof UserNotFoundError);
    assert.ok(userNotFound instanceof NotFoundError, "a subclass instance is an instance of its base");
    assert.equal(userNotFound.userId, 7);

    const quiet = await rejection(() => errThrow("quiet"));
    assert.ok(quiet instanceof QuietError, "a class without a name of its own is rebuilt by its class name");

    // Recognised by another copy of the runtime as an error that came over the wire.
    assert.equal(ServiceError.is(notFound), true);
  });
});
