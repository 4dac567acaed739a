// The everyday TypeScript type language over the wire: for each fixture
// types-*, every service is called through its generated client with several
// values (edge cases included) and must give exactly what the monolith gives
// (assert.deepStrictEqual: Date, bigint, Map, Set, Uint8Array, undefined vs
// missing all count). Bad requests must be refused at the door with a 400
// naming the field. Known, documented difference: a property explicitly set to
// `undefined` arrives missing, so the values here leave optional properties out
// instead of setting them to undefined.
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import * as constraints from "../fixtures/types-constraints/src/constraints.ts";
import * as enums from "../fixtures/types-enums/src/enums.ts";
import * as generics from "../fixtures/types-generics/src/generics.ts";
import * as maps from "../fixtures/types-objects/src/maps.ts";
import * as people from "../fixtures/types-objects/src/people.ts";
import * as recursive from "../fixtures/types-recursive/src/recursive.ts";
import * as special from "../fixtures/types-special/src/special.ts";
import * as tuples from "../fixtures/types-tuples/src/tuples.ts";
import * as shapes from "../fixtures/types-unions/src/shapes.ts";
import * as values from "../fixtures/types-unions/src/values.ts";
import * as utility from "../fixtures/types-utility/src/utility.ts";
import { assertAllRejected, assertEachRejected, assertRejected, assertSameAll, routeUrl, show } from "./helpers/parity.ts";
import { FIXTURES } from "./helpers/paths.ts";
import { startSplit } from "./helpers/split.ts";
import type { SplitProgram } from "./helpers/split.ts";

// ---------------------------------------------------------------- shared values

/** Strings that stress encoding: empty, astral, ZWJ sequences, combining marks, RTL, controls, lone surrogate. */
const STRINGS = [
  "",
  "plain",
  "ü-名前-🙂",
  "👩‍👩‍👧‍👦 family",
  "e\u0301 combining é",
  "مرحبا بالعالم",
  "שלום\u200F",
  "nul\u0000tab\tnewline\n",
  "\"quotes\" \\ back\\slash / solidus",
  "\u2028\u2029",
  "lone \uD800 surrogate",
];
const LONG_STRING = "ab🙂".repeat(5000);
/** Numbers JSON carries exactly (no -0, NaN or infinities). */
const NUMBERS = [0, 1, -1, 0.1, -2.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 5e-324, Number.MAX_VALUE, 2 ** 53 + 2];
/**
 * An object with keys that are easy to mishandle. `__proto__` and `constructor` are not among
 * them: the services refuse those keys anywhere in a body (see the reserved-keys tests).
 */
const TRICKY_KEYS: Record<string, number> = { toString: 3, hasOwnProperty: 11, valueOf: 12, "": 4, "a b": 5, "0": 6, "10": 7, "🙂": 8, "a.b": 9, "x[0]": 10, "~1/~0": 13 };
/** Bodies (as raw JSON text) carrying the reserved keys, which the services refuse with a 400. */
function reservedKeyBodies(param: string, wrap: (inner: string) => string): string[] {
  return ['{"__proto__": 1}', '{"constructor": 1}', '{"__proto__": {"polluted": 1}}'].map((inner) => `{${JSON.stringify(param)}: ${wrap(inner)}}`);
}

/** Posts raw JSON text and expects a 400. */
async function assertRawRejected(split: SplitProgram, fn: string, bodies: readonly string[]): Promise<void> {
  const failures: string[] = [];
  for (const body of bodies) {
    const res = await fetch(routeUrl(split, fn), { method: "POST", headers: { "content-type": "application/json" }, body });
    const text = await res.text();
    if (res.status !== 400) failures.push(`  ${body} → ${res.status} ${text.slice(0, 300)}`);
  }
  assert.equal(failures.length, 0, `${fn}: ${failures.length} of ${bodies.length} bodies were not refused with 400:\n${failures.join("\n")}`);
}

/** One describe per fixture: build it, start every service, stop them after. */
function fixture(name: string, body: (split: () => SplitProgram) => void): void {
  describe(`fixtures/${name} over the wire`, () => {
    let split: SplitProgram | undefined;
    before(async () => {
      split = await startSplit(path.join(FIXTURES, name, "tsconfig.json"), `e2e-${name}`);
    });
    after(() => split?.stop());
    body(() => {
      assert.ok(split, `fixtures/${name} did not start`);
      return split;
    });
  });
}

