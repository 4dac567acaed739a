// fixtures/types-objects over the wire — objects: interfaces, inheritance, intersections, records and index signatures.
// Every service is called through its generated client and must give exactly
// what the monolith gives; bad requests are refused with a 400 naming the
// field. The shared values and helpers: test/helpers/type-roundtrip.ts.
import { test } from "node:test";
import * as maps from "../fixtures/types-objects/src/maps.ts";
import * as people from "../fixtures/types-objects/src/people.ts";
import { assertRejected } from "./helpers/parity.ts";
import { LONG_STRING, NUMBERS, STRINGS, TRICKY_KEYS, assertRawRejected, fixture, parity, reservedKeyBodies } from "./helpers/type-roundtrip.ts";

fixture("types-objects", (split) => {
  const boss: people.Employee = { name: "Boss", id: "e-0", salary: Number.MAX_SAFE_INTEGER, skills: [] };
  const employees: people.Employee[] = [
    { name: "", id: "", salary: 0, skills: [] },
    { name: "Zoë", id: "e-1", createdBy: "admin", salary: 1e308, skills: ["ts", "🙂"], manager: boss },
    { name: "مرحبا", id: "e-2", salary: -2.5, skills: STRINGS, manager: { ...boss, createdBy: "root", manager: { ...boss, id: "e-00", manager: boss } } },
    ...STRINGS.map((s, i) => ({ name: s, id: `id-${i}`, salary: NUMBERS[i % NUMBERS.length]!, skills: [s, s] })),
    { name: LONG_STRING, id: "long", salary: 5e-324, skills: [] },
  ];
  const address: people.Address = { street: "1 Main St", city: "Springfield" };
  const addresses: people.Address[] = [address, { street: "", city: "", zip: "" }, { street: "Ulica 🙂", city: "Kraków", zip: "30-001" }];
  const located: people.Located[] = [
    { name: "HQ", id: "l-1", address },
    { name: "Branch", id: "l-2", createdBy: "ops", address: addresses[2]! },
  ];
  const contacts: people.Contact[] = [
    { name: "Ann", email: "ann@example.com" },
    { name: "Bob", email: "", phone: "+1 555 0100" },
    { name: "👩‍👩‍👧‍👦", email: "x@y", phone: "" },
  ];
  const teams: people.Team[] = [
    { title: "empty", members: [] },
    { title: "core", members: employees.slice(0, 3), lead: employees[1]! },
    { title: "solo", members: [boss] },
  ];
  const scores: maps.Scores[] = [{}, { alice: 1, bob: 2 }, { "🙂": 1.5, "": -3, "a b": 0 }, TRICKY_KEYS, { huge: 1e308, tiny: 5e-324, safe: Number.MAX_SAFE_INTEGER }];
  const item = (sku: string, qty: number, note?: string): maps.Item => (note === undefined ? { sku, qty } : { sku, qty, note });
  const inventories: maps.Inventory[] = [
    {},
    { w1: item("apple", 3) },
    { "w 2": item("box", 0, "fragile 📦"), w3: item("", -1, "") },
    { toString: item("t", 1), valueOf: item("v", 2), "": item("", 0) },
  ];
  const headers: maps.HttpHeaders[] = [
    { contentType: "text/html" },
    { contentType: "application/json", accept: "*/*" },
    { contentType: "a", "x-trace-id": "abc", "X-Ünïcode": "✓", "": "empty name" },
  ];

  parity(split, { ...people, ...maps }, {
    echoEmployee: employees.map((e) => [e]),
    describeEmployee: employees.map((e) => [e]),
    echoContact: contacts.map((c) => [c]),
    contactCard: contacts.map((c) => [c]),
    echoLocated: located.map((l) => [l]),
    formatAddress: addresses.map((a) => [a]),
    relocate: [[located[0], "Köln"], [located[1], ""], [located[1], "🙂"]],
    teamPayroll: teams.map((t) => [t]),
    echoTeam: teams.map((t) => [t]),
    norm3: [[{ x: 3, y: 4 }], [{ x: 1, y: 2, z: 2 }], [{ x: 1e308, y: 0 }], [{ x: 0, y: 0, z: 0 }]],
    sumScores: scores.slice(0, 4).map((s) => [s]),
    topScore: scores.map((s) => [s]),
    echoScores: scores.map((s) => [s]),
    doubleCounts: scores.slice(0, 4).map((s) => [s]),
    echoInventory: inventories.map((i) => [i]),
    restock: [
      [{}, "w1", "apple", 2],
      [inventories[1], "w1", "apple", 2],
      [inventories[1], "w1", "pear", 2],
      [inventories[2], "🙂", "x", 0],
    ],
    inventoryKeys: inventories.map((i) => [i]),
    swapAB: [[{ a: 1, b: 2 }], [{ a: 1e308, b: -0.5 }], [{ a: 0, b: 0 }]],
    echoHeaders: headers.map((h) => [h]),
    headerLines: headers.map((h) => [h]),
    metricsShare: [[{ total: 10, a: 5, b: 2.5 }], [{ total: 0 }], [{ total: 0, x: 3 }], [{ total: 3, ...TRICKY_KEYS }]],
    echoNote: [[{ name: "n", createdAt: "2024-01-01", body: "b" }], [{ name: "", createdAt: "", updatedAt: "later", body: "🙂" }]],
  });

  test("the schemas are enforced: index signatures, records, inherited and intersected properties", async () => {
    await assertRejected(split(), "sumScores", { scores: { a: "1" } }, [{ path: "scores.a", rule: "type" }]);
    await assertRejected(split(), "swapAB", { pair: { a: 1 } }, [{ path: "pair.b", rule: "required" }]);
    await assertRejected(split(), "swapAB", { pair: { a: 1, b: 2, c: 3 } }, [{ path: "pair.c", rule: "additionalProperties" }]);
    await assertRejected(split(), "echoEmployee", { employee: { name: "a", id: "b", skills: [1] } }, [
      { path: "employee.salary", rule: "required" },
      { path: "employee.skills[0]", rule: "type" },
    ]);
    await assertRejected(split(), "echoEmployee", { employee: { name: "a", salary: 1, skills: [] } }, [{ path: "employee.id", rule: "required" }]);
    await assertRejected(split(), "echoContact", { contact: { name: "a" } }, [{ path: "contact.email", rule: "required" }]);
    await assertRejected(split(), "echoContact", { contact: { name: "a", email: "b", fax: "c" } }, [{ path: "contact.fax", rule: "additionalProperties" }]);
    await assertRejected(split(), "echoLocated", { located: { name: "a", id: "b", address: { street: "s" } } }, [{ path: "located.address.city", rule: "required" }]);
    await assertRejected(split(), "echoHeaders", { headers: { contentType: "x", other: 5 } }, [{ path: "headers.other", rule: "type" }]);
    await assertRejected(split(), "echoHeaders", { headers: { accept: "x" } }, [{ path: "headers.contentType", rule: "required" }]);
    await assertRejected(split(), "echoInventory", { inventory: { w: { sku: "a" } } }, [{ path: "inventory.w.qty", rule: "required" }]);
    await assertRejected(split(), "metricsShare", { metrics: { x: 1 } }, [{ path: "metrics.total", rule: "required" }]);
    await assertRejected(split(), "norm3", { point: { x: 1, y: 2, w: 3 } }, [{ path: "point.w", rule: "additionalProperties" }]);
    await assertRejected(split(), "echoNote", { note: { name: "n", body: "b" } }, [{ path: "note.createdAt", rule: "required" }]);
  });

  test("the reserved keys __proto__ and constructor are refused in records and index signatures", async () => {
    await assertRawRejected(split(), "echoScores", reservedKeyBodies("scores", (inner) => inner));
    await assertRawRejected(split(), "echoInventory", reservedKeyBodies("inventory", (inner) => `{"w": {"sku": "a", "qty": 1}, "x": ${inner}}`));
    await assertRawRejected(split(), "echoHeaders", ['{"headers": {"contentType": "a", "__proto__": "b"}}', '{"headers": {"contentType": "a", "constructor": "b"}}']);
  });
});
