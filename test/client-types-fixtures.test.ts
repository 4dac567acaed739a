// The generated clients' typings for the whole type language: for every
// service of every types-* fixture, a program that forwards the source
// function's own parameters to the client and hands the client's result on
// as the source function's result must type-check. So the client accepts
// whatever the monolith's callers pass (readonly arrays, enums, tuples,
// ReadonlyMap…) and gives back what they expect.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { before, describe, test } from "node:test";
import ts from "typescript";
import { cachedBuild } from "./helpers/build-cache.ts";
import { FIXTURES } from "./helpers/paths.ts";
import { sharedLibProgram } from "./helpers/shared-lib-host.ts";

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

/** A fixture's generated check program: the file, its folder and what each line checks. */
interface Check {
  file: string;
  /** The fixture's folder and its build output: an error in a file under either is the fixture's. */
  roots: string[];
  lineToFunction: Map<number, string>;
}

/**
 * Type errors of every check, as "<function>: <message>", the function being the check the error
 * is in. All checks go into ONE program: reading TypeScript's lib files is most of the work, and
 * one program does it once rather than once per fixture. The fixtures
 * are modules (none declares globals), so sharing a program changes no check's types. An error
 * in a file of no fixture (a lib file, or a global one) is every fixture's.
 */
function typeErrors(checks: Map<string, Check>): Map<string, string[]> {
  const program = sharedLibProgram([...checks.values()].map((c) => c.file), OPTIONS);
  const errors = new Map([...checks.keys()].map((name) => [name, [] as string[]]));
  for (const d of ts.getPreEmitDiagnostics(program)) {
    // import("…/dist/clients/types", { with: … }).Employee → client:Employee; a fixture's module → source:Employee.
    const message = ts
      .flattenDiagnosticMessageText(d.messageText, "\n  ")
      .replace(/import\("([^"]+)"(?:, \{[^)]*\})?\)\./g, (_, from: string) => (from.includes("/dist/clients/") ? "client:" : "source:"));
    const fileName = d.file ? path.resolve(d.file.fileName) : undefined;
    const owners = [...checks].filter(([, c]) => fileName !== undefined && c.roots.some((r) => fileName.startsWith(r + path.sep)));
    for (const [name, check] of owners.length ? owners : [...checks]) {
      let text: string;
      if (!d.file || d.start === undefined) text = `(global): ${message}`;
      else {
        const { line } = d.file.getLineAndCharacterOfPosition(d.start);
        const where = fileName === check.file ? (check.lineToFunction.get(line) ?? `line ${line + 1}`) : path.basename(d.file.fileName);
        text = `${where}: ${message}`;
      }
      errors.get(name)!.push(text);
    }
  }
  return errors;
}

/** Builds a fixture and writes its check program beside the build output. */
async function writeCheck(name: string): Promise<Check> {
  const result = await cachedBuild({ project: path.join(FIXTURES, name, "tsconfig.json") }, `client-types-${name}`);
  const outDir = result.outDir;
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
  return { file, roots: [path.join(FIXTURES, name), base], lineToFunction };
}

describe("generated client typings match the source signatures", () => {
  /** Each fixture's type errors, or why its check could not be written (its build failed). */
  const outcomes = new Map<string, { errors: string[]; file: string } | { failure: unknown }>();

  before(async () => {
    const checks = new Map<string, Check>();
    for (const name of CASES) {
      try {
        checks.set(name, await writeCheck(name));
      } catch (e) {
        outcomes.set(name, { failure: e });
      }
    }
    if (checks.size === 0) return;
    for (const [name, errors] of typeErrors(checks)) outcomes.set(name, { errors, file: checks.get(name)!.file });
  });

  for (const name of CASES) {
    test(name, () => {
      const outcome = outcomes.get(name);
      assert.ok(outcome, `${name} was not checked`);
      if ("failure" in outcome) throw outcome.failure;
      const { errors, file } = outcome;
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