/** One test per function: every argument list gives the monolith's outcome through the client. */
function parity(split: () => SplitProgram, module: Record<string, unknown>, table: Record<string, unknown[][]>): void {
  test("every service of the fixture is exercised below", () => {
    const routes = split().result.plan!.services.flatMap((s) => s.routes.map((r) => r.name)).sort();
    assert.deepEqual(routes, Object.keys(table).sort());
  });
  for (const [fn, argsList] of Object.entries(table)) {
    test(`${fn}: ${argsList.length} calls equal the monolith`, async () => {
      const local = module[fn];
      assert.equal(typeof local, "function", `the fixture exports no function ${fn}`);
      await assertSameAll(split(), fn, local as (...a: unknown[]) => unknown, argsList);
    });
  }
}

// ---------------------------------------------------------------- 1. objects

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

// ---------------------------------------------------------------- 2. unions

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

// ---------------------------------------------------------------- 3. enums

fixture("types-enums", (split) => {
  const colors = ["RED", "GREEN", "BLUE"] as enums.Color[];
  const priorities = [0, 5, 6] as enums.Priority[];
  const directions = ["up", "down", "left", "right"] as enums.Direction[];
  const tasks: enums.Task[] = [
    { title: "t", priority: 0 as enums.Priority, status: "active", owner: "user-1", width: "12px" },
    { title: "🙂", priority: 6 as enums.Priority, color: "BLUE" as enums.Color, status: "deleted", owner: "user-", width: "-0.5px" },
    { title: "", priority: 5 as enums.Priority, color: "RED" as enums.Color, status: "suspended", owner: "user-名前", width: "1e3px" },
    { title: "multi\nline", priority: 5 as enums.Priority, status: "active", owner: "user-line\nbreak", width: "5e-324px" },
  ];

  parity(split, enums, {
    nextColor: colors.map((c) => [c]),
    echoColors: [[[]], [colors], [[...colors, ...colors]]],
    escalate: priorities.map((p) => [p]),
    priorityName: priorities.map((p) => [p]),
    turnRight: directions.map((d) => [d]),
    levelAtLeast: [[10, 20], [40, 40], [30, 10]],
    statusOf: [["Active"], ["Suspended"], ["Deleted"]],
    statusKeyOf: [["active"], ["suspended"], ["deleted"]],
    httpText: [[200], [404], [418]],
    roll: [[1, 0, "sum"], [6, 2, "double"], [3, 1, 0], [3, 1, false]],
    confirmed: [["yes", true], ["no", true]],
    // `${string}` is any string to TypeScript, line breaks included.
    userNumber: [["user-42"], ["user-"], ["user-007"], ["user-1e3"], ["user--5"], ["user-\n5"], ["user-\u2028"]],
    makeUserId: [[42], [-1.5], [0], [Number.MAX_SAFE_INTEGER]],
    // `${number}` is whatever string `+s` reads as a finite number to TypeScript: "+5", "5.", "0x10", "1e-7"...
    scalePx: [["12px", 2], ["-0.5px", 3], ["1e3px", 0.5], ["0px", 1], [".5px", 4], ["+5px", 1], ["5.px", 2], ["1e-7px", 1], ["0x10px", 1]],
    oppositeCorner: [["top-left"], ["top-right"], ["bottom-left"], ["bottom-right"]],
    echoTask: tasks.map((t) => [t]),
    taskBadge: tasks.map((t) => [t]),
    colorTotal: [[{ RED: 1, GREEN: 2, BLUE: 3 }], [{ RED: 0, GREEN: 0, BLUE: 1e300 }]],
    someColors: [[{}], [{ BLUE: 1, RED: 0 }]],
    dataAttributes: [[{}], [{ "data-id": "1", "data-🙂": "x", "data-": "" }]],
  });

  test("the schemas are enforced: enum values (not member names), literals, template literal patterns", async () => {
    const s = split();
    for (const [fn, body, at] of [
      ["nextColor", { color: "PURPLE" }, "color"],
      ["nextColor", { color: "Red" }, "color"],
      ["escalate", { priority: 3 }, "priority"],
      ["escalate", { priority: "Low" }, "priority"],
      ["turnRight", { direction: "UP" }, "direction"],
      ["levelAtLeast", { level: 15, min: 10 }, "level"],
      ["statusOf", { key: "active" }, "key"],
      ["statusKeyOf", { value: "Active" }, "value"],
      ["httpText", { code: 500 }, "code"],
      ["roll", { die: 7, bonus: 0, mode: "sum" }, "die"],
      ["roll", { die: 1, bonus: 0, mode: true }, "mode"],
      ["confirmed", { answer: "yes", strict: false }, "strict"],
      ["userNumber", { id: "usr-1" }, "id"],
      ["userNumber", { id: "User-1" }, "id"],
      ["scalePx", { length: "12", factor: 1 }, "length"],
      ["scalePx", { length: "px", factor: 1 }, "length"],
      ["scalePx", { length: "abcpx", factor: 1 }, "length"],
      ["scalePx", { length: "12 pxx", factor: 1 }, "length"],
      ["oppositeCorner", { corner: "top-middle" }, "corner"],
      ["echoTask", { task: { ...tasks[0], owner: "admin" } }, "task.owner"],
      ["echoTask", { task: { ...tasks[0], width: "12em" } }, "task.width"],
      ["colorTotal", { counts: { RED: 1, BLUE: 1 } }, "counts.GREEN"],
      ["colorTotal", { counts: { RED: 1, GREEN: 1, BLUE: 1, Red: 1 } }, "counts.Red"],
      ["someColors", { counts: { PURPLE: 1 } }, "counts.PURPLE"],
      ["dataAttributes", { attrs: { id: "1" } }, "attrs.id"],
      ["dataAttributes", { attrs: { "data-x": 1 } }, 'attrs["data-x"]'],
    ] as const) {
      await assertRejected(s, fn, body, [{ path: at }]);
    }
  });
});

