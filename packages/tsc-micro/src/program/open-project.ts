/**
 * Opens a tsconfig as a ts-morph Project whose declaration files that cannot differ between
 * builds — TypeScript's own lib files and `.d.ts` files under `node_modules` — are parsed and
 * bound once per process and shared by every Project opened after, as TypeScript's own
 * DocumentRegistry shares them between the projects of an editor.
 *
 * Why: for a small program, parsing and binding the ~60 lib files (2 MB) and the `@types` a
 * project picks up is most of a build's CPU (measured: ~600 → ~60 ms per Project opened again in
 * one process). One CLI build opens one Project and gains nothing; `tsc-micro dev` rebuilds, the
 * library called repeatedly (tests, the bench) and `check` after `build` do.
 *
 * Safe because a shared file is reused only for the same path, the same script kind, the same
 * values of every compiler option that changes how a file is parsed or bound (TypeScript's own
 * list, `sourceFileAffectingCompilerOptions`, the key its DocumentRegistry uses) and the same text,
 * compared in full. Nothing in tsc-micro edits these files.
 *
 * ts-morph has no public hook for its document registry: the Project is opened without resolving
 * its dependencies, its registry is wrapped, and then dependencies are resolved, which is what
 * ts-morph's constructor does in that order. `open-project.test.ts` checks the hook still works.
 */
import { Project, ts } from "ts-morph";

interface Shared {
  text: string;
  file: ts.SourceFile;
}

/** The registry method ts-morph creates every compiler source file through. */
interface Registry {
  createOrUpdateSourceFile(fileName: string, settings: ts.CompilerOptions, snapshot: ts.IScriptSnapshot, kind: ts.ScriptKind | undefined): ts.SourceFile;
}

/** The process's shared declaration files, by path, script kind and options key. */
const shared = new Map<string, Shared>();
/** Lookups served from `shared`, for open-project.test.ts. */
let reused = 0;

/** How many declaration files opened Projects took from the process's shared set so far. */
export function sharedDeclarationReuses(): number {
  return reused;
}

/** `new Project({ tsConfigFilePath })`, sharing lib and `node_modules` declaration files with earlier ones. */
export function openProject(tsConfigFilePath: string): Project {
  const project = new Project({ tsConfigFilePath, skipFileDependencyResolution: true });
  shareDeclarations(registryOf(project));
  project.resolveSourceFileDependencies();
  return project;
}

function registryOf(project: Project): Registry | undefined {
  const context = (project as unknown as { _context?: { compilerFactory?: { documentRegistry?: Registry } } })._context;
  const registry = context?.compilerFactory?.documentRegistry;
  return typeof registry?.createOrUpdateSourceFile === "function" ? registry : undefined;
}

function shareDeclarations(registry: Registry | undefined): void {
  // A ts-morph without the hook still builds, only without sharing (and open-project.test.ts,
  // which counts the reuses, fails: an upgrade that moved the registry is noticed).
  if (!registry) return;
  const own = registry.createOrUpdateSourceFile.bind(registry);
  registry.createOrUpdateSourceFile = function sharedOrOwn(fileName, settings, snapshot, kind) {
    if (!isShareable(fileName)) return own(fileName, settings, snapshot, kind);
    const key = `${fileName}\0${kind ?? ""}\0${declarationOptionsKey(settings)}`;
    const text = snapshot.getText(0, snapshot.getLength());
    const hit = shared.get(key);
    if (hit !== undefined && hit.text === text) {
      reused++;
      return hit.file;
    }
    const file = own(fileName, settings, snapshot, kind);
    shared.set(key, { text, file });
    return file;
  };
}

/** Declaration files of installed packages, and ts-morph's in-memory lib folder (`/node_modules/typescript/lib`). */
function isShareable(fileName: string): boolean {
  return fileName.endsWith(".d.ts") && fileName.includes("/node_modules/");
}

/** TypeScript's list of the options that change a file's parse or bind (every option, should a version not export it). */
const affecting: readonly string[] | undefined = (() => {
  const list = (ts as unknown as { sourceFileAffectingCompilerOptions?: readonly { name: string }[] }).sourceFileAffectingCompilerOptions;
  return Array.isArray(list) ? list.map((option) => option.name) : undefined;
})();

/**
 * The values of those options, as TypeScript's registry keys its buckets: two programs whose keys
 * are equal parse and bind a declaration file alike (the tests' shared compiler host keys by it too).
 */
export function declarationOptionsKey(settings: ts.CompilerOptions): string {
  return JSON.stringify(affecting ? affecting.map((name) => settings[name] ?? null) : settings);
}
