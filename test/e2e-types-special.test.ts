// fixtures/types-special over the wire — special values: Date, bigint, Uint8Array, Map, Set, URL.
// Every service is called through its generated client and must give exactly
// what the monolith gives; bad requests are refused with a 400 naming the
// field. The shared values and helpers: test/helpers/type-roundtrip.ts.
import assert from "node:assert/strict";
import { test } from "node:test";
import * as special from "../fixtures/types-special/src/special.ts";
import { assertAllRejected, assertEachRejected, assertRejected, show } from "./helpers/parity.ts";
import { STRINGS, TRICKY_KEYS, fixture, parity } from "./helpers/type-roundtrip.ts";

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
