// fixtures/types-generics over the wire — generics: each instantiation with its own type arguments.
// Every service is called through its generated client and must give exactly
// what the monolith gives; bad requests are refused with a 400 naming the
// field. The shared values and helpers: test/helpers/type-roundtrip.ts.
import assert from "node:assert/strict";
import { test } from "node:test";
import * as generics from "../fixtures/types-generics/src/generics.ts";
import { assertAllRejected, assertRejected } from "./helpers/parity.ts";
import { fixture, parity } from "./helpers/type-roundtrip.ts";

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
