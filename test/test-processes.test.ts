// scripts/test-processes.mjs decides which test files share a node process. A file wrongly put in
// a group disturbs the files after it (a top-level hook runs for their tests too, a changed
// process.env leaks into them), so each rule that sends a file to a process of its own is
// checked here on a line that should trip it and on one that should not. (The examples below
// trip the rules themselves, so this file runs alone.)
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { GROUP_SIZE, ownProcessReason, planProcesses } from "../scripts/test-processes.mjs";

describe("ownProcessReason", () => {
  const own = [
    "// test-process: own — it leaves a server running",
    'before(async () => { split = await startSplit("x", "y"); });',
    "afterEach(() => mock.reset());",
    'process.env.TSC_MICRO_TEST = "1";',
    'process.env["OTEL_SDK_DISABLED"] = "true";',
    'mock.timers.enable({ apis: ["setTimeout"] });',
    'process.chdir(dir);',
    "const exporter = registerMemoryTracing();",
    "trace.setGlobalTracerProvider(provider);",
  ];
  for (const line of own) {
    test(`a file with \`${line}\` runs alone`, () => {
      assert.notEqual(ownProcessReason(`import x from "y";\n${line}\n`), undefined);
    });
  }
  const shared = [
    'describe("x", () => { before(() => undefined); });',
    '  beforeEach(() => undefined);',
    'if (process.env.TSC_MICRO_TEST === "1") skip();',
    'const env = { ...process.env, PORT: "0" };',
    "t.mock.timers.enable();",
  ];
  for (const line of shared) {
    test(`a file with \`${line}\` can share a process`, () => {
      assert.equal(ownProcessReason(`import x from "y";\n${line}\n`), undefined);
    });
  }
});

describe("planProcesses", () => {
  const texts: Record<string, string> = {};
  const file = (name: string, text = "test('x', () => {});\n"): string => ((texts[name] = text), name);
  const read = (f: string): string => texts[f]!;

  test("long files first in their order, then groups by name, then the files that run alone", () => {
    const files = [
      file("test/b.test.ts"),
      file("test/slow-two.test.ts"),
      file("test/a.test.ts"),
      file("test/hooks.test.ts", "before(() => {});\n"),
      file("test/slow-one.test.ts"),
      file("test/c.test.ts"),
    ];
    assert.deepEqual(planProcesses(files, ["slow-one", "slow-two"], read), [
      { files: ["test/slow-one.test.ts"] },
      { files: ["test/slow-two.test.ts"] },
      { files: ["test/a.test.ts", "test/b.test.ts", "test/c.test.ts"] },
      { files: ["test/hooks.test.ts"] },
    ]);
  });

  test(`groups hold at most ${GROUP_SIZE} files, and every file runs exactly once`, () => {
    const files = Array.from({ length: 2 * GROUP_SIZE + 3 }, (_, i) => file(`test/f${String(i).padStart(2, "0")}.test.ts`));
    const plan = planProcesses(files, [], read);
    assert.deepEqual(plan.map((p) => p.files.length), [GROUP_SIZE, GROUP_SIZE, 3]);
    assert.deepEqual(plan.flatMap((p) => p.files), [...files].sort());
  });

  test("a long file runs alone even when it could share", () => {
    const files = [file("test/x.test.ts"), file("test/long.test.ts")];
    assert.deepEqual(planProcesses(files, ["long"], read), [{ files: ["test/long.test.ts"] }, { files: ["test/x.test.ts"] }]);
  });
});
