import assert from "node:assert/strict";
import { test } from "node:test";
import { isIdentifierName, NameScope } from "../src/emit/names.ts";

test("a free hint is given as it is; taken ones get _2, _3, … in order", () => {
  const scope = new NameScope();
  assert.deepEqual(["v", "v", "v", "$c"].map((h) => scope.allocate(h)), ["v", "v_2", "v_3", "$c"]);
});

test("reserved user names are never allocated, nor names that were allocated before", () => {
  const scope = new NameScope(["$c", "v", "v_2", "decode$Event"]);
  scope.reserve("ServiceClient");
  assert.equal(scope.allocate("$c"), "$c_2");
  assert.equal(scope.allocate("v"), "v_3");
  assert.equal(scope.allocate("decode$Event"), "decode$Event_2");
  assert.equal(scope.allocate("ServiceClient"), "ServiceClient_2");
  // A suffixed hint that a user name happens to spell is skipped too.
  assert.equal(new NameScope(["x", "x_2"]).allocate("x"), "x_3");
  assert.equal(scope.has("v_3"), true);
  assert.equal(scope.has("w"), false);
});

test("deterministic: the same reservations and requests give the same names", () => {
  const run = () => {
    const scope = new NameScope(["a", "b"]);
    return ["a", "b", "a", "c", "b"].map((h) => scope.allocate(h));
  };
  assert.deepEqual(run(), run());
  assert.deepEqual(run(), ["a_2", "b_2", "a_3", "c", "b_3"]);
});

test("refuses hints that are no identifier or a reserved word (a bug in the generator, thrown)", () => {
  const scope = new NameScope();
  for (const bad of ["", "1x", "a-b", "a b", "class", "await", "yield", "let", "arguments", "eval", "default"]) {
    assert.throws(() => scope.allocate(bad), /not an identifier hint/, bad);
  }
});

test("isIdentifierName follows ECMAScript IdentifierName, Unicode included", () => {
  for (const good of ["x", "$", "_", "$c", "Ωmega", "中文", "café", "a1", "x\u200Dy", "x\u200Cy", "℘", "a$b_c"]) {
    assert.equal(isIdentifierName(good), true, good);
  }
  for (const bad of ["", "1a", "9", "a-b", "a.b", "\u200Dx", "a b", "a\nb", "🙂", "a+"]) {
    assert.equal(isIdentifierName(bad), false, bad);
  }
  // Reserved words are IdentifierNames (usable as property names); only allocate refuses them as bindings.
  assert.equal(isIdentifierName("class"), true);
});
