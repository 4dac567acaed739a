// fixtures/types-recursive over the wire — recursive types: trees, JSON values, linked lists, mutually recursive types.
// Every service is called through its generated client and must give exactly
// what the monolith gives; bad requests are refused with a 400 naming the
// field. The shared values and helpers: test/helpers/type-roundtrip.ts.
import assert from "node:assert/strict";
import { test } from "node:test";
import * as recursive from "../fixtures/types-recursive/src/recursive.ts";
import { assertAllRejected, assertRejected, routeUrl, show } from "./helpers/parity.ts";
import { STRINGS, TRICKY_KEYS, assertRawRejected, fixture, parity, reservedKeyBodies } from "./helpers/type-roundtrip.ts";

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
    const res = await fetch(routeUrl(split(), "treeDepth"), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ tree: deepBad }) });
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
