// An error thrown in a service reaches the caller as in the monolith: same
// class, message, fields and cause chain. Real servers on 127.0.0.1:0.
import { after, afterEach, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { ServiceClient, ServiceError, registerErrorClasses } from "../src/client/index.js";
import type { RunningService, ServiceDef, StartOptions } from "../src/server/index.js";
import { NotFoundError, QuotaError } from "./fixtures/user-errors.js";
import { route, startQuiet } from "./helpers.js";

/** What each route of the test service throws. */
const THROWS: Record<string, () => unknown> = {
  range: () => new RangeError("x out of range"),
  notFound: () => new NotFoundError("no user 7", 7),
  quota: () => new QuotaError(3),
  chain: () =>
    new Error("outer", { cause: new TypeError("middle", { cause: new NotFoundError("inner", 3) }) }),
  aggregate: () => new AggregateError([new RangeError("a"), new NotFoundError("b", 2), "plain", 42n], "many"),
  mixedFields: () =>
    Object.assign(new Error("mixed"), { fn: () => 1, big: 10n, sym: Symbol("s"), when: new Date(0), kept: "yes", n: 1, nested: { a: [1, "two", null] } }),
  ownMeta: () => Object.assign(new Error("own meta"), { status: 404, service: "users" }),
  deep: () => chainOf(12),
};

/** An Error whose cause chain is `length` errors long, named e0 … e{length-1}. */
function chainOf(length: number): Error {
  let error: Error | undefined;
  for (let i = length - 1; i >= 0; i--) error = new Error(`e${i}`, error ? { cause: error } : undefined);
  return error!;
}

function throwingService(name = "users"): ServiceDef {
  return {
    name,
    openapi: {},
    routes: Object.entries(THROWS).map(([fn, make]) =>
      route({
        name: fn,
        invoke: () => {
          throw make();
        },
      }),
    ),
  };
}

function clientFor(url: string, service = "users"): ServiceClient {
  const client = new ServiceClient({ service, envVar: "TSC_MICRO_TEST_UNUSED_URL", defaultUrl: "http://users.invalid:8080" });
  client.setBaseUrl(url);
  return client;
}

/** The rejection reason of `promise`, which must reject. */
async function rejection(promise: Promise<unknown>): Promise<any> {
  return promise.then(
    () => assert.fail("expected the call to fail"),
    (reason: unknown) => reason,
  );
}

/** What the monolith's caller would have caught: the same factory, called locally. */
function local(fn: string): any {
  return THROWS[fn]!();
}

/** Runs `body` against a fresh service and client, always closing both. */
async function withService(
  options: StartOptions,
  body: (client: ServiceClient, service: RunningService) => Promise<void>,
): Promise<void> {
  const service = await startQuiet(throwingService(), options);
  const client = clientFor(service.url);
  try {
    await body(client, service);
  } finally {
    client.close();
    await service.close();
  }
}

describe("errors thrown in a service", () => {
  let service: RunningService;
  let client: ServiceClient;
  let unregister: (() => void) | undefined;
  before(async () => {
    service = await startQuiet(throwingService());
    client = clientFor(service.url);
  });
  after(async () => {
    client.close();
    await service.close();
  });
  afterEach(() => {
    unregister?.();
    unregister = undefined;
  });

  test("a thrown RangeError arrives as a RangeError with its message", async () => {
    const error = await rejection(client.call("range", {}));
    assert.ok(error instanceof RangeError);
    assert.equal(error.message, "x out of range");
    assert.equal(String(error), "RangeError: x out of range");
    assert.deepStrictEqual(error, local("range"));
  });

  test("a registered class arrives as an instance of it, with its fields, equal to the monolith's", async () => {
    unregister = registerErrorClasses({ NotFoundError });
    const error = await rejection(client.call("notFound", {}));
    assert.ok(error instanceof NotFoundError);
    assert.ok(error instanceof Error);
    assert.equal(error.name, "NotFoundError");
    assert.equal(error.message, "no user 7");
    assert.equal(error.code, "E_NOT_FOUND");
    assert.equal(error.id, 7);
    assert.equal(String(error), "NotFoundError: no user 7");
    assert.match(String(error.stack), /^NotFoundError: no user 7\n\s+at /, "a fresh local stack with the right header");
    // Enumerable properties are exactly the monolith's; ours stay hidden.
    assert.deepStrictEqual(error, local("notFound"));
    assert.deepEqual(Object.keys(error).sort(), ["code", "id", "name"]);
    // ...and it is still recognisable as a failed call, with its coordinates.
    assert.ok(ServiceError.is(error));
    assert.equal(error.service, "users");
    assert.equal(error.status, 500);
    assert.equal(error.url, `${service.url}/notFound`);
    assert.ok(!("remoteStack" in error), "no stack outside development");
  });

  test("the caller's `instanceof` branch runs as in the monolith", async () => {
    unregister = registerErrorClasses([NotFoundError]);
    // Caller code written for the monolith, given either the local function or the remote call.
    async function userLabel(getUser: () => Promise<unknown>): Promise<string> {
      try {
        return String(await getUser());
      } catch (e) {
        if (e instanceof NotFoundError) return `missing user ${e.id} (${e.code})`;
        throw e;
      }
    }
    const monolith = await userLabel(async () => {
      throw local("notFound");
    });
    const split = await userLabel(() => client.call("notFound", {}));
    assert.equal(monolith, "missing user 7 (E_NOT_FOUND)");
    assert.equal(split, monolith);
  });

  test("an unregistered class arrives as an Error carrying its name and fields", async () => {
    const error = await rejection(client.call("notFound", {}));
    assert.ok(!(error instanceof NotFoundError));
    assert.equal(Object.getPrototypeOf(error), Error.prototype);
    assert.equal(error.name, "NotFoundError");
    assert.equal(String(error), "NotFoundError: no user 7");
    assert.equal(error.code, "E_NOT_FOUND");
    assert.equal(error.id, 7);
    assert.ok(ServiceError.is(error));
  });

  test("the user's constructor is not called; a prototype name is used as the key", async () => {
    unregister = registerErrorClasses([QuotaError]);
    const before = QuotaError.constructed;
    const error = await rejection(client.call("quota", {}));
    // The service runs in this process: its own throw is the one construction.
    assert.equal(QuotaError.constructed, before + 1, "no constructor call on the caller's side");
    assert.ok(error instanceof QuotaError);
    assert.ok(error instanceof RangeError);
    assert.equal(error.limit, 3);
    assert.ok(!Object.hasOwn(error, "name"), "the prototype's name serves, as it did");
    assert.equal(String(error), "QuotaError: over the quota of 3");
    assert.deepStrictEqual(error, local("quota"));
  });

  test("a cause chain Error → TypeError → custom class survives with its classes", async () => {
    unregister = registerErrorClasses({ NotFoundError });
    const error = await rejection(client.call("chain", {}));
    assert.equal(Object.getPrototypeOf(error), Error.prototype);
    assert.equal(error.message, "outer");
    assert.ok(error.cause instanceof TypeError);
    assert.equal(error.cause.message, "middle");
    assert.ok(error.cause.cause instanceof NotFoundError);
    assert.equal(error.cause.cause.message, "inner");
    assert.equal(error.cause.cause.id, 3);
    assert.equal(error.cause.cause.code, "E_NOT_FOUND");
    assert.ok(!Object.keys(error).includes("cause"), "cause stays non-enumerable");
    assert.deepStrictEqual(error, local("chain"));
    // Only the top error is the failed call.
    assert.ok(!ServiceError.is(error.cause));
  });

  test("an AggregateError arrives with its errors rebuilt (a bigint entry cannot travel)", async () => {
    unregister = registerErrorClasses({ NotFoundError });
    const error = await rejection(client.call("aggregate", {}));
    assert.ok(error instanceof AggregateError);
    assert.equal(error.message, "many");
    assert.equal(error.errors.length, 4, "entries keep their positions");
    assert.ok(error.errors[0] instanceof RangeError);
    assert.equal(error.errors[0].message, "a");
    assert.ok(error.errors[1] instanceof NotFoundError);
    assert.equal(error.errors[1].id, 2);
    assert.equal(error.errors[2], "plain");
    assert.equal(error.errors[3], undefined);
  });

  test("fields JSON cannot carry unchanged are dropped one by one, their siblings kept", async () => {
    const error = await rejection(client.call("mixedFields", {}));
    assert.deepEqual({ ...error }, { kept: "yes", n: 1, nested: { a: [1, "two", null] } });
    for (const dropped of ["fn", "big", "sym", "when"]) assert.ok(!(dropped in error), dropped);
  });

  test("a user's own status/service fields win over ours and stay enumerable", async () => {
    const error = await rejection(client.call("ownMeta", {}));
    assert.equal(error.status, 404);
    assert.equal(error.service, "users");
    assert.deepEqual(Object.keys(error).sort(), ["service", "status"]);
    assert.equal(error.url, `${service.url}/ownMeta`, "the ones it does not define are ours");
  });

  test("a cause chain is cut 8 levels below the thrown error", async () => {
    const error = await rejection(client.call("deep", {}));
    const messages: string[] = [];
    for (let e: any = error; e !== undefined; e = e.cause) messages.push(e.message);
    assert.deepEqual(messages, ["e0", "e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8"]);
  });
});

test("in development the remote stacks come along, for the error and its causes", async () => {
  await withService({ env: { NODE_ENV: "development" } }, async (client) => {
    const error = await rejection(client.call("chain", {}));
    assert.match(error.stack, /^Error: outer\n\s+at /);
    assert.equal(error.remoteStack, error.stack);
    assert.ok(!Object.keys(error).includes("remoteStack"));
    assert.match(error.cause.stack, /^TypeError: middle\n\s+at /);
  });
});

describe("through a middle service", () => {
  let deep: RunningService;
  let mid: RunningService;
  let toDeep: ServiceClient;
  let toMid: ServiceClient;
  let unregister: () => void;
  before(async () => {
    unregister = registerErrorClasses({ NotFoundError });
    deep = await startQuiet(throwingService("deep"));
    toDeep = clientFor(deep.url, "deep");
    // mid's function calls deep and lets whatever it throws propagate.
    mid = await startQuiet({
      name: "mid",
      openapi: {},
      routes: [route({ name: "relay", invoke: () => toDeep.call("notFound", {}) })],
    }, { env: {} }); // production, whatever NODE_ENV the test runs with
    toMid = clientFor(mid.url, "mid");
  });
  after(async () => {
    unregister();
    toMid.close();
    toDeep.close();
    await mid.close();
    await deep.close();
  });

  test("an error from two hops away arrives as its class, naming the service called", async () => {
    const error = await rejection(toMid.call("relay", {}));
    assert.ok(error instanceof NotFoundError);
    assert.deepStrictEqual(error, local("notFound"));
    assert.ok(ServiceError.is(error));
    assert.equal(error.service, "mid", "the hop's own coordinates did not leak as fields");
    assert.equal(error.url, `${mid.url}/relay`);
  });

  test("a downstream transport failure arrives as a ServiceError keeping its code (UNAVAILABLE), without the socket error", async () => {
    await deep.close();
    const error = await rejection(toMid.call("relay", {}));
    assert.equal(Object.getPrototypeOf(error), ServiceError.prototype);
    assert.equal(error.name, "ServiceError");
    assert.equal(error.code, "UNAVAILABLE");
    assert.equal(error.status, 503);
    // The code keeps its meaning, but this function had started (no Retry-After): repeating it is
    // only safe if it is idempotent, which the client decides from the tag, not from this error.
    assert.equal(error.retryable, false);
    assert.equal(error.service, "mid");
    assert.match(error.message, /^relay on service "mid" failed: service "deep" is unavailable/);
    // Refused, reset or hung up (the pooled socket to deep was closed); the address stays in mid's log.
    assert.equal(error.message.includes(new URL(deep.url).host), false, error.message);
    assert.equal(error.cause, undefined, "outside development the socket error (syscall, address, port) is not sent");
  });
});

test("answers that are not a thrown error stay ServiceErrors", async () => {
  await withService({}, async (client) => {
    const badRequest = await rejection(client.call("range", { extra: 1 }));
    assert.equal(Object.getPrototypeOf(badRequest), ServiceError.prototype);
    assert.equal(badRequest.code, "BAD_REQUEST");
    const notFound = await rejection(client.call("nope", {}));
    assert.equal(Object.getPrototypeOf(notFound), ServiceError.prototype);
    assert.equal(notFound.code, "NOT_FOUND");
  });
});
