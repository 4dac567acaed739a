// `tsc-micro inspect` goldens: the plan of two fixtures (async propagation across
// services; colocated functions whose calls stay local), as text and as --json,
// compared with fixtures/<case>/inspect/. UPDATE_GOLDEN=1 rewrites them on purpose.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { formatInspect, inspect } from "../packages/tsc-micro/src/index.ts";
import { FIXTURES } from "./helpers/paths.ts";

const UPDATE = process.env.UPDATE_GOLDEN === "1";

for (const name of ["propagation", "calls-colocated"]) {
  test(`inspect ${name}`, async () => {
    const dir = path.join(FIXTURES, name);
    const before = readdirSync(dir).sort();
    const result = await inspect({ project: path.join(dir, "tsconfig.json") });
    assert.equal(result.success, true, JSON.stringify(result.diagnostics));
    const actual = {
      "inspect.txt": formatInspect(result.view!, { cwd: dir, rootDir: result.rootDir }),
      "inspect.json": `${JSON.stringify(result.view, null, 2)}\n`,
    };
    const goldens = path.join(dir, "inspect");
    if (UPDATE) {
      mkdirSync(goldens, { recursive: true });
      for (const [file, text] of Object.entries(actual)) writeFileSync(path.join(goldens, file), text);
    }
    assert.ok(existsSync(goldens), `no inspect goldens for ${name}; run with UPDATE_GOLDEN=1 to create them`);
    for (const [file, text] of Object.entries(actual)) assert.equal(text, readFileSync(path.join(goldens, file), "utf8"), `${name}/inspect/${file}`);
    // A plan, not a build: nothing was written beside the project.
    assert.deepEqual(readdirSync(dir).sort().filter((e) => e !== "inspect"), before.filter((e) => e !== "inspect"));
  });
}

test("inspect an entry point: its calls all cross the network, and what they make async", async () => {
  const result = await inspect({ project: path.join(FIXTURES, "calls-entry/tsconfig.json"), entry: "src/main.ts" });
  assert.equal(result.success, true, JSON.stringify(result.diagnostics));
  const [entry] = result.view!.entries;
  assert.equal(entry?.name, "main");
  assert.deepEqual(entry.dependencies, ["entry-add", "entry-check", "entry-greet", "entry-is-even", "entry-square", "entry-ticket"]);
  assert.ok(entry.calls.length > 0 && entry.calls.every((c) => c.kind === "network"));
  assert.deepEqual(
    entry.calls.filter((c) => c.from === "report").map((c) => [c.line, c.column, c.callee, c.await]),
    [
      [6, 21, "entryIsEven", "inserted"],
      [6, 65, "entrySquare", "inserted"],
    ],
  );
  assert.deepEqual(entry.async.find((a) => a.function === "report"), {
    file: "src/main.ts",
    line: 5,
    column: 1,
    function: "report",
    reason: "calls 'entryIsEven' over the network (service entry-is-even)",
    because: { file: "src/main.ts", line: 6, column: 21, callee: "entryIsEven" },
  });
});
