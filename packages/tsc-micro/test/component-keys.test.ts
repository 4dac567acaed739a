import assert from "node:assert/strict";
import { test } from "node:test";
import { componentKeys, spellKey, VALID_KEY } from "../src/emit/component-keys.ts";

/** The keys of `names`, as a plain record. */
function keysOf(names: readonly string[], reserved: readonly string[] = []): Record<string, string> {
  const keys = componentKeys(names, reserved);
  return Object.fromEntries(names.map((n) => [n, keys.key(n)]));
}

/** Every order of a short list (for "the same whatever the order"). */
function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

test("valid keys stay as they are", () => {
  const names = ["User", "Page_User", "Page_User_2", "v1.Order", "kebab-name", "A", "x9"];
  assert.deepEqual(keysOf(names), Object.fromEntries(names.map((n) => [n, n])));
  assert.deepEqual([...componentKeys(names).renamed], []);
});

test("invalid names are spelled in ASCII: accents dropped, $ as _, other characters as _u<hex>", () => {
  assert.equal(spellKey("Café"), "Cafe");
  assert.equal(spellKey("Ünïcødé"), "Unicode");
  assert.equal(spellKey("Straße"), "Strasse");
  assert.equal(spellKey("Event$Log"), "Event_Log");
  assert.equal(spellKey("$"), "_");
  assert.equal(spellKey("$$x"), "__x");
  assert.equal(spellKey("用户"), "_u7528_u6237");
  assert.equal(spellKey("Page_用户"), "Page__u7528_u6237");
  // Astral characters are one code point, not two halves of a surrogate pair.
  assert.equal(spellKey("𠀀"), "_u20000");
  // Compatibility forms are spelled as what they stand for.
  assert.equal(spellKey("𝒳ﬁle"), "Xfile");
  for (const name of ["Café", "Ünïcødé", "Event$Log", "$", "用户", "𠀀", "𝒳", "Ǆemal", "ﬁle", "Ω"]) assert.match(spellKey(name), VALID_KEY, name);
});

test("every key is valid and the keys are distinct", () => {
  const names = ["Event$Log", "Event_Log", "EventLog", "Café", "Cafe", "Cafe_2", "Ünïcødé", "$", "_", "__", "$_", "_$", "用户", "户用"];
  const keys = Object.values(keysOf(names));
  for (const k of keys) assert.match(k, VALID_KEY);
  assert.equal(new Set(keys).size, names.length, JSON.stringify(keysOf(names)));
});

test("a clash after spelling gets the first free suffix; the valid name keeps its key", () => {
  assert.deepEqual(keysOf(["Event$Log", "Event_Log", "EventLog"]), { "Event$Log": "Event_Log_2", Event_Log: "Event_Log", EventLog: "EventLog" });
  assert.deepEqual(keysOf(["Café", "Cafe"]), { "Café": "Cafe_2", Cafe: "Cafe" });
  // `Cafe_2` is a valid name of its own: the suffix skips it.
  assert.deepEqual(keysOf(["Café", "Cafe", "Cafe_2"]), { "Café": "Cafe_3", Cafe: "Cafe", Cafe_2: "Cafe_2" });
  // Without a valid `Cafe`, the first of the invalid ones (by UTF-16 code units: è < é) gets the plain key.
  assert.deepEqual(keysOf(["Café", "Cafè"]), { "Café": "Cafe_2", "Cafè": "Cafe" });
  assert.deepEqual(keysOf(["$", "_"]), { $: "__2", _: "_" });
});

test("keys depend on the set of names, not on their order", () => {
  const names = ["Event$Log", "Event_Log", "Café", "Cafe", "Cafè", "$", "_"];
  const expected = keysOf(names);
  for (const order of permutations(names)) assert.deepEqual(keysOf(order), expected, order.join(" "));
});

test("reserved keys (the documents' own schemas) are never given to a component", () => {
  assert.deepEqual(keysOf(["TscMicroError", "Tsc$MicroError", "User"], ["TscMicroError"]), {
    TscMicroError: "TscMicroError_2",
    "Tsc$MicroError": "Tsc_MicroError",
    User: "User",
  });
});

test("renamed lists exactly the names whose key differs", () => {
  const keys = componentKeys(["Café", "Cafe", "User", "$"]);
  assert.deepEqual([...keys.renamed].sort(), [["$", "_"], ["Café", "Cafe_2"]]);
});

test("a name it was not made with is a bug, not a silent dangling $ref", () => {
  assert.throws(() => componentKeys(["User"]).key("Order"), /Order/);
});
