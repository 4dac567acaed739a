// Property-based round trips (fast-check, seeded): random VALID values of the
// fixture types give the same outcome through the generated client as in the
// monolith; random INVALID request bodies never crash a service (never a 5xx,
// the process stays alive), and a valid value with one field flipped to a
// wrong type is refused with a 400 naming that field or one above it.
//
// Valid values include the numbers JSON cannot write (-0, NaN, ±Infinity:
// they cross as number words); they avoid `__proto__` / `constructor` keys (refused by design), and
// properties explicitly set to undefined (optional properties are left out).
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import fc from "fast-check";
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
import * as constraints from "../fixtures/types-constraints/src/constraints.ts";
import { encodeNumber, NUMBER_WORDS } from "../packages/runtime/src/codec.ts";
import { compareCall, isWithin, routeUrl, show } from "./helpers/parity.ts";
import { FIXTURES } from "./helpers/paths.ts";
import { postText } from "./helpers/services.ts";
import { runningServing, startSplit } from "./helpers/split.ts";
import type { SplitProgram } from "./helpers/split.ts";

/** Every property: the same seed, the same 100 runs, on any machine. */
const RUNS = { seed: 42, numRuns: 100 } as const;

// ---------------------------------------------------------------- arbitraries of valid values

const noNegativeZero = (x: number): number => (Object.is(x, -0) ? 0 : x);
/** Any double, -0, NaN and ±Infinity included. */
const num = fc.double();
/** Doubles whose sums and products stay finite, for functions that compute. */
const moderate = fc.double({ min: -1e6, max: 1e6, noNaN: true }).map(noNegativeZero);
const nonNegative = fc.double({ min: 0, max: 1e6, noNaN: true }).map(noNegativeZero);
/** Any code points: astral, combining, RTL, controls. */
const text = fc.string({ unit: "binary", maxLength: 12 });
const RESERVED_KEYS = new Set(["__proto__", "constructor"]);
const key = fc.string({ unit: "binary", maxLength: 8 }).filter((k) => !RESERVED_KEYS.has(k));
const dict = <T>(value: fc.Arbitrary<T>): fc.Arbitrary<Record<string, T>> => fc.dictionary(key, value, { noNullPrototype: true, maxKeys: 6 });
/** fc.record with the listed keys required and the others left out (never set to undefined). */
function rec<T extends Record<string, fc.Arbitrary<unknown>>>(model: T, required: (keyof T & string)[] = Object.keys(model)): fc.Arbitrary<any> {
  return fc.record(model, { requiredKeys: required, noNullPrototype: true });
}

const employeeAt = (depth: number): fc.Arbitrary<people.Employee> =>
  rec(
    { name: text, id: text, createdBy: text, salary: num, skills: fc.array(text, { maxLength: 3 }), ...(depth > 0 ? { manager: employeeAt(depth - 1) } : {}) },
    ["name", "id", "salary", "skills"],
  );
const employee = employeeAt(3);

const item = rec({ sku: text, qty: num, note: text }, ["sku", "qty"]);
const inventory: fc.Arbitrary<maps.Inventory> = dict(item);
const headers: fc.Arbitrary<maps.HttpHeaders> = fc
  .tuple(rec({ contentType: text, accept: text }, ["contentType"]), dict(text))
  .map(([known, extra]) => Object.assign(extra, known));

const shapeOf = (n: fc.Arbitrary<number>): fc.Arbitrary<shapes.Shape> =>
  fc.oneof(
    rec({ kind: fc.constant("circle"), radius: n }),
    rec({ kind: fc.constant("square"), side: n }),
    rec({ kind: fc.constant("triangle"), a: n, b: n, c: n }),
  );
const uiEvent: fc.Arbitrary<shapes.UiEvent> = fc.oneof(
  rec({ type: fc.constant("click"), x: num, y: num, button: fc.constantFrom("left", "right") }, ["type", "x", "y"]),
  rec({ type: fc.constant("key"), key: text, shift: fc.boolean() }),
  rec({ type: fc.constant("scroll"), delta: num }),
);
const profile: fc.Arbitrary<values.Profile> = rec(
  { name: text, bio: text, age: num, website: fc.option(text, { nil: null }), nickname: fc.option(text, { nil: null }) },
  ["name", "nickname"],
);

