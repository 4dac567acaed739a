// Type-checking many small programs in one test process: TypeScript's lib files and the
// declaration files of installed packages are parsed (and bound) once per process and handed to
// every program after, as an editor's DocumentRegistry shares them; the files a test writes are
// read anew each time. Measured here: a program of one small file took 5.1 s of CPU checking
// TypeScript's lib files too, 1.3 s without (skipDefaultLibCheck), and ~0.1 s with them shared.
import path from "node:path";
import ts from "typescript";
import { declarationOptionsKey } from "../../packages/tsc-micro/src/program/open-project.ts";

const shared = new Map<string, ts.SourceFile>();

/** Lib files and the declaration files of installed packages: what no test writes. */
function isInstalledDeclaration(absolute: string): boolean {
  return absolute.endsWith(".d.ts") && absolute.includes(`${path.sep}node_modules${path.sep}`);
}

/**
 * A compiler host that shares the files `shareable` accepts (by default lib files and
 * `node_modules` declaration files) between programs of equal parse-affecting options.
 */
export function sharedLibHost(options: ts.CompilerOptions, shareable: (absolute: string) => boolean = isInstalledDeclaration): ts.CompilerHost {
  const host = ts.createCompilerHost(options);
  const read = host.getSourceFile.bind(host);
  // The compiler's key (TypeScript 6.0 both: ts-morph's bundled copy and the repository's).
  const optionKey = declarationOptionsKey(options);
  host.getSourceFile = function sharedOrRead(file, languageVersion, onError, shouldCreate) {
    const absolute = path.resolve(file);
    if (!shareable(absolute)) return read(file, languageVersion, onError, shouldCreate);
    const key = `${absolute}\u0000${JSON.stringify(languageVersion)}\u0000${optionKey}`;
    let sf = shared.get(key);
    if (!sf) {
      sf = read(file, languageVersion, onError, shouldCreate);
      if (sf) shared.set(key, sf);
    }
    return sf;
  };
  return host;
}

/** `ts.createProgram` over {@link sharedLibHost}. */
export function sharedLibProgram(rootNames: readonly string[], options: ts.CompilerOptions, shareable?: (absolute: string) => boolean): ts.Program {
  return ts.createProgram([...rootNames], options, sharedLibHost(options, shareable));
}

/**
 * `ts.getPreEmitDiagnostics(program)` but for the files a test writes: the program's option and
 * global diagnostics, and each file's own, except TypeScript's lib files and the declaration files
 * of installed packages. Those are checked by their authors; with `types: ["node"]` and
 * `skipLibCheck: false`, checking @types/node's own `declare module` blocks again in every new
 * program was two thirds of openapi-names.test.ts's CPU. A generated `.d.ts` outside
 * `node_modules` is checked as before.
 */
export function ownDiagnostics(program: ts.Program): ts.Diagnostic[] {
  const own = program.getSourceFiles().filter((sf) => !program.isSourceFileDefaultLibrary(sf) && !isInstalledDeclaration(path.resolve(sf.fileName)));
  const files = own.flatMap((sf) => [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]);
  // Global diagnostics are the ones checking has collected so far: read after the files' checks.
  return ts.sortAndDeduplicateDiagnostics([...program.getOptionsDiagnostics(), ...files, ...program.getGlobalDiagnostics()]).slice();
}
