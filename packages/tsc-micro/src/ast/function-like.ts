import { Node, SyntaxKind } from "ts-morph";
import type { ArrowFunction, FunctionDeclaration, FunctionExpression } from "ts-morph";

/** A function that can be a service: a declaration, or the function a `const` is initialised with. */
export type ServiceFunctionNode = FunctionDeclaration | ArrowFunction | FunctionExpression;

/** Strips parentheses, `as`, `satisfies` and `!` around an initializer. */
export function unwrapExpression(node: Node | undefined): Node | undefined {
  let current = node;
  while (
    current &&
    (Node.isParenthesizedExpression(current) ||
      Node.isAsExpression(current) ||
      Node.isSatisfiesExpression(current) ||
      Node.isNonNullExpression(current) ||
      Node.isTypeAssertion(current))
  ) {
    current = current.getExpression();
  }
  return current;
}

/**
 * The function a declaration stands for: the declaration itself, or the arrow or
 * function expression a `const` is initialised with. Undefined for anything else.
 */
export function functionOfDeclaration(decl: Node): ServiceFunctionNode | undefined {
  if (Node.isFunctionDeclaration(decl)) return decl.hasBody() ? decl : undefined;
  if (Node.isVariableDeclaration(decl)) {
    const init = unwrapExpression(decl.getInitializer());
    if (init && (Node.isArrowFunction(init) || Node.isFunctionExpression(init))) return init;
  }
  return undefined;
}

/** True for nodes that start a new function scope (where `await` would belong). */
export function isFunctionScope(node: Node): boolean {
  switch (node.getKind()) {
    case SyntaxKind.FunctionDeclaration:
    case SyntaxKind.FunctionExpression:
    case SyntaxKind.ArrowFunction:
    case SyntaxKind.MethodDeclaration:
    case SyntaxKind.Constructor:
    case SyntaxKind.GetAccessor:
    case SyntaxKind.SetAccessor:
    case SyntaxKind.ClassStaticBlockDeclaration:
      return true;
    default:
      return false;
  }
}

/** A stable id for a function-like node: its file and start offset. */
export function functionId(file: string, node: Node): string {
  return `${file}:${node.getStart()}`;
}
