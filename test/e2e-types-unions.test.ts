// fixtures/types-unions over the wire — unions: discriminated unions, null vs missing, optional parameters.
// Every service is called through its generated client and must give exactly
// what the monolith gives; bad requests are refused with a 400 naming the
// field. The shared values and helpers: test/helpers/type-roundtrip.ts.
import { test } from "node:test";
import * as shapes from "../fixtures/types-unions/src/shapes.ts";
import * as values from "../fixtures/types-unions/src/values.ts";
import { assertAllRejected, assertRejected } from "./helpers/parity.ts";
import { fixture, parity } from "./helpers/type-roundtrip.ts";

fixture("types-unions", (split) => {
  const shapeList: shapes.Shape[] = [
    { kind: "circle", radius: 1 },
    { kind: "square", side: 2.5 },
    { kind: "triangle", a: 3, b: 4, c: 5 },
    { kind: "circle", radius: 0 },
    { kind: "triangle", a: 1, b: 1, c: 3 },
    { kind: "square", side: 1e150 },
  ];
  const uiEvents: shapes.UiEvent[] = [
    { type: "click", x: 1, y: 2 },
    { type: "click", x: -1.5, y: 1e308, button: "right" },
    { type: "key", key: "🙂", shift: true },
    { type: "key", key: "", shift: false },
    { type: "scroll", delta: -3 },
  ];
  const contacts: (values.EmailContact | values.PhoneContact)[] = [{ email: "a@b.c" }, { phone: "555" }, { phone: "+44 20", ext: 12 }, { email: "" }];
  const profiles: values.Profile[] = [
    { name: "Ann", bio: "hi", nickname: null },
    { name: "Bob", nickname: "B" } as values.Profile, // `bio` missing: `string | undefined` means "may be missing"
    { name: "Cy", bio: "", age: 0, website: null, nickname: "" },
    { name: "Dee", bio: "مرحبا", age: 1e308, website: "https://example.com", nickname: "👩‍👩‍👧‍👦" },
    { name: "", age: -1, nickname: null } as values.Profile,
  ];

  parity(split, { ...shapes, ...values }, {
    shapeArea: shapeList.map((s) => [s]),
    echoShapes: [[[]], [shapeList]],
    largestShape: [[[]], [shapeList], [shapeList.slice(0, 3)]],
    findShape: [[shapeList, "square"], [shapeList.slice(0, 2), "triangle"], [[], "circle"]],
    describeUiEvent: uiEvents.map((e) => [e]),
    echoUiEvents: [[[]], [uiEvents]],
    onlyClicks: [[[]], [uiEvents]],
    contactRoute: contacts.map((c) => [c]),
    echoContacts: [[[]], [contacts]],
    echoProfile: profiles.map((p) => [p]),
    profileLine: profiles.map((p) => [p]),
    greet: [["Ann", null], ["Ann", "A"], ["", ""], ["שלום", "🙂"]],
    nullableNumber: [[null], [0], [1e308], [-1], [Number.MAX_SAFE_INTEGER]],
    padTo: [["a"], ["a", 5], ["🙂", 3], ["abc", 0], ["a", undefined]],
    repeatText: [["a"], ["a", 0], ["a", 3], ["é", 1], ["ab", -1]],
    parseNumber: [["12"], ["abc"], [""], ["1e400"], [" 7 "], ["-0.5"]],
    stringifyScalar: [["x"], [0], [1.5], [true], [false], [null], [""], [1e308]],
    flattenInput: [[3], [[]], [[1, 2]], [{ values: [] }], [{ values: [1e308, -1] }]],
    taggedArea: [[{ kind: "circle", radius: 1, id: "c" }], [{ kind: "triangle", a: 1, b: 2, c: 3, id: "" }], [{ kind: "square", side: 2, id: "🙂" }]],
  });

  test("the schemas are enforced: union members, discriminants, null vs missing, optional parameters", async () => {
    await assertAllRejected(split(), "shapeArea", [
      { shape: { kind: "circle", side: 1 } },
      { shape: { kind: "hexagon", side: 1 } },
      { shape: { kind: "square" } },
      { shape: { radius: 1 } },
      { shape: { kind: "circle", radius: 1, side: 2 } },
    ]);
    await assertAllRejected(split(), "describeUiEvent", [{ event: { type: "click", x: 1 } }, { event: { type: "key", key: "a" } }, { event: { type: "click", x: 1, y: 2, button: "middle" } }]);
    await assertAllRejected(split(), "contactRoute", [{ contact: {} }, { contact: { phone: 1 } }, { contact: { email: "a", fax: "b" } }]);
    // `nickname: string | null` is required; `bio: string | undefined` may be missing but is never null.
    await assertRejected(split(), "echoProfile", { profile: { name: "a" } }, [{ path: "profile.nickname", rule: "required" }]);
    await assertRejected(split(), "echoProfile", { profile: { name: "a", nickname: null, bio: null } }, [{ path: "profile.bio" }]);
    await assertRejected(split(), "greet", { name: "a" }, [{ path: "nickname", rule: "required" }]);
    await assertRejected(split(), "padTo", { a: "x", b: null }, [{ path: "b" }]);
    await assertRejected(split(), "repeatText", { a: "x", times: "2" }, [{ path: "times" }]);
    await assertRejected(split(), "stringifyScalar", { value: [] }, [{ path: "value" }]);
    await assertAllRejected(split(), "taggedArea", [{ shape: { kind: "circle", radius: 1 } }, { shape: { kind: "circle", radius: 1, id: "a", side: 2 } }]);
  });
});