const weighted: fc.Arbitrary<tuples.Weighted> = fc.oneof(fc.tuple(text), fc.tuple(text, num));
const seriesOf = (n: fc.Arbitrary<number>): fc.Arbitrary<tuples.Series> => fc.tuple(text, fc.array(n, { maxLength: 20 })).map(([name, xs]) => [name, ...xs]);

const treeAt = (depth: number, n: fc.Arbitrary<number>): fc.Arbitrary<recursive.TreeNode> =>
  rec({ value: n, children: depth > 0 ? fc.array(treeAt(depth - 1, n), { maxLength: 3 }) : fc.constant([]) });

/** A JSON value without -0 and without the reserved keys. */
function cleanJson(value: unknown): recursive.Json {
  if (typeof value === "number") return noNegativeZero(value);
  if (Array.isArray(value)) return value.map(cleanJson);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [RESERVED_KEYS.has(k) ? `${k}_` : k, cleanJson(v)]));
  }
  return value as recursive.Json;
}
const json = fc.jsonValue({ maxDepth: 5, stringUnit: "binary" }).map(cleanJson);

/** Any date a Date can hold, from -271821 to +275760: outside 0000–9999 toISOString uses ±YYYYYY. */
const anyDate = fc.date({ noInvalidDate: true });
/** Dates with four-digit years. */
const isoDate = fc.date({ min: new Date("0000-01-01T00:00:00.000Z"), max: new Date("9999-12-31T23:59:59.999Z"), noInvalidDate: true });
const eventOf = (date: fc.Arbitrary<Date>): fc.Arbitrary<special.Event> =>
  rec(
    { at: date, id: fc.bigInt(), tags: fc.array(text, { maxLength: 5 }).map((a) => new Set(a)), payload: fc.uint8Array({ maxLength: 300 }), next: fc.option(date, { nil: null }) },
    ["at", "id", "tags", "next"],
  );
const url = fc.webUrl({ withQueryParameters: true, withFragments: true }).map((u) => new URL(u));
const schedule: fc.Arbitrary<special.Schedule> = rec(
  {
    owner: text,
    events: fc.array(eventOf(isoDate), { maxLength: 3 }),
    lastRun: isoDate,
    nextRun: fc.option(isoDate, { nil: null }),
    budgets: fc.array(fc.tuple(text, fc.bigInt())).map((entries) => new Map(entries)),
    home: fc.option(url, { nil: null }),
  },
  ["owner", "events", "nextRun", "budgets", "home"],
);
const stringNumberMap = fc.array(fc.tuple(text, num), { maxLength: 8 }).map((entries) => new Map(entries));

const user = rec({ id: num, name: text });
const userPage: fc.Arbitrary<generics.Page<generics.User>> = rec({ items: fc.array(user, { maxLength: 5 }), total: num, next: fc.option(text, { nil: null }) });
const address = rec({ city: text, zip: fc.option(text, { nil: null }) });
const partialAccount: fc.Arbitrary<Partial<utility.Account>> = rec({ id: num, name: text, email: text, age: num, tags: fc.array(text, { maxLength: 3 }), address }, []);

const task: fc.Arbitrary<enums.Task> = rec(
  {
    title: text,
    priority: fc.constantFrom(0, 5, 6),
    color: fc.constantFrom("RED", "GREEN", "BLUE"),
    status: fc.constantFrom("active", "suspended", "deleted"),
    owner: text.map((s) => `user-${s}`),
    width: num.map((n) => `${n}px`),
  },
  ["title", "priority", "status", "owner", "width"],
);

