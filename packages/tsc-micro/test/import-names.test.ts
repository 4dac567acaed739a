import assert from "node:assert/strict";
import { test } from "node:test";
import { freshNameAmong } from "../src/ast/fresh-names.ts";
import { importNames } from "../src/ast/import-names.ts";

test("fresh names: the base unless taken, then numbered", () => {
  assert.equal(freshNameAmong(new Set(), "v$"), "v$");
  assert.equal(freshNameAmong(new Set(["v$", "v$1"]), "v$"), "v$2");
  const numbering = { separator: "_", first: 2 };
  assert.equal(freshNameAmong(new Set(["f$remote"]), "f$remote", numbering), "f$remote_2");
  assert.equal(freshNameAmong(new Set(["f$remote", "f$remote_2"]), "f$remote", numbering), "f$remote_3");
});

test("import names: fresh per file, stable per function, distinct within a file", () => {
  const names = importNames({ "a.ts": ["square$remote", "$tsmAsync", "$tsmAsync_2"] });
  assert.equal(names.client("a.ts", "n.ts:10", "square"), "square$remote_2");
  assert.equal(names.client("a.ts", "n.ts:10", "square"), "square$remote_2");
  // Another function of the same name (another file) gets its own import.
  assert.equal(names.client("a.ts", "m.ts:5", "square"), "square$remote_3");
  assert.equal(names.helpers("a.ts"), "$tsmAsync_3");
  assert.equal(names.client("b.ts", "n.ts:10", "square"), "square$remote");
  assert.equal(names.helpers("b.ts"), "$tsmAsync");
});
