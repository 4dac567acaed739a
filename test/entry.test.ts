// A program entry point built with `entry: "src/main.ts"` runs as its own
// process, calls the services through their clients (found through the
// TSC_MICRO_<SERVICE>_URL variables), and prints exactly what the monolith
// prints — whether the services are split, colocated, or one monolith service.
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import type { BuildOptions } from "../packages/tsc-micro/src/index.ts";
import { runEntryBundle, runMonolith } from "./helpers/entry.ts";
import type { Finished } from "./helpers/entry.ts";
import { startProgram } from "./helpers/equivalence.ts";
import type { SplitRun } from "./helpers/equivalence.ts";
import { FIXTURES } from "./helpers/paths.ts";

const MAIN = path.join(FIXTURES, "calls-entry/src/main.ts");
const GUARD = { timeout: 600_000 };
const SERVICES = ["entry-add", "entry-check", "entry-greet", "entry-is-even", "entry-square", "entry-ticket"];

const WAYS: Record<string, { options: Partial<BuildOptions>; services: string[] }> = {
  split: { options: {}, services: SERVICES },
  colocated: { options: { colocate: [["entry-add", "entry-square", "entry-ticket"]] }, services: ["entry-add", "entry-check", "entry-greet", "entry-is-even"] },
  monolith: { options: { mode: "monolith" }, services: ["monolith"] },
};

let monolith: Finished;

// The hooks below belong to this file's tests only, so the file can share a process
// (scripts/test-processes.mjs).
describe("entry", () => {
  before(async () => {
    monolith = await runMonolith(MAIN);
  }, GUARD);

  test("the monolith runs cleanly (the reference output)", () => {
    assert.equal(monolith.stderr, "");
    assert.equal(monolith.code, 0);
    assert.equal(monolith.stdout.split("\n").length, 14, monolith.stdout);
  });

  for (const [way, { options, services }] of Object.entries(WAYS)) {
    describe(`calls-entry, ${way} build: entries/main/index.mjs against \`node --import tsx src/main.ts\``, () => {
      let program: SplitRun | undefined;
      let split: Finished;

      before(async () => {
        program = await startProgram("calls-entry", { ...options, entry: "src/main.ts" }, `entry-calls-entry-${way}`);
        split = await runEntryBundle(program.outDir, "main", program.env);
      }, GUARD);

      after(async () => {
        await program?.stop();
      });

      test("the build lists the entry and the services it calls", () => {
        const entries = program!.result.entries ?? [];
        assert.deepEqual(
          entries.map((e) => ({ name: e.name, file: e.file })),
          [{ name: "main", file: "src/main.ts" }],
        );
        assert.deepEqual(entries[0]!.dependencies, services);
      });

      test("the entry bundle prints exactly the monolith's stdout", () => {
        assert.equal(split.stdout, monolith.stdout, `stderr of the entry:\n${split.stderr}`);
      });

      test("the entry bundle exits like the monolith, with nothing on stderr", () => {
        assert.equal(split.stderr, monolith.stderr);
        assert.equal(split.code, monolith.code);
        assert.equal(split.signal, null);
      });

      test("every call went to the services: the ticket counter in its process counted the entry's 4 calls", async () => {
        assert.equal(await program!.fns.entryTicket!("after"), "5:after");
      });
    });
  }
});
