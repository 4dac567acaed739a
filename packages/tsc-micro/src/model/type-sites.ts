import { ts } from "ts-morph";
import type { Node, Symbol as MorphSymbol, Type } from "ts-morph";
import { relativeFile } from "../ast/locate.js";

/**
 * Where the types a converter meets are declared, read so that the output does not depend on the
 * machine or on the order the checker happened to create types in: the program's own files or a
 * library's (TypeScript's lib files, @types/node), project-relative sites, and a stable order of
 * a union's members (type-to-ir.ts).
 */
export class TypeSites {
  constructor(
    private readonly program: ts.Program,
    private readonly checker: ts.TypeChecker,
    private readonly rootDir: string,
  ) {}

  /**
   * A union's members in an order that depends on the program only: the checker
   * orders them by type id, that is by when each type was first created, which
   * moves when anything else (a type check first, another service) touches
   * types earlier. Literals by value, then primitives, then declared types by
   * where they are declared.
   */
  inStableOrder(members: readonly Type[]): Type[] {
    const key = (t: Type): (string | number)[] => {
      if (t.isNumberLiteral()) return [0, t.getLiteralValue() as number];
      if (t.isStringLiteral()) return [1, t.getLiteralValue() as string];
      if (t.getFlags() & ts.TypeFlags.BooleanLiteral) return [2, t.getText()];
      const symbol = t.getAliasSymbol() ?? t.getSymbol();
      const declared = symbol?.getDeclarations()[0];
      // Built-ins (Date, Map…) by name: a library file's path depends on the machine.
      if (symbol && declared && this.isLibrary(declared)) return [3, symbol.getName()];
      const site = symbol && !symbol.getName().startsWith("__") ? this.siteOf(symbol) : [];
      if (site.length > 0) return [4, ...site];
      const anonymous = t.getSymbol()?.getDeclarations()[0];
      if (anonymous && !this.isLibrary(anonymous)) return [5, relativeFile(this.rootDir, anonymous.getSourceFile()), anonymous.getStart()];
      return [3, this.checker.typeToString(t.compilerType)];
    };
    const keyed = members.map((t) => ({ t, k: key(t) }));
    return keyed.sort((a, b) => compareKeys(a.k, b.k)).map((x) => x.t);
  }

  /** Where a symbol is declared: project-relative file and offset (machine-independent). */
  siteOf(symbol: MorphSymbol): (string | number)[] {
    const decl = symbol.getDeclarations()[0];
    return decl ? [relativeFile(this.rootDir, decl.getSourceFile()), decl.getStart()] : [];
  }

  /** A type argument's part of a site: where a program type is declared, else its text (`number`, `"a"`, `Date`). */
  argumentSite(arg: Type): (string | number)[] {
    if (arg.isArray()) return ["[]", ...this.argumentSite(arg.getArrayElementType() ?? arg.getTypeArguments()[0]!)];
    const symbol = arg.getAliasSymbol() ?? arg.getSymbol();
    if (symbol && this.isProgramSymbol(symbol)) return this.siteOf(symbol);
    return [this.checker.typeToString(arg.compilerType)];
  }

  isProgramSymbol(symbol: MorphSymbol): boolean {
    const decl = symbol.getDeclarations()[0];
    return !!decl && !this.isLibrary(decl);
  }

  isLibrarySymbol(symbol: MorphSymbol): boolean {
    const decl = symbol.getDeclarations()[0];
    return !!decl && this.isLibrary(decl);
  }

  /** TypeScript's lib files and @types/node: where Date, Map, URL… are declared. */
  isLibrary(node: Node): boolean {
    const sf = this.program.getSourceFile(node.getSourceFile().getFilePath());
    if (!sf) return false;
    return this.program.isSourceFileDefaultLibrary(sf) || /[\\/]node_modules[\\/]@types[\\/]node[\\/]/.test(sf.fileName);
  }
}

function compareKeys(a: readonly (string | number)[], b: readonly (string | number)[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (typeof x === "number" && typeof y === "number") return x - y;
    return String(x) < String(y) ? -1 : 1;
  }
  return a.length - b.length;
}
