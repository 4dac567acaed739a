// Type-checking many small files with one compiler program: only the files
// asked about are checked (the lib and @types/node are read, not checked),
// and files outside the generated folders are parsed once per process and
// reused, so checking one more build costs milliseconds, not seconds.
import path from "node:path";
import ts from "typescript";
import { COMPILER_OPTIONS } from "../openapi-tools.ts";
import { sharedLibProgram } from "../shared-lib-host.ts";
import { PROJECT_TSCONFIG } from "./write.ts";

/** What the generated .d.ts files are checked with: the options third-party code uses (strict, NodeNext, no skipLibCheck). */
export const DECLARATION_OPTIONS: ts.CompilerOptions = COMPILER_OPTIONS;

/** What the generated programs are checked with: their own tsconfig.json. */
export const SOURCE_OPTIONS: ts.CompilerOptions = ts.convertCompilerOptionsFromJson(PROJECT_TSCONFIG.compilerOptions, "/").options;

/**
 * Type-checks `files` (absolute paths) in one program; returns the problems of
 * each file that has some, as `name(line): TSxxxx message`. Files under a
 * folder of `volatile` are re-read each time; others are cached.
 */
export function typecheckFiles(files: readonly string[], options: ts.CompilerOptions, volatileDirs: readonly string[]): Map<string, string[]> {
  const volatile = (f: string) => volatileDirs.some((d) => path.resolve(f).startsWith(d));
  const program = sharedLibProgram(files, options, (f) => !volatile(f));
  const out = new Map<string, string[]>();
  for (const file of files) {
    const sf = program.getSourceFile(file);
    if (!sf) {
      out.set(file, [`${path.basename(file)}: not part of the program`]);
      continue;
    }
    const diagnostics = [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)];
    if (diagnostics.length === 0) continue;
    out.set(
      file,
      diagnostics.map((d) => {
        const line = d.start !== undefined ? `(${sf.getLineAndCharacterOfPosition(d.start).line + 1})` : "";
        return `${path.basename(file)}${line}: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
      }),
    );
  }
  return out;
}