// ---------------------------------------------------------------- 4. tuples

fixture("types-tuples", (split) => {
  const many = Array.from({ length: 1000 }, (_, i) => i * 1.5 - 300);
  const segments: tuples.Segment[] = [
    { from: [0, 0], to: [3, 4] },
    { from: [1, 1], to: [1, 1], tag: ["a", "🙂"] },
    { from: [-1e150, 0], to: [1e150, 0], tag: ["", ""] },
  ];
  parity(split, tuples, {
    swapPair: [[["a", 1]], [["", 1e308]], [["🙂", -0.5]]],
    distance: [[[0, 0], [3, 4]], [[1e150, 0], [0, 0]], [[-1, -1], [-1, -1]]],
    midpoint: [[[0, 0], [3, 4]], [[1e308, 1e308], [-1e308, 1]], [[5e-324, 2], [5e-324, 4]]],
    echoWeighted: [[["a"]], [["a", 2]], [["", 0]], [["🙂", 1e308]]],
    weightedLabel: [[["a"]], [["a", 2]], [["", 0]]],
    echoSeries: [[["s"]], [["s", 1, 2, 3]], [["many", ...many]], [["", 0]]],
    seriesStats: [[["s"]], [["s", 1, 2, 3]], [["many", ...many]]],
    pathLength: [[[]], [[[0, 0]]], [[[0, 0], [3, 4], [3, 0]]]],
    pairsToText: [[[]], [[["a", 1], ["b", 2]]], [[["🙂", 1e308]]]],
    sumReadonly: [[[]], [[1, 2, 3]], [[Number.MAX_SAFE_INTEGER, 1]], [many]],
    joinReadonly: [[[], ","], [["a", "b"], "🙂"], [STRINGS, "|"]],
    reversePairs: [[[]], [[["a", 1], ["b", 2]]]],
    bounds: [[[]], [[5]], [[3, -1, 1e308]], [many]],
    segmentLength: segments.map((s) => [s]),
    echoSegments: [[[]], [segments]],
    toHex: [[["rgb", 255, 0, 16]], [["rgb", 0, 0, 0]]],
  });

  test("the schemas are enforced: lengths, element types, optional and rest elements", async () => {
    await assertAllRejected(split(), "distance", [
      { a: [1, 2, 3], b: [0, 0] },
      { a: [1], b: [0, 0] },
      { a: { x: 1, y: 2 }, b: [0, 0] },
      { a: ["1", 2], b: [0, 0] },
    ]);
    await assertAllRejected(split(), "echoWeighted", [{ w: ["a", "b"] }, { w: [] }, { w: ["a", 1, 2] }, { w: [1] }]);
    await assertAllRejected(split(), "echoSeries", [{ series: [] }, { series: ["a", 1, "x"] }, { series: [1] }]);
    await assertAllRejected(split(), "toHex", [{ color: ["rgba", 1, 2, 3] }, { color: ["rgb", 1, 2] }]);
    await assertAllRejected(split(), "swapPair", [{ pair: { 0: "a", 1: 1 } }]);
    await assertRejected(split(), "echoSeries", { series: ["a", 1, "x"] }, [{ path: "series[2]" }]);
    await assertRejected(split(), "echoWeighted", { w: ["a", "b"] }, [{ path: "w[1]" }]);
    await assertRejected(split(), "segmentLength", { segment: { from: [0, 0], to: [0, "1"] } }, [{ path: "segment.to[1]" }]);
  });
});

// ---------------------------------------------------------------- 5. generics