const isoString = isoDate.map((d) => d.toISOString());
const signUp: fc.Arbitrary<constraints.SignUp> = rec(
  {
    username: fc.stringMatching(/^[a-z][a-z0-9_]{2,19}$/),
    email: fc.emailAddress(),
    age: fc.double({ min: 13, max: 130, noNaN: true }),
    homepage: fc.webUrl(),
    referral: fc.uuid(),
    birthday: isoString,
    locale: text,
    phone: text,
    ratio: fc.double({ min: 0, max: 1, noNaN: true }).map(noNegativeZero),
  },
  ["username", "email", "age"],
);

// ---------------------------------------------------------------- properties

/** Random valid argument lists: the client's outcome equals the monolith's. */
async function roundTrips(split: SplitProgram, fn: string, local: (...a: any[]) => unknown, args: fc.Arbitrary<unknown[]>): Promise<void> {
  await split.start(fn);
  await fc.assert(
    fc.asyncProperty(args, async (a) => {
      const diff = await compareCall(split.clients[fn], local, a);
      if (diff) throw new Error(`${fn} differs from the monolith:\n${diff}`);
    }),
    RUNS,
  );
}


/** The service is still up and answering after a barrage. */
async function assertAlive(split: SplitProgram, fn: string): Promise<void> {
  const proc = runningServing(split, fn);
  assert.equal(proc.child.exitCode, null, `${proc.name} exited:\n${proc.output()}`);
  const live = await fetch(`${proc.url}/health/live`);
  assert.equal(live.status, 200);
}

/** Strings that look like (broken) wire forms of Date, bigint, base64, URL. */
const wireish = fc.constantFrom(
  "",
  "-",
  "1e5",
  "0x10",
  " 12",
  "12 ",
  "١٢",
  "AA==",
  "A",
  "%%%",
  "====",
  "2024-02-30T00:00:00Z",
  "2024-13-01T00:00:00Z",
  "+275761-01-01T00:00:00.000Z",
  "0000-00-00T00:00:00Z",
  "http://",
  "/relative",
  "javascript:alert(1)",
  "http://[::1",
  "mailto:",
  "user-",
  "NaNpx",
  "Infinitypx",
);
/** Random argument values, nudged toward the shapes the codecs decode. */
const oddValue = fc.oneof(
  fc.anything(),
  wireish,
  fc.array(wireish, { maxLength: 4 }),
  fc.array(fc.tuple(fc.oneof(wireish, fc.anything()), fc.oneof(wireish, fc.anything())), { maxLength: 3 }),
  fc.array(fc.integer({ min: -300, max: 300 }), { maxLength: 5 }),
);

/** Random bodies: never a 5xx, and the service stays up. */
async function neverCrashes(split: SplitProgram, fn: string, params: readonly string[]): Promise<void> {
  await split.start(fn);
  const url = routeUrl(split, fn);
  const bodies: [string, fc.Arbitrary<string>][] = [
    ["fc.anything() as the body", fc.anything().map((v) => JSON.stringify(v) ?? "")],
    ["fc.object() as the body", fc.object().map((v) => JSON.stringify(v))],
    ["random values for the named arguments", fc.tuple(...params.map(() => oddValue)).map((vs) => JSON.stringify(Object.fromEntries(params.map((p, i) => [p, vs[i]]))))],
    ["random text as the body", fc.string({ unit: "binary", maxLength: 40 })],
  ];
  for (const [label, body] of bodies) {
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        const res = await postText(url, b);
        if (res.status !== 200 && res.status !== 400) throw new Error(`${fn}, ${label}: ${show(b, 400)} → ${res.status} ${res.text.slice(0, 400)}`);
      }),
      RUNS,
    );
  }
  await assertAlive(split, fn);
}

type Segment = string | number;

/** Every node of a JSON value, by its path of keys and indices. */
function nodes(value: unknown, at: Segment[] = [], out: Segment[][] = []): Segment[][] {
  out.push(at);
  if (Array.isArray(value)) value.forEach((v, i) => nodes(v, [...at, i], out));
  else if (value !== null && typeof value === "object") for (const [k, v] of Object.entries(value)) nodes(v, [...at, k], out);
  return out;
}

