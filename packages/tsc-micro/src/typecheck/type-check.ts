/**
 * TypeScript's own errors in the program, as tsc-micro diagnostics. A build
 * splits a program into services, so the program must first be one that `tsc`
 * accepts: `const s: string = 1` or an undefined name fail the build as they
 * fail `tsc --noEmit`. They keep TypeScript's codes (`source: "ts"`, printed
 * `TS2322`). Compiler-option problems (TS5xxx: an option TypeScript 6 deprecates,
 * an emit layout) are warnings: tsc-micro compiles with TypeScript 6 whatever
 * version the project uses, and bundles with esbuild, so they do not change what
 * the program means; a project whose own tsc is 5.x must still build.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { ts } from "ts-morph";
import type { Project } from "ts-morph";
import { relativeFile } from "../ast/locate.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";

export interface TypeCheckOptions {
  /** The project root: diagnostics carry paths relative to it. */
  rootDir: string;
  /** Absolute path of the tsconfig.json; compiler-option errors point into it. */
  configPath: string;
  /** Absolute folders whose files are not part of the program (the output folder, replaced by the build). */
  exclude?: readonly string[];
}

/**
 * Everything `tsc --noEmit` reports: the tsconfig's parse errors, then the
 * program's option, global, syntactic and semantic diagnostics
 * (`ts.getPreEmitDiagnostics`). Errors stay errors and warnings warnings;
 * suggestions and messages are not problems and are left out.
 */
export function typeCheck(project: Project, options: TypeCheckOptions): Diagnostic[] {
  const program = project.getProgram().compilerObject;
  const found = [...project.getConfigFileParsingDiagnostics().map((d) => d.compilerObject), ...ts.getPreEmitDiagnostics(program)];
  const exclude = (options.exclude ?? []).map((d) => path.resolve(d) + path.sep);
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const d of found) {
    if (d.category !== ts.DiagnosticCategory.Error && d.category !== ts.DiagnosticCategory.Warning) continue;
    if (d.file && exclude.some((dir) => path.resolve(d.file!.fileName).startsWith(dir))) continue;
    const converted = d.file ? inFile(d, d.file, options.rootDir) : asOptionWarning(inConfig(d, options.configPath, options.rootDir));
    const key = `${converted.file}:${converted.start}:${converted.code}:${converted.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(converted);
  }
  return out;
}

/** An option problem: reported, never failing the build (see the module comment). */
function asOptionWarning(d: Diagnostic): Diagnostic {
  return {
    ...d,
    category: "warning",
    hint: 'tsc-micro type-checks with TypeScript 6.0, which reports this option; it does not change what the program means. Update the option, or add "ignoreDeprecations": "6.0" to compilerOptions.',
  };
}

/** TypeScript's chained messages, indented per level as tsc prints them. */
function messageOf(d: ts.Diagnostic): string {
  return ts.flattenDiagnosticMessageText(d.messageText, "\n");
}

function categoryOf(d: ts.Diagnostic): "error" | "warning" {
  return d.category === ts.DiagnosticCategory.Error ? "error" : "warning";
}

function inFile(d: ts.Diagnostic, file: ts.SourceFile, rootDir: string): Diagnostic {
  const start = d.start ?? 0;
  const { line, character } = file.getLineAndCharacterOfPosition(start);
  return {
    source: "ts",
    code: d.code,
    category: categoryOf(d),
    file: relativeFile(rootDir, path.resolve(file.fileName)),
    start,
    length: d.length ?? 0,
    line: line + 1,
    column: character + 1,
    message: messageOf(d),
  };
}

/**
 * An option error has no file: ts-morph builds the program from the parsed
 * options, not from the tsconfig's text. Point it at the tsconfig.json, and at
 * the option's key when the message names an option found there once
 * (`Option 'baseUrl' is deprecated…`, `Option 'module=UMD'…`), as tsc does.
 */
function inConfig(d: ts.Diagnostic, configPath: string, rootDir: string): Diagnostic {
  const base: Diagnostic = { source: "ts", code: d.code, category: categoryOf(d), file: relativeFile(rootDir, configPath), message: messageOf(d) };
  const option = /^Option '(\w+)/.exec(messageOf(d))?.[1];
  let text: string;
  try {
    text = readFileSync(configPath, "utf8");
  } catch {
    return base;
  }
  const keys = option ? [...text.matchAll(new RegExp(`"${option}"\\s*:`, "g"))] : [];
  if (keys.length !== 1) return base;
  const start = keys[0]!.index!;
  const before = text.slice(0, start).split(/\r?\n/);
  return { ...base, start, length: option!.length + 2, line: before.length, column: before.at(-1)!.length + 1 };
}