fixture("types-generics", (split) => {
  const users: generics.User[] = [
    { id: 1, name: "Ann" },
    { id: 2, name: "🙂" },
    { id: Number.MAX_SAFE_INTEGER, name: "" },
  ];
  const orders: generics.Order[] = [
    { id: "o1", total: 10, lines: [] },
    { id: "o2", total: 2.5, lines: [{ sku: "a", qty: 1 }] },
    { id: "o3", total: 1e300, lines: [{ sku: "b", qty: 2 }, { sku: "c", qty: 3 }] },
  ];
  const bookOf = <T>(pages: T[][]): generics.Page<generics.Page<T>> => ({
    items: pages.map((items, i) => ({ items, total: items.length, next: i + 1 < pages.length ? String(i + 1) : null })),
    total: pages.length,
    next: null,
  });
  parity(split, generics, {
    echoUserPage: [[{ items: [], total: 0, next: null }], [{ items: users, total: 1e308, next: "c2" }]],
    firstOrderPage: [[[], 10], [orders, 2], [orders, 0]],
    orderPageTotal: [[{ items: [], total: 0, next: null }], [{ items: orders, total: 3, next: "x" }]],
    findUser: [[users, 2], [users, 9], [[], 0]],
    echoUserResult: [[{ ok: true, value: users[0] }], [{ ok: false, error: { code: "E", message: "🙂" } }]],
    parseList: [[""], ["a,b"], ["[x]"], ["🙂,,"]],
    flattenPages: [[bookOf<number>([])], [bookOf([[1, 2], [], [3]])]],
    nestPages: [[[1, 2, 3, 4, 5], 2], [[], 3], [[1e308], 1]],
    firstOfFirst: [[bookOf<string>([])], [bookOf([["x", "y"], ["z"]])], [bookOf([[], ["z"]])]],
    countKinds: [[{ items: [], total: 0, next: null }], [{ items: [...users, ...orders], total: 6, next: null }]],
    swapGenericPair: [[{ first: "a", second: 1 }], [{ first: "", second: 1e308 }]],
    samePair: [[{ first: true, second: true }], [{ first: true, second: false }]],
    unbox: [[{ value: { value: "inner" } }], [{ value: { value: "" } }]],
    boxAll: [[[]], [[1, 2, 1e308]]],
    keyedSum: [[[]], [[{ key: "a", value: 1 }, { key: "b", value: 2 }, { key: "a", value: 3 }]]],
    treeLabels: [[{ value: "root", children: [] }], [{ value: "a", children: [{ value: "b", children: [{ value: "🙂", children: [] }] }, { value: "", children: [] }] }]],
    echoNumberTree: [[{ value: 1e308, children: [{ value: -1, children: [] }] }]],
  });

  test("the schemas are enforced: each instantiation has its own type arguments", async () => {
    await assertRejected(split(), "echoUserPage", { page: { items: [{ id: "1", name: "a" }], total: 1, next: null } }, [{ path: "page.items[0].id" }]);
    await assertAllRejected(split(), "echoUserPage", [{ page: { items: [orders[0]], total: 1, next: null } }, { page: { items: [], total: 0 } }]);
    await assertAllRejected(split(), "echoUserResult", [{ result: { ok: true, error: { code: "a", message: "b" } } }, { result: { ok: false, value: users[0] } }]);
    await assertRejected(split(), "keyedSum", { entries: [{ key: "c", value: 1 }] }, [{ path: "entries[0].key" }]);
    await assertRejected(split(), "flattenPages", { book: { items: [{ items: ["1"], total: 1, next: null }], total: 1, next: null } }, [{ path: "book.items[0].items[0]" }]);
    await assertRejected(split(), "firstOfFirst", { book: { items: [{ items: [1], total: 1, next: null }], total: 1, next: null } }, [{ path: "book.items[0].items[0]" }]);
    await assertRejected(split(), "swapGenericPair", { pair: { first: 1, second: 1 } }, [{ path: "pair.first" }]);
    await assertRejected(split(), "treeLabels", { tree: { value: "a", children: [{ value: 1, children: [] }] } }, [{ path: "tree.children[0].value" }]);
    await assertRejected(split(), "echoNumberTree", { tree: { value: 1, children: [{ value: "a", children: [] }] } }, [{ path: "tree.children[0].value" }]);
  });

  test("no unresolved type parameter reaches a schema: the generic helpers are not services", () => {
    const routes = split().result.plan!.services.flatMap((s) => s.routes.map((r) => r.name));
    assert.ok(!routes.includes("paginate") && !routes.includes("ok"));
  });
});

// ---------------------------------------------------------------- 6. utility types

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

// ---------------------------------------------------------------- 7. recursive types

