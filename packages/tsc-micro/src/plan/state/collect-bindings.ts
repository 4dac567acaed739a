import { Node, SyntaxKind } from "ts-morph";
import type { SourceFile, VariableDeclaration } from "ts-morph";
import { functionOfDeclaration } from "../../ast/function-like.js";
import { locate, relativeFile } from "../../ast/locate.js";
import { classifyUse } from "./classify-use.js";
import type { Follow } from "./classify-use.js";
import { valueSymbolOf } from "./local-uses.js";
import { namespaceEscapes } from "./namespace-uses.js";
import { mayHoldObject } from "./object-types.js";
import { hasPerProcessTag } from "./per-process.js";
import { scopeChain, scopeName } from "./scopes.js";
import type { ModuleBinding, StateAccess } from "./types.js";

/**
 * Finds the program's module-level `let`/`var`/`const` bindings (not the ones
 * holding a function) and every use of them in the program, each classified
 * (read, assigned, contents changed, or undecided) and placed in the scopes
 * it runs in. Identifiers are resolved through the checker only when their
 * text is the name of such a binding (or of an import alias of one).
 */
export function collectBindings(rootDir: string, files: readonly SourceFile[], follow: Follow): ModuleBinding[] {
  const byDeclaration = new Map<Node, ModuleBinding>();
  // Bindings holding strings, numbers…: only assigning them changes them, so handing them on is a read.
  const primitive = new Set<Node>();
  const exported = new Map<Node, SourceFile>();
  for (const sf of files) {
    for (const statement of sf.getVariableStatements()) {
      const declarationKind = statement.getDeclarationKind();
      if (declarationKind !== "const" && declarationKind !== "let" && declarationKind !== "var") continue;
      const perProcess = hasPerProcessTag(statement);
      for (const decl of statement.getDeclarations()) {
        for (const { node, name } of boundNames(decl)) {
          if (decl.isExported()) exported.set(node, sf);
          byDeclaration.set(node, { name, file: relativeFile(rootDir, sf), declarationKind, location: locate(rootDir, node), perProcess, accesses: [] });
          if (!mayHoldObject(node.getType())) primitive.add(node);
        }
      }
    }
  }
  const names = new Set([...byDeclaration.values()].map((b) => b.name));
  for (const sf of files) {
    for (const spec of sf.getDescendantsOfKind(SyntaxKind.ImportSpecifier)) {
      const alias = spec.getAliasNode();
      if (alias && names.has(spec.getName())) names.add(alias.getText());
    }
  }
  for (const sf of files) {
    const file = relativeFile(rootDir, sf);
    sf.forEachDescendant((node) => {
      if (!Node.isIdentifier(node) || !names.has(node.getText()) || !isValueUse(node)) return;
      const found = bindingOf(node, byDeclaration);
      if (!found) return;
      const use = access(rootDir, file, node, follow);
      if (use.kind === "undecided" && primitive.has(found.name)) {
        const { detail: _, ...rest } = use;
        found.binding.accesses.push({ ...rest, kind: "read", location: locate(rootDir, node) });
      } else found.binding.accesses.push(use);
    });
  }
  // Exports reached through a namespace object used as a whole: cannot be followed.
  for (const escape of namespaceEscapes(files, follow.isProgram)) {
    const file = relativeFile(rootDir, escape.at.getSourceFile());
    for (const [node, sf] of exported) {
      if (sf !== escape.module || primitive.has(node)) continue;
      const at = { scopes: scopeChain(file, escape.at), scopeName: scopeName(escape.at), location: locate(rootDir, escape.at) };
      byDeclaration.get(node)!.accesses.push({ kind: "undecided", ...at, detail: escape.why });
    }
  }
  return [...byDeclaration.values()];
}

/** The names a declaration binds, with their name nodes: `x`, or each name in `{ a, b: [c] }`. Functions are not state. */
function boundNames(decl: VariableDeclaration): { node: Node; name: string }[] {
  if (functionOfDeclaration(decl)) return [];
  const name = decl.getNameNode();
  if (Node.isIdentifier(name)) return [{ node: name, name: name.getText() }];
  return name
    .getDescendantsOfKind(SyntaxKind.BindingElement)
    .map((el) => el.getNameNode())
    .filter((n) => Node.isIdentifier(n))
    .map((n) => ({ node: n, name: n.getText() }));
}

/** Declarations, imports, exports and types name a binding without using its value. */
function isValueUse(id: Node): boolean {
  const parent = id.getParent();
  if (!parent) return false;
  if (Node.isImportSpecifier(parent) || Node.isImportClause(parent) || Node.isExportSpecifier(parent) || Node.isNamespaceImport(parent)) return false;
  if ((Node.isVariableDeclaration(parent) || Node.isBindingElement(parent) || Node.isParameterDeclaration(parent)) && parent.getNameNode() === id) return false;
  if (Node.isTypeQuery(parent) || Node.isQualifiedName(parent) || Node.isTypeReference(parent) || Node.isJSDoc(parent)) return false;
  if (Node.isPropertyAssignment(parent) && parent.getNameNode() === id) return false;
  return true;
}

function bindingOf(id: Node, byDeclaration: ReadonlyMap<Node, ModuleBinding>): { binding: ModuleBinding; name: Node } | undefined {
  const symbol = valueSymbolOf(id);
  const resolved = symbol?.isAlias() ? (symbol.getAliasedSymbol() ?? symbol) : symbol;
  for (const decl of resolved?.getDeclarations() ?? []) {
    const name = Node.isVariableDeclaration(decl) || Node.isBindingElement(decl) ? decl.getNameNode() : undefined;
    const binding = name && byDeclaration.get(name);
    if (binding) return { binding, name };
  }
  return undefined;
}

function access(rootDir: string, file: string, id: Node, follow: Follow): StateAccess {
  // `ns.orders` through a namespace import: the whole member access is the value.
  const parent = id.getParent()!;
  const ref = Node.isPropertyAccessExpression(parent) && parent.getNameNode() === id ? parent : id;
  const use = classifyUse(ref, follow);
  const base = { scopes: scopeChain(file, id), scopeName: scopeName(id), location: locate(rootDir, id) };
  switch (use.kind) {
    case "read":
      return { kind: "read", ...base };
    case "undecided":
      return { kind: "undecided", ...base, location: locate(rootDir, use.at), detail: use.why };
    default:
      return { kind: use.kind, ...base, detail: use.how };
  }
}
