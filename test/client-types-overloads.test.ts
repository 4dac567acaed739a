// The generated client typings of an overloaded service function
// (fixtures/types-overloads): every overload signature is declared, each with
// its own JSDoc and returning a Promise of its own result; the implementation's
// signature is not exported, as TypeScript does not export it either. So a
// program calling the client type-checks exactly when it would have called the
// monolith's function correctly.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { before, describe, test } from "node:test";
import ts from "typescript";
import { cachedBuild } from "./helpers/build-cache.ts";
import { FIXTURES } from "./helpers/paths.ts";
import { sharedLibProgram } from "./helpers/shared-lib-host.ts";

let outDir: string;
// The hooks below belong to this file's tests only, so the file can share a process
// (scripts/test-processes.mjs).
describe("client-types-overloads", () => {
  before(async () => {
    const result = await cachedBuild({ project: path.join(FIXTURES, "types-overloads/tsconfig.json") }, "client-types-overloads");
    outDir = result.outDir;
    assert.ok(result.success, JSON.stringify(result.diagnostics, null, 2));
  });

  const OPTIONS: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    types: [],
    skipLibCheck: false,
    // Every .d.ts is checked but TypeScript's own lib files (helpers/shared-lib-host.ts says why).
    skipDefaultLibCheck: true,
  };

  /** Writes a program beside the output folder and type-checks it. */
  function check(lines: readonly string[]): { program: ts.Program; file: string; errorLines: number[]; errors: string[] } {
    const file = path.join(path.dirname(outDir), `use-overloads-${Math.random().toString(36).slice(2)}.ts`);
    writeFileSync(file, `${lines.join("\n")}\n`);
    const program = sharedLibProgram([file], OPTIONS);
    const diagnostics = ts.getPreEmitDiagnostics(program);
    const errors = diagnostics.map((d) => `${d.file ? `${path.basename(d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start!).line + 1}` : "(global)"}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`);
    const errorLines = [...new Set(diagnostics.filter((d) => d.file?.fileName === file).map((d) => d.file!.getLineAndCharacterOfPosition(d.start!).line))].sort((a, b) => a - b);
    return { program, file, errorLines, errors };
  }

  const IMPORT = 'import { parse, pad, convert, label, countWords, type Celsius, type Fahrenheit, type Labelled } from "./dist/clients/index.js";';

  describe("client typings of overloaded functions", () => {
    test("every overload is callable, each returning a Promise of its own result", () => {
      const { errors } = check([
        IMPORT,
        'const a: Promise<number> = parse("42");',
        "const b: Promise<string> = parse(7);",
        'const c: Promise<string> = pad("7", 3);',
        'const d: Promise<string> = pad("7", 3, "0");',
        "const e: Promise<Fahrenheit> = convert({ celsius: 1 });",
        "const f: Promise<Celsius> = convert({ fahrenheit: 1 });",
        'const item: Labelled = { label: "a", value: 1 };',
        "const g: Promise<string> = label(item);",
        "const h: Promise<string> = label(2);",
        'const i: Promise<number> = countWords("a b");',
        'const j: Promise<number> = countWords("a b", 2);',
        "void [a, b, c, d, e, f, g, h, i, j];",
      ]);
      assert.deepEqual(errors, []);
    });

    test("a call no overload accepts, or a result of another overload, is a type error (the implementation's signature is not exported)", () => {
      const wrong = [
        "parse(true);",
        'const x: Promise<string> = parse("1");',
        'parse("1" as string | number);',
        'pad("7", 3, undefined);',
        "const y: Promise<Celsius> = convert({ celsius: 1 });",
        'label({ label: "a" });',
        "countWords();",
        'countWords("a", 1, 2);',
      ];
      const { errorLines, errors } = check([IMPORT, ...wrong, "void [x, y];"]);
      assert.deepEqual(errorLines, wrong.map((_, i) => i + 1), errors.join("\n"));
    });

    test("a call resolves to its overload's own JSDoc", () => {
      const { program, file, errors } = check([
        IMPORT,
        'void parse("1");',
        "void parse(1);",
        'void pad("7", 3);',
        'void pad("7", 3, "0");',
        "void convert({ fahrenheit: 1 });",
      ]);
      assert.deepEqual(errors, []);
      const checker = program.getTypeChecker();
      const docs: string[] = [];
      const visit = (node: ts.Node): void => {
        if (ts.isCallExpression(node)) {
          const signature = checker.getResolvedSignature(node)!;
          const tags = signature.getJsDocTags().map((t) => `@${t.name}${t.text ? ` ${ts.displayPartsToString(t.text)}` : ""}`);
          docs.push([ts.displayPartsToString(signature.getDocumentationComment(checker)), ...tags].join(" | "));
        }
        ts.forEachChild(node, visit);
      };
      visit(program.getSourceFile(file)!);
      assert.deepEqual(docs, [
        'Parses a decimal text into a number. | @param text decimal digits, e.g. "42" | @returns the number the text spells',
        "Formats a number as decimal text. | @param value a finite number | @returns its decimal text",
        "Pads a text on the left with spaces.",
        "Pads a text on the left with a fill text. | @param fill what to pad with | @deprecated",
        "Converts Fahrenheit to Celsius.",
      ]);
    });

    test("the .d.ts declares the overloads only, and the types only an overload names", () => {
      const text = readFileSync(path.join(outDir, "clients/parse.d.ts"), "utf8");
      const declared = [...text.matchAll(/^export declare function (\w+)\((.*)\): (.*);$/gm)].map((m) => `${m[1]}(${m[2]}): ${m[3]}`);
      assert.deepEqual(declared, ["parse(text: string): Promise<number>", "parse(value: number): Promise<string>"]);
      assert.match(readFileSync(path.join(outDir, "clients/label.d.ts"), "utf8"), /^import type \{ Labelled \} from "\.\/types\.js";$/m);
      assert.match(readFileSync(path.join(outDir, "clients/types.d.ts"), "utf8"), /^export interface Labelled \{$/m);
      // The wire does not name Labelled: the OpenAPI document has no such component.
      const openapi = JSON.parse(readFileSync(path.join(outDir, "services/label/openapi.json"), "utf8"));
      assert.equal(openapi.components.schemas.Labelled, undefined);
    });
  });
});
