import { Node } from "ts-morph";
import { functionId, isFunctionScope } from "../../ast/function-like.js";

/**
 * The scopes a node sits in, innermost first, named as the call graph names
 * them (`file:start` of a function, a class field or a class), so that a use
 * can be matched against the scopes a process reaches. A class is listed
 * because the call graph reaches a class's members through the class. At a
 * module's top level: `file:module` alone.
 */
export function scopeChain(file: string, node: Node): string[] {
  const ids: string[] = [];
  for (let n = node.getParent(); n; n = n.getParent()) {
    if (isFunctionScope(n) || Node.isPropertyDeclaration(n) || Node.isClassDeclaration(n)) ids.push(functionId(file, n));
  }
  return ids.length > 0 ? ids : [`${file}:module`];
}

/** The nearest function (or class field) around a node, or undefined at a module's top level. */
export function enclosingFunction(node: Node): Node | undefined {
  return node.getFirstAncestor((n) => isFunctionScope(n) || Node.isPropertyDeclaration(n));
}

/** A readable name for the function a node sits in: `createOrder`, `Store.add`, `module top level`. */
export function scopeName(node: Node): string {
  const scope = isFunctionScope(node) ? node : enclosingFunction(node);
  if (!scope) return "module top level";
  if (Node.isFunctionDeclaration(scope)) return scope.getName() ?? "default";
  if (Node.isMethodDeclaration(scope) || Node.isGetAccessorDeclaration(scope) || Node.isSetAccessorDeclaration(scope) || Node.isPropertyDeclaration(scope)) {
    const cls = scope.getParent();
    const owner = cls && Node.isClassDeclaration(cls) ? `${cls.getName() ?? "<class>"}.` : "";
    return `${owner}${scope.getName()}`;
  }
  if (Node.isConstructorDeclaration(scope)) {
    const cls = scope.getParent();
    return `${cls && Node.isClassDeclaration(cls) ? (cls.getName() ?? "<class>") : "<class>"} constructor`;
  }
  const parent = scope.getParent();
  if (parent && Node.isVariableDeclaration(parent)) return parent.getName();
  if (parent && Node.isCallExpression(parent)) return `a callback of ${snippet(parent.getExpression(), 30)} in ${scopeName(parent)}`;
  return "an anonymous function";
}

/** A node's text on one line, shortened for messages. */
export function snippet(node: Node, max = 48): string {
  const text = node.getText().replace(/\s+/g, " ");
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
