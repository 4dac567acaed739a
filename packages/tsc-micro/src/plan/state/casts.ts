import { Node } from "ts-morph";

/**
 * The casts whose value flows straight into an expression: `x as T`, `<T>x`
 * and `x!` at its top, or in the object and array literals, conditional
 * branches and `??`/`||`/`&&` operands it is made of. `as const` and
 * `satisfies` assert nothing the checker has not checked; a cast whose operand
 * already has the asserted type (a widening; but not from or to `any`), and `x!` on a value that cannot
 * be null or undefined, change nothing either.
 */
export function findCasts(expr: Node): Node[] {
  if (Node.isParenthesizedExpression(expr) || Node.isSatisfiesExpression(expr) || Node.isAwaitExpression(expr)) return findCasts(expr.getExpression());
  if (Node.isAsExpression(expr) || Node.isTypeAssertion(expr)) {
    const typeNode = expr.getTypeNode();
    const inner = expr.getExpression();
    if (typeNode?.getText() === "const") return findCasts(inner);
    // `x as any` switches the check off whatever x is; `JSON.parse(s) as T` asserts what was never checked.
    const asserted = expr.getType();
    const from = inner.getType();
    return !asserted.isAny() && !from.isAny() && from.isAssignableTo(asserted) ? findCasts(inner) : [expr];
  }
  if (Node.isNonNullExpression(expr)) {
    const inner = expr.getExpression();
    return inner.getType().isNullable() ? [expr] : findCasts(inner);
  }
  if (Node.isObjectLiteralExpression(expr)) {
    return expr.getProperties().flatMap((p) => (Node.isPropertyAssignment(p) && p.getInitializer() ? findCasts(p.getInitializer()!) : Node.isSpreadAssignment(p) ? findCasts(p.getExpression()) : []));
  }
  if (Node.isArrayLiteralExpression(expr)) return expr.getElements().flatMap((e) => (Node.isSpreadElement(e) ? findCasts(e.getExpression()) : findCasts(e)));
  if (Node.isConditionalExpression(expr)) return [...findCasts(expr.getWhenTrue()), ...findCasts(expr.getWhenFalse())];
  if (Node.isBinaryExpression(expr) && ["??", "||", "&&"].includes(expr.getOperatorToken().getText())) return [...findCasts(expr.getLeft()), ...findCasts(expr.getRight())];
  return [];
}
