import { test } from "node:test";
import assert from "node:assert/strict";
import { errorClassFor, registerErrorClasses } from "../src/error-classes.js";
import * as client from "../src/client/index.js";
import * as errors from "../src/errors.js";
import * as root from "../src/index.js";
import { NotFoundError, QuotaError } from "./fixtures/user-errors.js";

test("a class is keyed by its prototype's own name, else by its class name", () => {
  const unregister = registerErrorClasses([NotFoundError, QuotaError]);
  try {
    assert.equal(errorClassFor("NotFoundError"), NotFoundError, "name set in the constructor: Class.name");
    assert.equal(errorClassFor("QuotaError"), QuotaError, "name on the prototype");
    assert.equal(errorClassFor("Error"), undefined, "not the inherited Error.prototype.name");
  } finally {
    unregister();
  }
  assert.equal(errorClassFor("NotFoundError"), undefined, "unregister removes them");
});

test("the object form uses the given key, which survives a bundler's renaming", () => {
  const Renamed = class NotFoundError2 extends NotFoundError {};
  const unregister = registerErrorClasses({ NotFoundError: Renamed });
  try {
    assert.equal(errorClassFor("NotFoundError"), Renamed);
    assert.equal(errorClassFor("NotFoundError2"), undefined);
  } finally {
    unregister();
  }
});

test("a later registration wins; unregistering the earlier one leaves it", () => {
  class A extends Error {}
  class B extends Error {}
  const first = registerErrorClasses({ Thing: A });
  const second = registerErrorClasses({ Thing: B });
  first();
  assert.equal(errorClassFor("Thing"), B);
  second();
  assert.equal(errorClassFor("Thing"), undefined);
});

test("non-Error classes and anonymous classes are refused, registering nothing", () => {
  class Ok extends Error {}
  class NotAnError {}
  assert.throws(() => registerErrorClasses({ Ok, NotAnError } as never), { name: "TypeError", message: /NotAnError .* not a class extending Error/ });
  assert.equal(errorClassFor("Ok"), undefined, "all or nothing");
  assert.throws(() => registerErrorClasses([(() => class extends Error {})()]), { name: "TypeError", message: /anonymous/ });
  assert.throws(() => registerErrorClasses({ x: 42 } as never), TypeError);
});

test("exported from the client, root and errors entries (one registry)", () => {
  assert.equal(client.registerErrorClasses, registerErrorClasses);
  assert.equal(root.registerErrorClasses, registerErrorClasses);
  assert.equal(errors.registerErrorClasses, registerErrorClasses);
});

test("{ replace: false } keeps the classes already registered and adds the rest", () => {
  class Mine extends Error {}
  class Generated extends Error {}
  class Other extends Error {}
  const mine = registerErrorClasses({ Thing: Mine });
  const generated = registerErrorClasses({ Thing: Generated, Other }, { replace: false });
  try {
    assert.equal(errorClassFor("Thing"), Mine, "the explicit registration wins although it ran first");
    assert.equal(errorClassFor("Other"), Other);
  } finally {
    generated();
    assert.equal(errorClassFor("Thing"), Mine, "unregistering the kept-out entry leaves the name alone");
    mine();
    assert.equal(errorClassFor("Other"), undefined);
  }
});