/** A chain of `depth` nodes, each the only child of the one above. */
function chain(depth: number): recursive.TreeNode {
  let node: recursive.TreeNode = { value: depth, children: [] };
  for (let i = depth - 1; i >= 1; i--) node = { value: i, children: [node] };
  return node;
}

/** A JSON value nested `depth` levels deep, alternating arrays and objects. */
function nestedJson(depth: number): recursive.Json {
  let value: recursive.Json = "bottom 🙂";
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? [value, i] : { [`k${i}`]: value, n: null };
  return value;
}

fixture("types-recursive", (split) => {
  const trees: recursive.TreeNode[] = [
    { value: 1, children: [] },
    { value: 1, children: [{ value: 2, children: [] }, { value: 3, children: [{ value: 4, children: [] }] }] },
    chain(200),
    { value: 0, children: Array.from({ length: 500 }, (_, i) => ({ value: i, children: [] })) },
    { value: 1e308, children: [{ value: -1e308, children: [] }] },
  ];
  const jsons: recursive.Json[] = [
    null,
    true,
    0,
    "s",
    [],
    {},
    [1e308, -5e-324, Number.MAX_SAFE_INTEGER, "", null, false, [], {}],
    { nested: { array: [1, { deep: [null] }] }, "🙂": "ü", "": "" },
    TRICKY_KEYS,
    { a: [{ toString: [] }], prototype: { polluted: true } },
    nestedJson(100),
    STRINGS,
  ];
  let list: recursive.ListNode | null = null;
  for (let i = 150; i > 0; i--) list = { value: `n${i}`, next: list };
  const thread: recursive.Comment[] = [
    { text: "root" },
    { text: "with replies", replies: [{ text: "a", replies: [] }, { text: "b", replies: [{ text: "🙂" }] }] },
  ];
  const num = (value: number): recursive.Num => ({ kind: "num", value });
  const exprs: recursive.Expr[] = [
    num(3),
    { kind: "add", left: num(1), right: num(2) },
    { kind: "neg", operand: { kind: "neg", operand: num(5) } },
    { kind: "call", fn: "max", args: [num(1), { kind: "neg", operand: num(7) }, { kind: "add", left: num(2), right: num(2) }] },
    { kind: "call", fn: "min", args: [] },
    { kind: "add", left: { kind: "neg", operand: num(1) }, right: { kind: "call", fn: "min", args: [num(4), num(-2)] } },
  ];
  const person = (name: string, reports: recursive.Person[] = []): recursive.Person => ({ name, reports });
  const departments: recursive.Department[] = [
    { name: "empty", head: null, staff: [] },
    { name: "eng", head: person("Ann", [person("Bob", [person("Cy")]), person("Dee")]), staff: [person("Bob"), person("Eve")] },
    {
      name: "child",
      head: { name: "Fay", reports: [], department: { name: "inner", head: null, staff: [] } },
      staff: [],
      parent: { name: "parent", head: null, staff: [person("Gus")], parent: { name: "root", head: null, staff: [] } },
    },
  ];
  const folder: recursive.Folder = {
    kind: "folder",
    name: "root",
    entries: [
      { kind: "file", name: "a.txt", size: 10 },
      { kind: "folder", name: "sub", entries: [{ kind: "file", name: "🙂.bin", size: 1e6 }, { kind: "folder", name: "empty", entries: [] }] },
    ],
  };

  parity(split, recursive, {
    echoTree: trees.map((t) => [t]),
    treeSum: trees.slice(0, 4).map((t) => [t]),
    treeDepth: trees.map((t) => [t]),
    mirrorTree: trees.map((t) => [t]),
    echoJson: jsons.map((j) => [j]),
    jsonDepth: jsons.map((j) => [j]),
    jsonKinds: jsons.map((j) => [j]),
    listToArray: [[null], [{ value: "a", next: null }], [list]],
    arrayToList: [[[]], [["a"]], [Array.from({ length: 150 }, (_, i) => `n${i}`)]],
    countComments: [[[]], [thread]],
    echoThread: [[[]], [thread]],
    evaluate: exprs.map((e) => [e]),
    simplify: exprs.map((e) => [e]),
    headcount: departments.map((d) => [d]),
    echoDepartment: departments.map((d) => [d]),
    folderSize: [[folder], [{ kind: "folder", name: "", entries: [] }]],
    listPaths: [[folder], [folder, "/mnt/"], [{ kind: "folder", name: "", entries: [] }]],
  });

  test("a body nested far deeper than any sane value (10 000 levels) is a 4xx, not a 5xx, and the service stays up", async () => {
    const depth = 10_000;
    const bodies: [string, string][] = [
      ["echoJson", `{"value": ${"[".repeat(depth)}${"]".repeat(depth)}}`],
      ["echoJson", `{"value": ${'{"a":'.repeat(depth)}1${"}".repeat(depth)}}`],
      ["echoTree", `{"tree": ${'{"value":1,"children":['.repeat(depth)}${"]}".repeat(depth)}}`],
    ];
    const failures: string[] = [];
    for (const [fn, body] of bodies) {
      const res = await fetch(routeUrl(split(), fn), { method: "POST", headers: { "content-type": "application/json" }, body });
      const text = await res.text();
      if (res.status < 400 || res.status >= 500) failures.push(`${fn} ${body.slice(0, 40)}… → ${res.status} ${text.slice(0, 200)}`);
    }
    for (const p of Object.values(split().processes)) {
      assert.equal(p.child.exitCode, null, `${p.name} died`);
      assert.equal((await fetch(`${p.url}/health/live`)).status, 200);
    }
    assert.deepEqual(failures, []);
  });

  test("the schemas are enforced deep inside recursive values", async () => {
    const bad = { value: 1, children: [{ value: 2, children: [{ value: 3, children: [{ value: "x", children: [] }] }] }] };
    await assertRejected(split(), "echoTree", { tree: bad }, [{ path: "tree.children[0].children[0].children[0].value", rule: "type" }]);
    const deepBad = chain(200);
    let node = deepBad;
    while (node.children.length > 0) node = node.children[0]!;
    (node as { children: unknown }).children = "none";
    const res = await fetch(routeUrl(split(), "treeDepth"), { method: "POST", body: JSON.stringify({ tree: deepBad }) });
    assert.equal(res.status, 400, `a tree 200 deep with a bad leaf: ${res.status} ${show(await res.text())}`);
    await assertRejected(split(), "echoJson", {}, [{ path: "value", rule: "required" }]);
    await assertRawRejected(split(), "echoJson", [...reservedKeyBodies("value", (inner) => inner), ...reservedKeyBodies("value", (inner) => `[1, {"a": [${inner}]}]`)]);
    await assertAllRejected(split(), "evaluate", [{ expr: { kind: "add", left: { kind: "num", value: 1 } } }, { expr: { kind: "call", fn: "sum", args: [] } }]);
    await assertRejected(split(), "listToArray", { list: { value: "a", next: { value: 1, next: null } } }, [{ path: "list.next.value" }]);
    await assertAllRejected(split(), "folderSize", [{ folder: { kind: "folder", name: "r", entries: [{ kind: "file", name: "x" }] } }]);
    await assertRejected(split(), "echoDepartment", { department: { name: "d", head: { name: "h", reports: [{ name: 1, reports: [] }] }, staff: [] } }, [
      { path: "department.head.reports[0].name" },
    ]);
  });
});

