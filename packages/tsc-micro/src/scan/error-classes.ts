import type { ClassDeclaration, SourceFile, Type } from "ts-morph";
import { relativeFile } from "../ast/locate.js";

/** An exported class of the program that extends Error (directly or not). */
export interface ErrorClass {
  name: string;
  exportName: string;
  file: string;
}

/**
 * Finds the program's exported Error subclasses. Inside each bundle the
 * generated code registers them with the client runtime, so an error a
 * service throws is rebuilt as an instance of the very class the caller's
 * code sees: `catch (e) { if (e instanceof NotFoundError) … }` works as in
 * the monolith.
 */
export function findErrorClasses(rootDir: string, sourceFiles: readonly SourceFile[]): ErrorClass[] {
  const found: ErrorClass[] = [];
  for (const sf of sourceFiles) {
    const exported = sf.getExportedDeclarations();
    for (const cls of sf.getClasses()) {
      const name = cls.getName();
      if (!name || !extendsError(cls)) continue;
      const exportName = [...exported.entries()].find(([, decls]) => decls.some((d) => d === cls))?.[0];
      if (exportName) found.push({ name, exportName, file: relativeFile(rootDir, sf) });
    }
  }
  return found.sort((a, b) => a.name.localeCompare(b.name) || a.file.localeCompare(b.file));
}

function extendsError(cls: ClassDeclaration): boolean {
  const seen = new Set<Type>();
  const visit = (t: Type): boolean => {
    if (seen.has(t)) return false;
    seen.add(t);
    if (t.getSymbol()?.getName() === "Error" && t.getSymbol()?.getDeclarations()[0]?.getSourceFile().isDeclarationFile()) return true;
    return t.getBaseTypes().some(visit);
  };
  return visit(cls.getType());
}
