import { Node, SyntaxKind } from "ts-morph";
import type { CallExpression, SourceFile } from "ts-morph";
import { unwrapExpression } from "../../ast/function-like.js";
import { locate } from "../../ast/locate.js";
import type { Location } from "../../diagnostics/diagnostic.js";
import type { ScanResult } from "../../scan/types.js";
import { findCasts } from "./casts.js";
import { nodeAt } from "./find-node.js";
import { usesOf, valueSymbolOf } from "./local-uses.js";
import { enclosingFunction, snippet } from "./scopes.js";
import { callKey } from "./types.js";
import type { ArgumentFacts, CallFacts } from "./types.js";

/**
 * For every call of a service function (any of them may become a network
 * call, depending on the plan): the casts its arguments carry, and for an
 * argument that is a variable, whether the caller reads that variable after
 * the call.
 */
export function collectCalls(rootDir: string, scan: ScanResult, sourceFileOf: (file: string) => SourceFile | undefined): Record<string, CallFacts> {
  const tagged = new Set(scan.functions.map((f) => f.id));
  const out: Record<string, CallFacts> = {};
  for (const ref of scan.references) {
    if (ref.kind !== "call" || !tagged.has(ref.calleeId)) continue;
    const sf = sourceFileOf(ref.file);
    const call = sf && nodeAt(sf, ref.start, (n): n is CallExpression => Node.isCallExpression(n), ref.end);
    if (!call) continue;
    const args: ArgumentFacts[] = [];
    for (const [index, arg] of call.getArguments().entries()) {
      // After a spread, argument positions no longer match parameters.
      if (Node.isSpreadElement(arg)) break;
      const facts: ArgumentFacts = { index, casts: findCasts(arg).map((c) => ({ location: locate(rootDir, c), text: snippet(c) })) };
      const variable = variableOf(arg);
      if (variable) facts.variable = { name: variable.getText(), ...laterRead(rootDir, call, variable) };
      args.push(facts);
    }
    out[callKey(ref.file, ref.start)] = { calleeId: ref.calleeId, arguments: args };
  }
  return out;
}

/** The argument is a variable or parameter (through parentheses and casts): its identifier. */
function variableOf(arg: Node): Node | undefined {
  const inner = unwrapExpression(arg);
  if (!inner || !Node.isIdentifier(inner)) return undefined;
  const decl = valueSymbolOf(inner)?.getDeclarations()[0];
  return decl && (Node.isVariableDeclaration(decl) || Node.isParameterDeclaration(decl) || Node.isBindingElement(decl)) ? inner : undefined;
}

/**
 * The caller's first use of the variable after the call, in the same function
 * body, when that use reads it. Assigning it first (`order = f(order)`, or
 * `order = …` before any read) means later reads see the new value.
 */
function laterRead(rootDir: string, call: CallExpression, variable: Node): { laterRead?: { location: Location; text: string } } {
  const symbol = valueSymbolOf(variable)?.compilerSymbol;
  const decl = valueSymbolOf(variable)?.getDeclarations()[0];
  const name = decl && (Node.isVariableDeclaration(decl) || Node.isParameterDeclaration(decl) || Node.isBindingElement(decl)) ? decl.getNameNode() : undefined;
  if (!symbol || !name || !Node.isIdentifier(name)) return {};
  if (assignedFromCall(call, symbol)) return {};
  const scope = enclosingFunction(call) ?? call.getSourceFile();
  const after = usesOf(name)
    .filter((id) => id.getStart() >= call.getEnd() && id.getFirstAncestor((n) => n === scope) !== undefined)
    .sort((a, b) => a.getStart() - b.getStart());
  const first = after[0];
  if (!first || isPlainAssignmentTarget(first)) return {};
  return { laterRead: { location: locate(rootDir, first), text: snippet(readExpression(first)) } };
}

/** `x = f(x)` (possibly awaited, in parentheses): the variable takes the call's result. */
function assignedFromCall(call: Node, symbol: unknown): boolean {
  let node: Node = call;
  while (node.getParent() && (Node.isParenthesizedExpression(node.getParent()!) || Node.isAwaitExpression(node.getParent()!) || Node.isAsExpression(node.getParent()!))) node = node.getParent()!;
  const parent = node.getParent();
  if (!parent || !Node.isBinaryExpression(parent) || parent.getRight() !== node || parent.getOperatorToken().getKind() !== SyntaxKind.EqualsToken) return false;
  const left = parent.getLeft();
  return Node.isIdentifier(left) && valueSymbolOf(left)?.compilerSymbol === symbol;
}

function isPlainAssignmentTarget(id: Node): boolean {
  const parent = id.getParent();
  return !!parent && Node.isBinaryExpression(parent) && parent.getLeft() === id && parent.getOperatorToken().getKind() === SyntaxKind.EqualsToken;
}

/** `order` in `order.status`: the property read, for the message. */
function readExpression(id: Node): Node {
  let node = id;
  for (let parent = node.getParent(); parent && Node.isPropertyAccessExpression(parent) && parent.getExpression() === node; parent = node.getParent()) node = parent;
  return node;
}
