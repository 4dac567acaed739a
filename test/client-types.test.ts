// The generated clients' typings: a program importing dist/clients type-checks
// when it calls the services as the source declares them, and fails when it does not.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { before, describe, test } from "node:test";
import ts from "typescript";
import { cachedBuild } from "./helpers/build-cache.ts";
import { FIXTURES } from "./helpers/paths.ts";
import { sharedLibProgram } from "./helpers/shared-lib-host.ts";

let outDir: string;
// The hooks below belong to this file's tests only, so the file can share a process
// (scripts/test-processes.mjs).
describe("client-types", () => {
  before(async () => {
    const result = await cachedBuild({ project: path.join(FIXTURES, "types-basic/tsconfig.json") }, "client-types");
    outDir = result.outDir;
    assert.ok(result.success);
  });

  function typeErrors(source: string): string[] {
    const file = path.join(path.dirname(outDir), `use-${Math.random().toString(36).slice(2)}.ts`);
    writeFileSync(file, source);
    const program = sharedLibProgram([file], {
      strict: true,
      noEmit: true,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      types: [],
      skipLibCheck: false,
      // Every .d.ts is checked but TypeScript's own lib files (helpers/shared-lib-host.ts says why).
      skipDefaultLibCheck: true,
    });
    return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
  }

  test("calls typed as in the source, each returning a Promise of the result", () => {
    const errors = typeErrors(`
      import { echoShape, describe, maybeColor, record, scale, centroid, scalerService, type Shape, type Point, type Color } from "./dist/clients/index.js";
      const shape: Shape = { id: "a", color: "red", points: [{ x: 1, y: 2 }], closed: false, note: null };
      const a: Promise<Shape> = echoShape(shape);
      const b: Promise<string> = describe("n", 1, true, null, 2, "fast", ["t"], [[1]]);
      const c: Promise<Color | null> = maybeColor();
      const d: Promise<void> = record("x");
      const e: Promise<Point> = scale({ x: 1, y: 2 }, 2);
      const f: Promise<Point> = centroid([]);
      scalerService.setBaseUrl("http://127.0.0.1:1");
      void [a, b, c, d, e, f];
    `);
    assert.deepEqual(errors, []);
  });

  test("wrong arguments and wrong result types are type errors", () => {
    const errors = typeErrors(`
      import { describe, maybeColor, echoShape } from "./dist/clients/index.js";
      describe("n", "not a number", true, null, 2, "fast", [], []);
      const c: Promise<string> = maybeColor("red");
      echoShape({ id: "a" });
      void c;
    `);
    assert.equal(errors.length, 3, errors.join("\n"));
  });
});
