// fixtures/types-utility over the wire — utility types: Partial, Pick, Omit, Required, mapped and conditional types.
// Every service is called through its generated client and must give exactly
// what the monolith gives; bad requests are refused with a 400 naming the
// field. The shared values and helpers: test/helpers/type-roundtrip.ts.
import { test } from "node:test";
import * as utility from "../fixtures/types-utility/src/utility.ts";
import { assertAllRejected, assertRejected } from "./helpers/parity.ts";
import { LONG_STRING, fixture, parity } from "./helpers/type-roundtrip.ts";

fixture("types-utility", (split) => {
  const account: utility.Account = { id: 1, name: "Ann", email: "ann@example.com", tags: [] };
  const full: Required<utility.Account> = { id: 2, name: "Zoë 🙂", email: "z@example.com", age: 30, tags: ["a", "🙂"], address: { city: "Paris", zip: null } };
  const figures: utility.Figure[] = [
    { kind: "circle", id: "c1", r: 1 },
    { kind: "square", id: "s1", side: 2 },
    { kind: "circle", id: "", r: 1e308 },
  ];
  parity(split, utility, {
    patchAccount: [[account, {}], [account, { name: "Bo" }], [full, { address: { city: "Rome", zip: "00100" }, tags: [] }], [account, { age: 0, id: 9 }]],
    echoPartial: [[{}], [{ age: 1 }], [full], [{ address: { city: "", zip: "" } }]],
    requiredSummary: [[full], [{ ...full, age: 0, tags: [] }]],
    pickIdName: [[{ id: 1, name: "a" }], [{ id: -1e308, name: "" }]],
    withoutEmail: [[account], [full]],
    figureKind: [[{ kind: "circle" }], [{ kind: "square" }]],
    stripFigureId: figures.map((f) => [f]),
    circlesOnly: [[[]], [figures]],
    nonCircles: [[[]], [figures]],
    freezeAccount: [[account], [full]],
    nameLength: [[""], ["🙂👩‍👩‍👧"], ["e\u0301"], [LONG_STRING]],
    cityOf: [[{ city: "X", zip: null }], [{ city: "", zip: "1" }]],
    statsOf: [[[]], [[1, 2, 3]], [[1e308]], [[-5, 5e-324]]],
    describeStats: [[{ count: 0, min: null, max: null, mean: 0 }], [{ count: 2, min: 1, max: 2, mean: 1.5 }]],
    echoAwaited: [[account], [full]],
    fetchAccount: [[1], [0], [-7]],
    nullableAddress: [[{ city: null, zip: null }], [{ city: "X", zip: "1" }]],
    blankAccount: [[{ id: 1, name: "a", email: "" }], [{ id: 2, name: "b", email: "x@y" }]],
    permissionList: [[{ read: false, write: false, admin: false }], [{ read: true, write: false, admin: true }]],
    addressFields: [[{ city: "c", zip: "z" }], [{ city: "", zip: "" }]],
    partialPoint: [[{}], [{ x: 1 }], [{ y: 2 }], [{ x: 1, y: 2 }]],
    measure: [[3, "kg"], [1e308, ""]],
    envelopeText: [[{ text: "hi", length: 2 }], [{ text: "", length: 0 }]],
    unwrapAddress: [[{ city: "X", zip: null }], [{ city: "Y", zip: "2" }]],
    fieldOf: [[account, "name"], [full, "address"], [account, "age"], [full, "tags"]],
    tagCount: [[[]], [["a", "🙂"]]],
  });

  test("the schemas are enforced: picked, omitted, required and mapped properties", async () => {
    await assertRejected(split(), "pickIdName", { account: { id: 1, name: "a", email: "x" } }, [{ path: "account.email", rule: "additionalProperties" }]);
    await assertRejected(split(), "requiredSummary", { account: { ...full, age: undefined } }, [{ path: "account.age", rule: "required" }]);
    await assertRejected(split(), "figureKind", { figure: { kind: "circle", id: "x" } }, [{ path: "figure.id", rule: "additionalProperties" }]);
    await assertRejected(split(), "echoPartial", { patch: { id: "1" } }, [{ path: "patch.id", rule: "type" }]);
    await assertRejected(split(), "nullableAddress", { address: { city: null } }, [{ path: "address.zip", rule: "required" }]);
    await assertRejected(split(), "permissionList", { permissions: { read: true, write: true } }, [{ path: "permissions.admin", rule: "required" }]);
    await assertRejected(split(), "partialPoint", { point: { z: 1 } }, [{ path: "point.z", rule: "additionalProperties" }]);
    await assertRejected(split(), "nameLength", { name: null }, [{ path: "name" }]);
    await assertRejected(split(), "withoutEmail", { account: { id: 1, name: "a", tags: [] } }, [{ path: "account.email", rule: "required" }]);
    await assertAllRejected(split(), "stripFigureId", [{ figure: { kind: "circle", r: 1 } }, { figure: { kind: "square", id: "a", r: 1 } }]);
    await assertRejected(split(), "measure", { value: 1 }, [{ path: "unit", rule: "required" }]);
    await assertRejected(split(), "fieldOf", { account, field: "password" }, [{ path: "field" }]);
  });
});