// ---------------------------------------------------------------- 8. special values

/** Every byte value once. */
const ALL_BYTES = Uint8Array.from({ length: 256 }, (_, i) => i);

fixture("types-special", (split) => {
  const dates = [
    new Date(0),
    new Date("2024-02-29T23:59:59.999Z"),
    new Date(-1),
    new Date("1900-01-01T00:00:00.001Z"),
    new Date("1969-07-20T20:17:40.123Z"),
    new Date("0000-01-01T00:00:00.000Z"), // year 0
    new Date(-62198755200000), // year -1: toISOString gives the extended form -000001-01-01T00:00:00.000Z
    new Date(1.5), // Date truncates to 1 ms
  ];
  const extremes = [new Date(8.64e15), new Date(-8.64e15)];
  const big = 2n ** 200n;
  const bigs = [0n, 1n, -1n, big, -big, 2n ** 64n, -(2n ** 64n), BigInt(Number.MAX_SAFE_INTEGER) + 2n, 10n ** 300n];
  const view = new Uint8Array(ALL_BYTES.buffer, 10, 20); // a view: only its 20 bytes count
  const bytes = [new Uint8Array(0), ALL_BYTES, view, Uint8Array.from({ length: 65536 }, (_, i) => (i * 7919) % 256)];
  const urls = [
    new URL("https://example.com:8443/a/b?q=1&r=%20#frag"),
    new URL("http://[::1]:8080/"),
    new URL("https://münchen.de/straße?ü=ö"),
    new URL("file:///tmp/x.txt"),
    new URL("http://user:pw@host.example/"),
    new URL("mailto:someone@example.com"),
    new URL("x:"), // valid WHATWG URLs that RFC 3986 "uri" does not accept
    new URL("http://a/%"),
  ];
  const events: special.Event[] = [
    { at: new Date(0), id: 0n, tags: new Set(), next: null },
    { at: dates[1]!, id: big, tags: new Set(["urgent", "🙂", ""]), payload: ALL_BYTES, next: dates[3]! },
    { at: dates[2]!, id: -big, tags: new Set(STRINGS), payload: new Uint8Array(0), next: new Date(-1) },
  ];
  const schedules: special.Schedule[] = [
    { owner: "", events: [], nextRun: null, budgets: new Map(), home: null },
    {
      owner: "ops 🙂",
      events,
      lastRun: dates[4]!,
      nextRun: dates[1]!,
      budgets: new Map([["a", 1n], ["b", -big], ["", 0n]]),
      home: urls[0]!,
    },
  ];
  const stringMaps = [new Map<string, number>(), new Map([["a", 1], ["b", 2]]), new Map([["🙂", 1e308], ["", -1], ["__proto__", 3], ["dup", 3]]), new Map(Object.entries(TRICKY_KEYS))];
  const dateMaps = [new Map<number, Date>(), new Map([[1, dates[1]!], [2, dates[2]!], [-5, dates[3]!], [1.5, dates[0]!], [1e308, dates[4]!]])];

  parity(split, special, {
    addDays: [...dates.flatMap((d) => [[d, 1], [d, -365.25], [d, 0.5]]), ...extremes.map((d) => [d, 0])],
    addWeeks: [...dates.map((d) => [d, 1]), [dates[1], -2]],
    isoOf: [...dates, ...extremes].map((d) => [d]),
    earliest: [[[]], [dates], [[...extremes, ...dates]]],
    countSince: [[dates], [dates, new Date(0)], [[], dates[1]], [dates, extremes[1]]],
    sumBig: [[[]], [[1n]], [bigs], [[big, -big, 1n]], [[-(2n ** 64n)]]],
    mulBig: [[big, big], [-3n, 0n], [0n, 0n], [-(2n ** 100n), 7n], [BigInt(Number.MAX_SAFE_INTEGER), BigInt(Number.MAX_SAFE_INTEGER)]],
    bigDigits: bigs.map((b) => [b]),
    byteLength: bytes.map((b) => [b]),
    checksum: bytes.map((b) => [b]),
    xorBytes: [...bytes.map((b) => [b, 0xff]), [ALL_BYTES, 0]],
    invert: stringMaps.map((m) => [m]),
    latestKey: dateMaps.map((m) => [m]),
    shiftDates: [...dateMaps.map((m) => [m, 1]), [dateMaps[1], -0.5]],
    mergeCounts: [[[]], [[new Map()]], [stringMaps]],
    unionSets: [
      [new Set(), new Set()],
      [new Set(["a", "b"]), new Set(["b", "c"])],
      [new Set(STRINGS), new Set(["🙂", "plain"])],
    ],
    hasTag: [[new Set(), ""], [new Set(["x"]), "x"], [new Set(STRINGS), "e\u0301 combining é"], [new Set(["e\u0301"]), "é"]],
    edgeCount: [[new Map()], [new Map([["a", new Set(["b", "c"])], ["b", new Set<string>()], ["🙂", new Set(["a"])]])]],
    hostOf: urls.map((u) => [u]),
    withPath: [[urls[0], "/new/päth"], [urls[2], ""], [urls[1], "/a b"]],
    echoEvent: events.map((e) => [e]),
    eventSummary: events.map((e) => [e]),
    echoEvents: [[[]], [events]],
    echoSchedule: schedules.map((s) => [s]),
    scheduleBudget: schedules.map((s) => [s]),
    latestOf: [[{}], [{ a: dates[1], b: dates[2], "🙂": dates[4] }], [{ toString: dates[0], x: dates[1] }]],
    durationMs: [[[dates[3], dates[1]]], [[dates[1], dates[2]]], [[new Date(5), new Date(5)]]],
    firstPresent: [[[]], [[null, 5n, 7n]], [[null]], [[-big, null]]],
    // Two Date objects with one time are two members of a Set<Date>: their wire forms are equal.
    dateSetSize: [[new Set()], [new Set([new Date(0), new Date(0)])], [new Set([new Date(1), new Date(2)])]],
    sumReadonlyMap: [[new Map()], [new Map([["a", 1], ["b", 2.5]])]],
    sortedTags: [[new Set()], [new Set(["b", "a", "🙂"])]],
    whenMs: [[{ kind: "never" }], [{ kind: "at", at: dates[1] }], [{ kind: "at", at: dates[2] }]],
  });

  test("the revived values are real instances on the service side too (an echo keeps the class)", async () => {
    const s = split();
    const e = (await s.clients.echoEvent(events[1])) as special.Event;
    assert.ok(e.at instanceof Date && typeof e.id === "bigint" && e.tags instanceof Set && e.payload instanceof Uint8Array, show(e));
    assert.equal(Object.getPrototypeOf(e.payload), Uint8Array.prototype, "a Uint8Array, not a Buffer");
    const u = await s.clients.withPath(urls[0], "/x");
    assert.ok(u instanceof URL, show(u));
  });

  const within = (param: string, values: readonly unknown[], rule?: string) =>
    values.map((v) => ({ body: { [param]: v }, issues: [{ path: param, within: true, ...(rule ? { rule } : {}) }] }));

  test("the Date wire form is checked: not a date-time, or one Date cannot hold, is a 400", async () => {
    // "23:59:60" (a leap second) is a valid RFC 3339 date-time that Date cannot hold.
    await assertEachRejected(split(), "isoOf", within("d", [true, null, {}, [], "yesterday", "2024-02-30T00:00:00.000Z", "+275761-01-01T00:00:00.000Z", "2024-01-01", "2023-12-31T23:59:60Z"]));
    await assertRejected(split(), "addDays", { d: "yesterday", n: 1 }, [{ path: "d" }]);
  });

  test("the bigint wire form is checked", async () => {
    await assertEachRejected(split(), "sumBig", ["12a", true, 1.5, "", "1e5", " 1", "0x10", null].map((x) => ({ body: { xs: [x] }, issues: [{ path: "xs[0]", within: true }] })));
  });

  test("the Uint8Array wire form is checked", async () => {
    await assertEachRejected(split(), "byteLength", within("bytes", ["%%%", [256], [1.5], [-1], { 0: 1 }]));
  });

  test("the Map and Set wire forms are checked", async () => {
    await assertEachRejected(split(), "invert", within("m", ["a=1", [["a", "x"]], [["a"]], [[1, 2]], 5, [["a", 1, 2]]]));
    await assertEachRejected(split(), "unionSets", ["abc", [1], { a: true }].map((a) => ({ body: { a, b: [] }, issues: [{ path: "a", within: true }] })));
    await assertEachRejected(split(), "latestKey", within("m", [[["1", "2024-01-01T00:00:00.000Z"]], [[1, "not a date"]]]));
  });

  test("the URL wire form is checked: what the URL constructor refuses is a 400, not a 500", async () => {
    await assertEachRejected(split(), "hostOf", within("u", ["not a url", 5, "/relative/path", "", {}, "http://", "https://:80/", "http://999.999.999.999/", "http://example.com:99999/"]));
  });

  test("special values inside tuples and discriminated unions are checked", async () => {
    await assertAllRejected(split(), "whenMs", [{ when: { kind: "at" } }, { when: { kind: "at", at: "x" } }, { when: { kind: "never", at: "2024-01-01T00:00:00.000Z" } }]);
    await assertAllRejected(split(), "durationMs", [{ range: ["2024-01-01T00:00:00.000Z"] }, { range: ["2024-01-01T00:00:00.000Z", "x"] }]);
    await assertRejected(split(), "firstPresent", { xs: [null, "1.5"] }, [{ path: "xs[1]", within: true }]);
  });

  test("a missing Date, bigint, Set or Date | null property is named", async () => {
    const s = split();
    await assertRejected(s, "echoEvent", { event: {} }, [
      { path: "event.at", rule: "required" },
      { path: "event.id", rule: "required" },
      { path: "event.tags", rule: "required" },
      { path: "event.next", rule: "required" },
    ]);
  });
});