/** The path as the services print it: `a.b[0]["x y"]` (see the runtime's to-issues). */
function printPath(segments: readonly Segment[]): string {
  let p = "";
  for (const s of segments) {
    if (typeof s === "number" || /^(0|[1-9]\d*)$/.test(s)) p = `${p}[${s}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(s)) p = p === "" ? s : `${p}.${s}`;
    else p = `${p}[${JSON.stringify(s)}]`;
  }
  return p;
}

/**
 * A value of another JSON type: number ↔ string, boolean → string, null → number, array ↔ object.
 * A number becomes a string that is no number word ("NaN", "-0", … are numbers on the wire).
 */
function flip(value: unknown): unknown {
  if (typeof value === "number") return `#${value}`;
  // A number word flipped to a number would still be a number: make it a boolean.
  if (typeof value === "string") return (NUMBER_WORDS as readonly string[]).includes(value) ? true : value.length;
  if (typeof value === "boolean") return String(value);
  if (value === null) return 0;
  if (Array.isArray(value)) return {};
  return [];
}

/**
 * A valid value (of a type with no position accepting two JSON types) with one
 * node flipped to another JSON type is refused with a 400, with an issue at
 * that node or above it.
 */
async function refusesFlips<T>(split: SplitProgram, fn: string, param: string, valid: fc.Arbitrary<T>): Promise<void> {
  await split.start(fn);
  const url = routeUrl(split, fn);
  await fc.assert(
    fc.asyncProperty(valid, fc.nat(), async (value, pick) => {
      // The wire form: numbers JSON cannot write as their words (no union with strings is flipped here).
      const body = { [param]: JSON.parse(JSON.stringify(value, (_k, v: unknown) => encodeNumber(v))) as unknown };
      const all = nodes(body[param], [param]);
      const target = all[pick % all.length]!;
      let parent: any = body;
      for (const s of target.slice(0, -1)) parent = parent[s];
      const last = target[target.length - 1]!;
      parent[last] = flip(parent[last]);
      const res = await postText(url, JSON.stringify(body));
      const where = printPath(target);
      if (res.status !== 400) throw new Error(`${fn}: flipped ${where}: ${show(body, 400)} → ${res.status} ${res.text.slice(0, 300)}`);
      const issues: { path: string }[] = JSON.parse(res.text).error?.issues ?? [];
      if (!issues.some((i) => isWithin(where, i.path))) {
        throw new Error(`${fn}: flipped ${where}, but no issue at or above it: ${show(issues.map((i) => i.path), 400)}`);
      }
    }),
    RUNS,
  );
}

function fixture(name: string, body: (split: () => SplitProgram) => void): void {
  describe(`fixtures/${name}: property-based round trips`, () => {
    let split: SplitProgram | undefined;
    before(async () => {
      // Each property starts the services it calls (split.start): a few of the fixture's many.
      split = await startSplit(path.join(FIXTURES, name, "tsconfig.json"), `prop-${name}`, { lazy: true });
    });
    after(() => split?.stop());
    body(() => {
      assert.ok(split, `fixtures/${name} did not start`);
      return split;
    });
  });
}

fixture("types-objects", (split) => {
  test("an object with optional, readonly and inherited fields (Employee, 3 levels of managers)", () => roundTrips(split(), "echoEmployee", people.echoEmployee, fc.tuple(employee)));
  test("describeEmployee computes the same line", () => roundTrips(split(), "describeEmployee", people.describeEmployee, fc.tuple(employee)));
  test("a Record<string, Item>", () => roundTrips(split(), "echoInventory", maps.echoInventory, fc.tuple(inventory)));
  test("restock computes the same record", () => roundTrips(split(), "restock", maps.restock, fc.tuple(inventory, key, text, moderate)));
  test("an index signature next to known properties (HttpHeaders)", () => roundTrips(split(), "echoHeaders", maps.echoHeaders, fc.tuple(headers)));
  test("Record<'a' | 'b', number>", () => roundTrips(split(), "swapAB", maps.swapAB, fc.tuple(rec({ a: num, b: num }))));
  test("flipped fields are refused: Employee", () => refusesFlips(split(), "echoEmployee", "employee", employee));
  test("flipped fields are refused: Record<string, Item>", () => refusesFlips(split(), "echoInventory", "inventory", inventory));
  test("random bodies never crash echoEmployee", () => neverCrashes(split(), "echoEmployee", ["employee"]));
  test("random bodies never crash echoInventory", () => neverCrashes(split(), "echoInventory", ["inventory"]));
});

fixture("types-unions", (split) => {
  test("the discriminated union (Shape[])", () => roundTrips(split(), "echoShapes", shapes.echoShapes, fc.tuple(fc.array(shapeOf(num), { maxLength: 6 }))));
  test("shapeArea computes the same area", () => roundTrips(split(), "shapeArea", shapes.shapeArea, fc.tuple(shapeOf(nonNegative))));
  test("a union of anonymous object members (UiEvent[])", () => roundTrips(split(), "echoUiEvents", shapes.echoUiEvents, fc.tuple(fc.array(uiEvent, { maxLength: 6 }))));
  test("T | null and T | undefined properties (Profile)", () => roundTrips(split(), "echoProfile", values.echoProfile, fc.tuple(profile)));
  test("optional and default parameters", async () => {
    await roundTrips(split(), "padTo", values.padTo, fc.oneof(fc.tuple(text), fc.tuple(text, fc.integer({ min: 0, max: 50 }))));
    await roundTrips(split(), "repeatText", values.repeatText, fc.oneof(fc.tuple(text), fc.tuple(text, fc.integer({ min: 0, max: 20 }))));
  });
  test("flipped fields are refused: Shape[]", () => refusesFlips(split(), "echoShapes", "shapes", fc.array(shapeOf(num), { minLength: 1, maxLength: 4 })));
  test("flipped fields are refused: UiEvent[]", () => refusesFlips(split(), "echoUiEvents", "events", fc.array(uiEvent, { minLength: 1, maxLength: 4 })));
  test("flipped fields are refused: Profile", () => refusesFlips(split(), "echoProfile", "profile", profile));
  test("random bodies never crash echoShapes", () => neverCrashes(split(), "echoShapes", ["shapes"]));
  test("random bodies never crash echoProfile", () => neverCrashes(split(), "echoProfile", ["profile"]));
  test("random bodies never crash greet", () => neverCrashes(split(), "greet", ["name", "nickname"]));
});

fixture("types-enums", (split) => {
  test("enums, as-const values and template literal types (Task)", () => roundTrips(split(), "echoTask", enums.echoTask, fc.tuple(task)));
  test("flipped fields are refused: Task", () => refusesFlips(split(), "echoTask", "task", task));
  test("random bodies never crash echoTask", () => neverCrashes(split(), "echoTask", ["task"]));
});

fixture("types-tuples", (split) => {
  test("a tuple with an optional element", () => roundTrips(split(), "echoWeighted", tuples.echoWeighted, fc.tuple(weighted)));
  test("a tuple with a rest element", () => roundTrips(split(), "echoSeries", tuples.echoSeries, fc.tuple(seriesOf(num))));
  test("seriesStats computes the same named tuple", () => roundTrips(split(), "seriesStats", tuples.seriesStats, fc.tuple(seriesOf(moderate))));
  test("arrays of tuples in an object (Segment[])", () =>
    roundTrips(
      split(),
      "echoSegments",
      tuples.echoSegments,
      fc.tuple(fc.array(rec({ from: fc.tuple(num, num), to: fc.tuple(num, num), tag: fc.tuple(text, text) }, ["from", "to"]), { maxLength: 4 })),
    ));
  test("flipped fields are refused: [string, number?]", () => refusesFlips(split(), "echoWeighted", "w", weighted));
  test("flipped fields are refused: [string, ...number[]]", () => refusesFlips(split(), "echoSeries", "series", seriesOf(num)));
  test("random bodies never crash echoSeries", () => neverCrashes(split(), "echoSeries", ["series"]));
});

fixture("types-generics", (split) => {
  test("Page<User>", () => roundTrips(split(), "echoUserPage", generics.echoUserPage, fc.tuple(userPage)));
  test("flipped fields are refused: Page<User>", () => refusesFlips(split(), "echoUserPage", "page", userPage));
});

fixture("types-utility", (split) => {
  test("Partial<Account>", () => roundTrips(split(), "echoPartial", utility.echoPartial, fc.tuple(partialAccount)));
  test("flipped fields are refused: Partial<Account>", () => refusesFlips(split(), "echoPartial", "patch", partialAccount));
});

fixture("types-recursive", (split) => {
  test("the recursive tree", () => roundTrips(split(), "echoTree", recursive.echoTree, fc.tuple(treeAt(4, num))));
  test("treeSum computes the same sum", () => roundTrips(split(), "treeSum", recursive.treeSum, fc.tuple(treeAt(4, moderate))));
  test("the recursive JSON value", () => roundTrips(split(), "echoJson", recursive.echoJson, fc.tuple(json)));
  test("flipped fields are refused: TreeNode", () => refusesFlips(split(), "echoTree", "tree", treeAt(4, num)));
  test("random bodies never crash echoTree", () => neverCrashes(split(), "echoTree", ["tree"]));
  test("random bodies never crash echoJson", () => neverCrashes(split(), "echoJson", ["value"]));
});

fixture("types-special", (split) => {
  test("the Event (Date, bigint, Set, Uint8Array, Date | null), four-digit years", () => roundTrips(split(), "echoEvent", special.echoEvent, fc.tuple(eventOf(isoDate))));
  test("the Event, over the whole Date range", () => roundTrips(split(), "echoEvent", special.echoEvent, fc.tuple(eventOf(anyDate))));
  test("eventSummary computes with every field", () => roundTrips(split(), "eventSummary", special.eventSummary, fc.tuple(eventOf(isoDate))));
  test("a Schedule: events, optional Date, Map<string, bigint>, URL | null", () => roundTrips(split(), "echoSchedule", special.echoSchedule, fc.tuple(schedule)));
  test("Map<string, number> → Map<number, string>", () => roundTrips(split(), "invert", special.invert, fc.tuple(stringNumberMap)));
  test("Set<string> ∪ Set<string>", () =>
    roundTrips(split(), "unionSets", special.unionSets, fc.tuple(fc.array(text).map((a) => new Set(a)), fc.array(text).map((a) => new Set(a)))));
  test("URL", () => roundTrips(split(), "withPath", special.withPath, fc.tuple(url, fc.webPath())));
  test("bigint arithmetic", () => roundTrips(split(), "mulBig", special.mulBig, fc.tuple(fc.bigInt(), fc.bigInt())));
  test("Uint8Array", () => roundTrips(split(), "xorBytes", special.xorBytes, fc.tuple(fc.uint8Array({ maxLength: 1000 }), fc.integer({ min: 0, max: 255 }))));
  for (const [fn, params] of [
    ["echoEvent", ["event"]],
    ["invert", ["m"]],
    ["byteLength", ["bytes"]],
    ["hostOf", ["u"]],
    ["isoOf", ["d"]],
    ["sumBig", ["xs"]],
    ["edgeCount", ["graph"]],
    ["echoSchedule", ["schedule"]],
  ] as const) {
    test(`random bodies never crash ${fn}`, () => neverCrashes(split(), fn, params));
  }
});

fixture("types-constraints", (split) => {
  test("valid sign-ups (emails, URIs, UUIDs, date-times, bounded numbers and strings)", () => roundTrips(split(), "echoSignUp", constraints.echoSignUp, fc.tuple(signUp)));
  test("random bodies never crash register", () => neverCrashes(split(), "register", ["user"]));
});
