// The generated clients' typings for the whole type language: for every
// service of every types-* fixture, a program that forwards the source
// function's own parameters to the client and hands the client's result on
// as the source function's result must type-check. So the client accepts
// whatever the monolith's callers pass (readonly arrays, enums, tuples,
// ReadonlyMap…) and gives back what they expect.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import ts from "typescript";
import { build } from "../packages/tsc-micro/src/index.ts";
import { FIXTURES, tempOutDir } from "./helpers/paths.ts";

const CASES = [
  "types-objects",
  "types-unions",
  "types-enums",
  "types-tuples",
  "types-generics",
  "types-utility",
  "types-recursive",
  "types-special",
  "types-constraints",
];

/** Type errors of a program, as "<function>: <message>", the function being the check the error is in. */
function typeErrors(file: string, lineToFunction: Map<number, string>): string[] {
  const program = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    types: [],
    skipLibCheck: false,
  });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    // import("…/dist/clients/types", { with: … }).Employee → client:Employee; a fixture's module → source:Employee.
    const message = ts
      .flattenDiagnosticMessageText(d.messageText, "\n  ")
      .replace(/import\("([^"]+)"(?:, \{[^)]*\})?\)\./g, (_, from: string) => (from.includes("/dist/clients/") ? "client:" : "source:"));
    if (!d.file || d.start === undefined) return `(global): ${message}`;
    const { line } = d.file.getLineAndCharacterOfPosition(d.start);
    const where = d.file.fileName === file ? (lineToFunction.get(line) ?? `line ${line + 1}`) : path.basename(d.file.fileName);
    return `${where}: ${message}`;
  });
}

describe("generated client typings match the source signatures", () => {
  for (const name of CASES) {
    test(name, async () => {
      const outDir = tempOutDir(`client-types-${name}`);
      const result = await build({ project: path.join(FIXTURES, name, "tsconfig.json"), outDir });
      assert.ok(result.success, JSON.stringify(result.diagnostics, null, 2));
      const base = path.dirname(outDir);
      const routes = result.plan!.services.flatMap((s) => s.routes);
      const files = [...new Set(routes.map((r) => r.file))].sort();
      const alias = new Map(files.map((f, i) => [f, `m${i}`]));
      const lines: string[] = ['import * as client from "./dist/clients/index.js";'];
      for (const f of files) {
        const rel = path.relative(base, path.join(FIXTURES, name, f)).replace(/\\/g, "/").replace(/\.ts$/, ".js");
        lines.push(`import * as ${alias.get(f)} from ${JSON.stringify(rel)};`);
      }
      const lineToFunction = new Map<number, string>();
      for (const r of routes) {
        const m = `${alias.get(r.file)}.${r.exportName}`;
        lineToFunction.set(lines.length, `${r.name} (arguments)`);
        lines.push(`export function args_${r.name}(...args: Parameters<typeof ${m}>): void { void client.${r.name}(...args); }`);
        lineToFunction.set(lines.length, `${r.name} (result)`);
        lines.push(
          `export async function check_${r.name}(...args: Parameters<typeof ${m}>): Promise<Awaited<ReturnType<typeof ${m}>>> { return client.${r.name}(...args); }`,
        );
      }
      const file = path.join(base, "check-client-types.ts");
      writeFileSync(file, `${lines.join("\n")}\n`);
      const errors = typeErrors(file, lineToFunction);
      // Known, documented limit (README "Limits"): the client types an enum as the union of its
      // literal values. Arguments accept the source's enum members; but TypeScript's enums are
      // nominal, so a result typed "RED" | "GREEN" needs a cast to the source's own enum type.
      // Only that exact failure, on results, is tolerated; arguments must type-check, always.
      const enumResult = (e: string) => / \(result\): /.test(e) && /Type '"[^"]*"' is not assignable to type '(source:)?(Color|Direction)( \| undefined)?'\.?$/.test(e.trim());
      const unexpected = errors.filter((e) => !enumResult(e));
      assert.deepEqual(unexpected, [], `${unexpected.length} type errors in ${file}:\n${unexpected.join("\n")}`);
    });
  }
});
