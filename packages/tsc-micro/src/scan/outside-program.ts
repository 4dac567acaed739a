import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { ts } from "ts-morph";
import { DiagnosticCode, error } from "../diagnostics/diagnostic.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { relativeFile } from "../ast/locate.js";

const TAG = "microservice";

export interface OutsideProgramOptions {
  /** The project folder (the tsconfig's). */
  rootDir: string;
  /** Absolute paths of the files the program compiles. */
  programFiles: ReadonlySet<string>;
  /** Absolute folders not to look in (the output folders). */
  exclude: readonly string[];
  /** The tsconfig, for the message (absolute). */
  tsconfig?: string;
}

/**
 * A function tagged `@microservice` in a .ts file of the project folder that
 * the tsconfig does not include: the user asked for a service and would get
 * none, without a word. An error naming the file and how to include it.
 *
 * Cheap on purpose: it reads the folder's TypeScript files (not node_modules,
 * dot-folders, the output folders or an earlier build's, declarations, or
 * sub-projects with their own tsconfig.json) and parses only those whose text holds the tag.
 */
export function findTaggedOutsideProgram(options: OutsideProgramOptions): Diagnostic[] {
  const exclude = options.exclude.map((d) => path.resolve(d));
  const tsconfigName = options.tsconfig ? relativeFile(options.rootDir, options.tsconfig) : "tsconfig.json";
  const diagnostics: Diagnostic[] = [];
  for (const file of sourceFilesUnder(options.rootDir, options.rootDir, exclude)) {
    if (options.programFiles.has(file)) continue;
    const text = readFileSync(file, "utf8");
    if (!text.includes(`@${TAG}`)) continue;
    for (const tag of taggedIn(file, text)) {
      const rel = relativeFile(options.rootDir, file);
      const what = tag.owner ? `'${tag.owner}' in ${rel}` : rel;
      diagnostics.push(
        error(
          DiagnosticCode.TaggedOutsideProgram,
          `${what} is tagged @${TAG}, but ${tsconfigName} does not include ${rel}: no service is built for it.`,
          { file: rel, start: tag.start, length: TAG.length + 1, line: tag.line, column: tag.column },
          `Add ${JSON.stringify(includeEntry(rel))} to "include" in ${tsconfigName} (or move the file into an included folder); if it is left out on purpose, remove the tag.`,
        ),
      );
    }
  }
  return diagnostics;
}

/** What to add to `include`: the file's top folder, or the file itself at the root. */
function includeEntry(rel: string): string {
  const top = rel.split("/")[0]!;
  return top === rel ? rel : top;
}

/** TypeScript sources (not declarations) under `dir`, sorted, skipping folders that are not the program's to hold. */
function sourceFilesUnder(rootDir: string, dir: string, exclude: readonly string[]): string[] {
  const files: string[] = [];
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === "node_modules" || entry.name.startsWith(".") || exclude.includes(full)) continue;
      // A folder with its own tsconfig.json is another project, built on its own.
      if (existsSync(path.join(full, "tsconfig.json"))) continue;
      // An earlier build's output (another --outDir, a golden copy) holds rewritten copies of tagged sources.
      if (existsSync(path.join(full, "openapi.json")) && existsSync(path.join(full, "services"))) continue;
      files.push(...sourceFilesUnder(rootDir, full, exclude));
    } else if (entry.isFile() && /\.(c|m)?tsx?$/.test(entry.name) && !/\.d\.(c|m)?ts$/.test(entry.name)) {
      files.push(full);
    }
  }
  return files;
}

/** The `@microservice` doc tags of a file, with the declaration each is on. */
function taggedIn(file: string, text: string): { start: number; line: number; column: number; owner?: string }[] {
  const sourceFile = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found = new Map<number, { start: number; line: number; column: number; owner?: string }>();
  (function visit(node: ts.Node): void {
    for (const tag of ts.getJSDocTags(node)) {
      if (tag.tagName.text !== TAG || found.has(tag.pos)) continue;
      const start = tag.tagName.getStart(sourceFile) - 1; // the `@`
      const { line, character } = sourceFile.getLineAndCharacterOfPosition(start);
      const owner = nameOf(node);
      found.set(tag.pos, { start, line: line + 1, column: character + 1, ...(owner ? { owner } : {}) });
    }
    ts.forEachChild(node, visit);
  })(sourceFile);
  return [...found.values()].sort((a, b) => a.start - b.start);
}

function nameOf(node: ts.Node): string | undefined {
  if (ts.isFunctionDeclaration(node)) return node.name?.text;
  if (ts.isVariableStatement(node)) {
    const decl = node.declarationList.declarations[0];
    return decl && ts.isIdentifier(decl.name) ? decl.name.text : undefined;
  }
  return undefined;
}
