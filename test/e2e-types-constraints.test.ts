// fixtures/types-constraints over the wire — JSDoc constraints: lengths, patterns, formats, ranges, defaults, annotations.
// Every service is called through its generated client and must give exactly
// what the monolith gives; bad requests are refused with a 400 naming the
// field. The shared values and helpers: test/helpers/type-roundtrip.ts.
import assert from "node:assert/strict";
import { test } from "node:test";
import * as constraints from "../fixtures/types-constraints/src/constraints.ts";
import { assertRejected, routeUrl, show } from "./helpers/parity.ts";
import { fixture, parity } from "./helpers/type-roundtrip.ts";

/** Every schema object in a document that describes a property `name`, by walking it. */
function propertySchemas(doc: unknown, name: string): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== "object") return;
    if (Array.isArray(node)) return node.forEach(visit);
    const props = (node as { properties?: Record<string, unknown> }).properties;
    if (props && typeof props === "object" && props[name] && typeof props[name] === "object") found.push(props[name] as Record<string, unknown>);
    Object.values(node).forEach(visit);
  };
  visit(doc);
  return found;
}

fixture("types-constraints", (split) => {
  const user: constraints.SignUp = { username: "ann_1", email: "ann@example.com", age: 13 };
  const full: constraints.SignUp = {
    username: `z${"9".repeat(19)}`,
    email: "first.last+tag@sub.example.co.uk",
    age: 130,
    homepage: "https://example.com/path?q=1#frag",
    referral: "123e4567-e89b-12d3-a456-426614174000",
    birthday: "1969-07-20T20:17:40.123Z",
    locale: "fr",
    phone: "+1 555 0100",
    ratio: 1,
  };
  const boundaries: constraints.SignUp[] = [user, full, { username: "abc", email: "a@b.co", age: 129.5, ratio: 0 }, { ...user, locale: "en" }];
  const product: constraints.Product = { sku: "A-1", price: 0, discountPercent: 100, label: "" };

  parity(split, constraints, {
    register: boundaries.map((u) => [u]),
    echoSignUp: boundaries.map((u) => [u]),
    priceOf: [[product], [{ sku: "ABCDEFGH", price: 19.99, discountPercent: -50, label: "abc" }], [{ ...product, label: "🙂🙂🙂" }]],
    // maxLength counts characters (code points), as JSON Schema does: five emoji are 5, not 10.
    clampScore: [[0, "a"], [10, "abcde"], [5.5, "🙂🙂🙂🙂🙂"], [0.001, "é"]],
    mailTo: [["a@b.co", "https://x.y/z"], ["first.last@example.org", "http://localhost:8080/a?b=c"]],
    lookupId: [["123E4567-E89B-12D3-A456-426614174000"], ["00000000-0000-0000-0000-000000000000"]],
    atTime: [["2024-01-01T00:00:00Z"], ["1969-12-31T23:59:59.999+01:00"], ["2024-02-29T12:00:00.5-05:30"]],
    slug: [["a"], ["hello-world-2"]],
    pageNumber: [[], [1], [7]],
    oldScore: [[5], [-1]],
  });

  test("each constraint is enforced on properties: 400 naming the field and the rule", async () => {
    const s = split();
    const cases: [Partial<constraints.SignUp>, string, string][] = [
      [{ username: "ab" }, "user.username", "minLength"],
      [{ username: "a".repeat(21) }, "user.username", "maxLength"],
      [{ username: "Ann" }, "user.username", "pattern"],
      [{ username: "9lives" }, "user.username", "pattern"],
      [{ email: "not-an-email" }, "user.email", "format"],
      [{ age: 12.99 }, "user.age", "minimum"],
      [{ age: 131 }, "user.age", "maximum"],
      [{ homepage: "not a uri" }, "user.homepage", "format"],
      [{ referral: "123" }, "user.referral", "format"],
      [{ birthday: "yesterday" }, "user.birthday", "format"],
      [{ birthday: "2024-13-01T00:00:00Z" }, "user.birthday", "format"],
      [{ ratio: -0.1 }, "user.ratio", "minimum"],
      [{ ratio: 1.5 }, "user.ratio", "maximum"],
    ];
    for (const [patch, at, rule] of cases) await assertRejected(s, "register", { user: { ...user, ...patch } }, [{ path: at, rule }]);
    const productCases: [Partial<constraints.Product>, string, string][] = [
      [{ sku: "" }, "product.sku", "minLength"],
      [{ sku: "ABCDEFGHI" }, "product.sku", "maxLength"],
      [{ sku: "abc" }, "product.sku", "pattern"],
      [{ price: -1 }, "product.price", "minimum"],
      [{ discountPercent: 101 }, "product.discountPercent", "maximum"],
      [{ label: "abcd" }, "product.label", "maxLength"],
    ];
    for (const [patch, at, rule] of productCases) await assertRejected(s, "priceOf", { product: { ...product, ...patch } }, [{ path: at, rule }]);
  });

  test("several broken constraints are all reported at once", async () => {
    await assertRejected(split(), "register", { user: { username: "A", email: "x", age: 200 } }, [
      { path: "user.username", rule: "minLength" },
      { path: "user.username", rule: "pattern" },
      { path: "user.email", rule: "format" },
      { path: "user.age", rule: "maximum" },
    ]);
  });

  test("each constraint is enforced on parameters (inline JSDoc)", async () => {
    const s = split();
    const cases: [string, Record<string, unknown>, string, string][] = [
      ["clampScore", { n: -1, label: "a" }, "n", "minimum"],
      ["clampScore", { n: 11, label: "a" }, "n", "maximum"],
      ["clampScore", { n: 1, label: "" }, "label", "minLength"],
      ["clampScore", { n: 1, label: "abcdef" }, "label", "maxLength"],
      ["clampScore", { n: 1, label: "🙂🙂🙂🙂🙂🙂" }, "label", "maxLength"],
      ["mailTo", { to: "x", link: "https://a.b" }, "to", "format"],
      ["mailTo", { to: "a@b.co", link: "::" }, "link", "format"],
      ["lookupId", { id: "xyz" }, "id", "format"],
      ["atTime", { stamp: "2024-01-01" }, "stamp", "format"],
      ["atTime", { stamp: "2024-02-30T00:00:00Z" }, "stamp", "format"],
      ["slug", { text: "Hello World" }, "text", "pattern"],
      ["slug", { text: "a--b" }, "text", "pattern"],
      ["pageNumber", { page: 0 }, "page", "minimum"],
    ];
    for (const [fn, body, at, rule] of cases) await assertRejected(s, fn, body, [{ path: at, rule }]);
  });

  test("@default is documented but not injected: a missing property stays missing, as in the monolith", async () => {
    const echoed = (await split().clients.echoSignUp(user)) as constraints.SignUp;
    assert.deepStrictEqual(echoed, user);
    assert.equal("locale" in echoed, false);
    assert.equal(await split().clients.pageNumber(), 1);
  });

  test("the OpenAPI documents carry the constraints and the annotations", async () => {
    const s = split();
    const doc = async (fn: string): Promise<unknown> => (await fetch(routeUrl(s, fn).replace(/\/[^/]+$/, "/openapi.json"))).json();
    const register = await doc("register");
    const prop = (name: string) => {
      const found = propertySchemas(register, name);
      assert.ok(found.length > 0, `no schema for property ${name} in register's openapi.json`);
      return found[0]!;
    };
    assert.deepEqual(
      { minLength: prop("username").minLength, maxLength: prop("username").maxLength, pattern: prop("username").pattern },
      { minLength: 3, maxLength: 20, pattern: "^[a-z][a-z0-9_]*$" },
    );
    assert.equal(prop("email").format, "email");
    // A number's constraints sit on its numeric branch; the words admitted are those whose numbers meet them.
    const numeric = (x: any) => (x?.anyOf ? x.anyOf[0] : x);
    const words = (x: any) => (x?.anyOf ? x.anyOf[1].enum : []);
    assert.deepEqual([numeric(prop("age")).minimum, numeric(prop("age")).maximum, words(prop("age"))], [13, 130, []]);
    assert.equal(prop("homepage").format, "uri");
    assert.equal(prop("referral").format, "uuid");
    assert.equal(prop("birthday").format, "date-time");
    assert.equal(prop("locale").default, "en");
    assert.deepEqual(prop("locale").examples, ["fr"]);
    assert.equal(prop("phone").deprecated, true);
    assert.deepEqual(prop("phone").examples, ["+1 555 0100"]);
    const clamp = await doc("clampScore");
    const n = propertySchemas(clamp, "n")[0];
    assert.deepEqual([numeric(n)?.minimum, numeric(n)?.maximum, words(n)], [0, 10, ["-0"]], show(n));
    const page = propertySchemas(await doc("pageNumber"), "page")[0];
    assert.deepEqual([numeric(page)?.minimum, page?.default, words(page)], [1, 1, ["Infinity"]], show(page));
    const old = (await doc("oldScore")) as { paths: Record<string, Record<string, { deprecated?: boolean }>> };
    assert.ok(
      Object.values(old.paths).some((item) => Object.values(item).some((op) => op?.deprecated === true)),
      "the deprecated function's operation is marked deprecated",
    );
    assert.deepEqual(propertySchemas(old, "n")[0]?.examples, [5]);
  });
});