// ---------------------------------------------------------------- 9. constraints

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
    assert.deepEqual([prop("age").minimum, prop("age").maximum], [13, 130]);
    assert.equal(prop("homepage").format, "uri");
    assert.equal(prop("referral").format, "uuid");
    assert.equal(prop("birthday").format, "date-time");
    assert.equal(prop("locale").default, "en");
    assert.deepEqual(prop("locale").examples, ["fr"]);
    assert.equal(prop("phone").deprecated, true);
    assert.deepEqual(prop("phone").examples, ["+1 555 0100"]);
    const clamp = await doc("clampScore");
    const n = propertySchemas(clamp, "n")[0];
    assert.deepEqual([n?.minimum, n?.maximum], [0, 10], show(n));
    const page = propertySchemas(await doc("pageNumber"), "page")[0];
    assert.deepEqual([page?.minimum, page?.default], [1, 1], show(page));
    const old = (await doc("oldScore")) as { paths: Record<string, Record<string, { deprecated?: boolean }>> };
    assert.ok(
      Object.values(old.paths).some((item) => Object.values(item).some((op) => op?.deprecated === true)),
      "the deprecated function's operation is marked deprecated",
    );
    assert.deepEqual(propertySchemas(old, "n")[0]?.examples, [5]);
  });
});
