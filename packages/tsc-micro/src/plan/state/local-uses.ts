import { Node, SyntaxKind } from "ts-morph";
import type { Identifier, Symbol as MorphSymbol } from "ts-morph";
import { isFunctionScope } from "../../ast/function-like.js";

/**
 * The symbol an identifier stands for as a value. In `{ order }` the
 * identifier's own symbol is the new object's property; the value read is the
 * variable, which the checker gives separately.
 */
export function valueSymbolOf(id: Node): MorphSymbol | undefined {
  const parent = id.getParent();
  if (parent && Node.isShorthandPropertyAssignment(parent) && parent.getNameNode() === id) {
    return id.getProject().getTypeChecker().getShorthandAssignmentValueSymbol(parent);
  }
  return id.getSymbol();
}

/**
 * Every place a local variable or parameter is used, in the scope that
 * declares it: identifiers with the same symbol, other than the name in the
 * declaration itself.
 */
export function usesOf(name: Identifier): Identifier[] {
  const symbol = name.getSymbol()?.compilerSymbol;
  if (!symbol) return [];
  const scope = name.getFirstAncestor((n) => isFunctionScope(n)) ?? name.getSourceFile();
  const text = name.getText();
  return scope
    .getDescendantsOfKind(SyntaxKind.Identifier)
    .filter((id) => id !== name && id.getText() === text && valueSymbolOf(id)?.compilerSymbol === symbol);
}

/**
 * The `this` of a method: every `this` in its body that is not inside a
 * nested function with its own `this` (arrows keep their method's).
 */
export function thisUsesOf(method: Node): Node[] {
  return method.getDescendantsOfKind(SyntaxKind.ThisKeyword).filter((t) => {
    const owner = t.getFirstAncestor((n) => isFunctionScope(n) && !Node.isArrowFunction(n));
    return owner === method;
  });
}
