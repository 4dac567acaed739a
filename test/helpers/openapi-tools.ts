// Shared by test/openapi-tools-lint.test.ts and test/openapi-tools-codegen.test.ts:
// the projects whose OpenAPI documents third-party tools read, and the
// openapi-typescript codegen + TypeScript type-checking steps.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import openapiTS, { astToString, COMMENT_HEADER } from "openapi-typescript";
import ts from "typescript";
import { EXAMPLES, FIXTURES, REPO, TMP } from "./paths.ts";
import { ownDiagnostics, sharedLibProgram } from "./shared-lib-host.ts";

export type Doc = any;

export interface Project {
  label: string;
  tsconfig: string;
  /** examples/parity must build; a fixture that does not is skipped (and said so). */
  required: boolean;
}

export const PARITY: Project = { label: "examples/parity", tsconfig: path.join(EXAMPLES, "parity/tsconfig.json"), required: true };

/** Fixtures that are meant to build: a tsconfig.json and no expected diagnostics. */
export function buildableFixtures(): Project[] {
  if (!existsSync(FIXTURES)) return [];
  return readdirSync(FIXTURES)
    .sort()
    .map((name) => path.join(FIXTURES, name))
    .filter((dir) => statSync(dir).isDirectory())
    .filter((dir) => existsSync(path.join(dir, "tsconfig.json")) && !existsSync(path.join(dir, "expected/diagnostics.txt")))
    .map((dir) => ({ label: path.relative(REPO, dir), tsconfig: path.join(dir, "tsconfig.json"), required: false }));
}


/** A fresh folder under the repository's .tmp/ (ignored by git; node_modules resolve from it). */
export function tempDir(label: string): string {
  const base = TMP;
  mkdirSync(base, { recursive: true });
  return mkdtempSync(path.join(base, `${label}-`));
}

// ---------------------------------------------------------------------------
// Codegen and type checking
// ---------------------------------------------------------------------------

/** Runs openapi-typescript on a document and writes `schema.ts` into `dir`. */
export async function generateTypes(openapiFile: string, dir: string): Promise<string> {
  const ast = await openapiTS(pathToFileURL(openapiFile), { silent: true });
  const source = COMMENT_HEADER + astToString(ast);
  // .ts, not .d.ts: skipLibCheck (off here anyway) would skip a .d.ts.
  writeFileSync(path.join(dir, "schema.ts"), source);
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ type: "module", private: true }) + "\n");
  return source;
}

export const COMPILER_OPTIONS: ts.CompilerOptions = {
  strict: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  types: ["node"],
  noEmit: true,
  skipLibCheck: false,
  // Every .d.ts is checked but TypeScript's own lib files (shared-lib-host.ts says why); typecheck()
  // leaves the declaration files of installed packages (@types/node) to their authors (ownDiagnostics).
  skipDefaultLibCheck: true,
  verbatimModuleSyntax: true,
  isolatedModules: true,
};

/** Type-checks `files` in one program: every diagnostic, by file name (global ones under ""). */
export function typecheck(files: string[]): Map<string, string[]> {
  const program = sharedLibProgram(files, COMPILER_OPTIONS);
  const byFile = new Map<string, string[]>();
  for (const d of ownDiagnostics(program)) {
    const key = d.file ? path.resolve(d.file.fileName) : "";
    const where = d.file && d.start !== undefined ? `(${d.file.getLineAndCharacterOfPosition(d.start).line + 1})` : "";
    const text = `${d.file ? path.basename(d.file.fileName) : ""}${where}: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
    byFile.set(key, [...(byFile.get(key) ?? []), text]);
  }
  return byFile;
}

/**
 * Files each holding one deliberately wrong line (marked `// WRONG`): each must
 * fail to type-check, and only on that line.
 */
export function assertWrongCalls(dir: string, diagnostics: Map<string, string[]>, wrong: Record<string, string>): void {
  for (const [name, body] of Object.entries(wrong)) {
    const file = path.join(dir, name);
    const line = body.split("\n").findIndex((l) => l.includes("// WRONG")) + 1;
    assert.ok(line > 0, `${name} has no // WRONG line`);
    const errors = diagnostics.get(file) ?? [];
    assert.ok(errors.length > 0, `${name}: the wrong call type-checked:\n${body}`);
    for (const e of errors) assert.ok(e.startsWith(`${name}(${line}):`), `${name}: an error off the wrong line: ${e}`);
  }
}

export function writeFiles(dir: string, files: Record<string, string>): string[] {
  return Object.entries(files).map(([name, text]) => {
    writeFileSync(path.join(dir, name), text);
    return path.join(dir, name);
  });
}
