import { Node } from "ts-morph";
import type { SourceFile } from "ts-morph";
import { usesOf } from "./local-uses.js";
import { snippet } from "./scopes.js";

/** A use of a module's namespace object (`import * as store`) that is not `store.name`. */
export interface NamespaceEscape {
  /** The module whose exports it reaches. */
  module: SourceFile;
  /** The use. */
  at: Node;
  why: string;
}

/**
 * Where a module's namespace object is used as a whole: indexed with a key
 * (`store[name]`), passed on, stored. Its exported bindings can then be read
 * or changed there without their names appearing, which the analysis cannot
 * follow. `store.orders` is an ordinary use of `orders` and is not listed.
 */
export function namespaceEscapes(files: readonly SourceFile[], isProgram: (sf: SourceFile) => boolean): NamespaceEscape[] {
  const out: NamespaceEscape[] = [];
  for (const sf of files) {
    for (const decl of sf.getImportDeclarations()) {
      const ns = decl.getNamespaceImport();
      const module = decl.getModuleSpecifierSourceFile();
      if (!ns || !module || !isProgram(module)) continue;
      for (const use of usesOf(ns)) {
        const parent = use.getParent();
        if (parent && Node.isPropertyAccessExpression(parent) && parent.getExpression() === use) continue;
        const shown = parent && Node.isElementAccessExpression(parent) ? parent : use;
        out.push({ module, at: shown, why: `the module's namespace '${ns.getText()}' is used as a whole (${snippet(shown.getParent() ?? shown)}), so tsc-micro cannot see which of its exports are read or changed there` });
      }
    }
  }
  return out;
}
