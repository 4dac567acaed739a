import { Node, SyntaxKind } from "ts-morph";
import type { CallExpression, NewExpression, ParameterDeclaration, SourceFile } from "ts-morph";
import { functionOfDeclaration } from "../../ast/function-like.js";
import { thisUsesOf, usesOf } from "./local-uses.js";
import { enclosingFunction, scopeName, snippet } from "./scopes.js";
import { ELEMENT_CALLBACKS, ELEMENT_METHODS, MUTATING_FUNCTIONS, MUTATING_METHODS } from "./vocabulary.js";

/**
 * Why a use cannot be decided: the value is returned (the caller may change
 * it), stored somewhere the analysis does not follow, passed on further than
 * it follows, or a method chosen at run time is called on it.
 */
export type UndecidedCause = "returned" | "stored" | "passed-on" | "dynamic";

/** What one use of a value does to it. */
export type Use =
  | { kind: "read" }
  /** The variable itself is assigned (`x = …`, `x++`). */
  | { kind: "write"; at: Node; how: string }
  /** Its contents are changed (`x.p = …`, `x.push(…)`, `delete x[k]`, a helper that does so). */
  | { kind: "mutate"; at: Node; how: string }
  | { kind: "undecided"; at: Node; cause: UndecidedCause; why: string };

/** How far uses are followed through aliases, helpers and methods. */
export interface Follow {
  /** Helpers, aliases and methods followed so far. */
  depth: number;
  /** Declarations already being followed (recursion). */
  seen: Set<Node>;
  /** Whether a function's body belongs to the program (read it) or to a library (trust its name). */
  isProgram: (file: SourceFile) => boolean;
  /** Whether a function is a service function (`@microservice`): what it returns goes out as a copy. */
  isServiceFunction: (fn: Node) => boolean;
}

/** Beyond this many hops through aliases and helpers, a use is undecided. */
export const MAX_FOLLOW = 4;

const READ: Use = { kind: "read" };

/**
 * Classifies one use of a value, `ref` being the expression that denotes it
 * (an identifier, `ns.x`, or `this`): does the code here read it, assign it,
 * change its contents, or hand it where the analysis cannot follow?
 *
 * The value's contents are followed through property and element access and
 * through the built-in methods that hand out elements (`m.get(k).status = …`
 * changes `m`'s contents), into the program's own functions and methods it is
 * passed to or called on, and through local aliases (`const o = m.get(k)`).
 */
export function classifyUse(ref: Node, follow: Follow): Use {
  return classifyFrom(ref, false, follow);
}

function classifyFrom(start: Node, startAccessed: boolean, follow: Follow): Use {
  let node = outward(start);
  // Went through a property or element access: what is reached is the value's contents.
  let accessed = startAccessed;
  for (;;) {
    const parent = node.getParent();
    if (!parent) return READ;
    if ((Node.isPropertyAccessExpression(parent) || Node.isElementAccessExpression(parent)) && parent.getExpression() === node) {
      if (Node.isElementAccessExpression(parent) && isCallee(parent) && literalKey(parent) === undefined) {
        return undecided(parent, "dynamic", `a method chosen at run time is called on it (${snippet(parent)}(…))`);
      }
      node = outward(parent);
      accessed = true;
      continue;
    }
    if (Node.isCallExpression(parent) && parent.getExpression() === node && accessed) {
      const method = memberName(node);
      const own = programMethod(node, follow);
      if (own) {
        const use = throughThis(own, parent, follow);
        if (use.kind !== "read") return use;
      } else {
        const callback = throughCallback(parent, method, follow);
        if (callback.kind !== "read") return callback;
        if (method !== undefined && MUTATING_METHODS.has(method)) return mutate(parent);
      }
      if (method !== undefined && ELEMENT_METHODS.has(method) && !own) {
        node = outward(parent);
        continue;
      }
      return READ;
    }
    break;
  }
  const parent = node.getParent()!;
  if (isAssignmentTarget(node, parent) || isIncrement(parent)) {
    return accessed ? mutate(parent) : { kind: "write", at: parent, how: snippet(parent) };
  }
  if (Node.isDeleteExpression(parent)) return accessed ? mutate(parent) : READ;
  if ((Node.isCallExpression(parent) || Node.isNewExpression(parent)) && parent.getArguments().includes(node)) {
    return asArgument(parent, node, accessed, follow);
  }
  if (Node.isVariableDeclaration(parent) && parent.getInitializer() === node) return throughAlias(parent.getNameNode(), follow, "alias");
  if (Node.isForOfStatement(parent) && parent.getExpression() === node) {
    const decl = parent.getInitializer();
    const name = Node.isVariableDeclarationList(decl) ? decl.getDeclarations()[0]?.getNameNode() : undefined;
    return name ? throughAlias(name, follow, "alias") : READ;
  }
  if (accessed) return READ;
  // The value itself (not something read from it) flows on.
  if (Node.isReturnStatement(parent) || Node.isYieldExpression(parent) || (Node.isArrowFunction(parent) && parent.getBody() === node)) {
    // A service function's result is sent as a copy to a caller in another process; one in the
    // same process getting the object itself and changing it is not followed (see README).
    const fn = Node.isArrowFunction(parent) ? parent : enclosingFunction(parent);
    if (fn && follow.isServiceFunction(fn)) return READ;
    return undecided(parent, "returned", `it is returned from '${scopeName(parent)}'`);
  }
  if (Node.isBinaryExpression(parent) && isAssignmentOperator(parent.getOperatorToken().getKind()) && parent.getRight() === node) {
    return undecided(parent, "stored", `it is assigned to '${snippet(parent.getLeft(), 30)}'`);
  }
  if (Node.isPropertyAssignment(parent) || Node.isShorthandPropertyAssignment(parent) || Node.isArrayLiteralExpression(parent) || Node.isPropertyDeclaration(parent)) {
    return undecided(parent, "stored", `it is stored in ${Node.isArrayLiteralExpression(parent) ? "an array" : Node.isPropertyDeclaration(parent) ? `the field '${parent.getName()}'` : "an object"}`);
  }
  if (Node.isConditionalExpression(parent) && parent.getCondition() !== node) return classifyFrom(parent, false, follow);
  if (Node.isBinaryExpression(parent) && ["&&", "||", "??"].includes(parent.getOperatorToken().getText())) return classifyFrom(parent, false, follow);
  return READ;
}

/**
 * `x` passed to a call: a known mutating function, the program's own function
 * (what it does with its parameter), a collection that keeps it, or a library
 * (a read: a library's own functions are trusted not to change what they get).
 */
function asArgument(call: CallExpression | NewExpression, arg: Node, accessed: boolean, follow: Follow): Use {
  const index = call.getArguments().indexOf(arg);
  const callee = call.getExpression();
  if (Node.isCallExpression(call) && index === 0 && MUTATING_FUNCTIONS.has(callee.getText())) return mutate(call);
  const fn = programFunction(call, follow);
  if (!fn) {
    // `list.push(x)`, `registry.set(k, x)`: the value itself is kept in another collection.
    if (!accessed && Node.isPropertyAccessExpression(callee) && MUTATING_METHODS.has(callee.getName())) {
      return undecided(call, "stored", `it is stored in '${snippet(callee.getExpression(), 30)}' (${snippet(call)})`);
    }
    return READ;
  }
  const name = Node.isNewExpression(call) ? `new ${snippet(callee, 30)}` : snippet(callee, 30);
  const param = fn.getParameters()[index];
  if (!param) return READ;
  if (param.isRestParameter()) return undecided(call, "passed-on", `it is passed to '${name}' as part of a rest parameter`);
  const paramName = param.getNameNode();
  if (!Node.isIdentifier(paramName)) return READ;
  const use = throughAlias(paramName, follow, "helper");
  switch (use.kind) {
    case "mutate":
      return { kind: "mutate", at: call, how: `${snippet(call)}, where '${name}' does ${use.how}` };
    case "undecided":
      // `const m = id(x)`: what the helper returns is the value itself, flowing on from the call.
      if (use.cause === "returned") return classifyFrom(call, false, follow);
      return undecided(call, use.cause, `it is passed to '${name}', where ${use.why}`);
    default:
      return READ;
  }
}

/** Follows a local name the value is bound to (a `const` alias, a loop variable, a helper's parameter). */
function throughAlias(name: Node, follow: Follow, hop: "alias" | "helper"): Use {
  if (!Node.isIdentifier(name)) return READ;
  if (follow.seen.has(name)) return READ;
  if (follow.depth >= MAX_FOLLOW) {
    return undecided(name, "passed-on", `it is passed on through more than ${MAX_FOLLOW} ${hop === "helper" ? "helpers" : "aliases and helpers"}`);
  }
  const deeper: Follow = { ...follow, depth: follow.depth + 1, seen: new Set([...follow.seen, name]) };
  return strongest(usesOf(name).map((use) => classifyFrom(use, false, deeper)));
}

/** `x.m(…)` where `m` is the program's own method: what the method does to its `this`. */
function throughThis(method: Node, call: CallExpression, follow: Follow): Use {
  if (follow.seen.has(method)) return READ;
  if (follow.depth >= MAX_FOLLOW) return undecided(call, "passed-on", `the method call ${snippet(call)} is nested more than ${MAX_FOLLOW} levels deep`);
  const deeper: Follow = { ...follow, depth: follow.depth + 1, seen: new Set([...follow.seen, method]) };
  const use = strongest(thisUsesOf(method).map((t) => classifyFrom(t, false, deeper)));
  if (use.kind === "mutate") return { kind: "mutate", at: call, how: `${snippet(call)}, which does ${use.how}` };
  if (use.kind === "undecided" && use.cause === "returned") return classifyFrom(call, false, follow);
  if (use.kind === "undecided") return undecided(call, use.cause, `${snippet(call)} is called on it, where ${use.why}`);
  return READ;
}

/** `xs.forEach((x) => …)`: the callback's element parameter is the receiver's contents. */
function throughCallback(call: CallExpression, method: string | undefined, follow: Follow): Use {
  const paramIndex = method === undefined ? undefined : ELEMENT_CALLBACKS.get(method);
  const callback = call.getArguments()[0];
  if (paramIndex === undefined || !callback || !(Node.isArrowFunction(callback) || Node.isFunctionExpression(callback))) return READ;
  const param = callback.getParameters()[paramIndex]?.getNameNode();
  if (!param) return READ;
  const use = throughAlias(param, follow, "alias");
  if (use.kind === "mutate") return { kind: "mutate", at: call, how: `${snippet(call)}, whose callback does ${use.how}` };
  // An element returned by the callback (map, filter) flows into a new array: not followed.
  if (use.kind === "undecided" && use.cause !== "returned") return use;
  return READ;
}

/**
 * The strongest of several uses: a change wins, then a use that cannot be
 * decided (returning the value last), then a read. Assigning a local alias
 * itself (`o = other`) does not change the value it held.
 */
function strongest(uses: readonly Use[]): Use {
  const rank = (u: Use): number => (u.kind === "mutate" ? 3 : u.kind === "undecided" ? (u.cause === "returned" ? 1 : 2) : 0);
  let best: Use = READ;
  for (const use of uses) if (rank(use) > rank(best)) best = use;
  return best;
}

/** The program's own function a call or `new` reaches, with a body to read. */
function programFunction(call: CallExpression | NewExpression, follow: Follow): { getParameters(): ParameterDeclaration[] } | undefined {
  const symbol = call.getExpression().getSymbol();
  const resolved = symbol?.isAlias() ? (symbol.getAliasedSymbol() ?? symbol) : symbol;
  for (const decl of resolved?.getDeclarations() ?? []) {
    if (!follow.isProgram(decl.getSourceFile())) continue;
    if (Node.isNewExpression(call)) {
      if (Node.isClassDeclaration(decl)) return decl.getConstructors().find((c) => c.hasBody());
      continue;
    }
    const fn = functionOfDeclaration(decl);
    if (fn) return fn;
    if (Node.isMethodDeclaration(decl) && decl.hasBody()) return decl;
  }
  return undefined;
}

/** `x.m` where `m` is a method the program declares (with a body). */
function programMethod(member: Node, follow: Follow): Node | undefined {
  if (!Node.isPropertyAccessExpression(member)) return undefined;
  for (const decl of member.getNameNode().getSymbol()?.getDeclarations() ?? []) {
    if (Node.isMethodDeclaration(decl) && decl.hasBody() && follow.isProgram(decl.getSourceFile())) return decl;
  }
  return undefined;
}

/** Skips parentheses, casts, `!` and `await` around an expression, outwards: the same value. */
function outward(node: Node): Node {
  let current = node;
  for (;;) {
    const parent = current.getParent();
    if (
      parent &&
      (Node.isParenthesizedExpression(parent) || Node.isAsExpression(parent) || Node.isNonNullExpression(parent) || Node.isSatisfiesExpression(parent) || Node.isTypeAssertion(parent) || Node.isAwaitExpression(parent))
    ) {
      current = parent;
      continue;
    }
    return current;
  }
}

function isCallee(node: Node): boolean {
  const outer = outward(node);
  const parent = outer.getParent();
  return !!parent && Node.isCallExpression(parent) && parent.getExpression() === outer;
}

/** `x["set"]` → `set`; undefined for a key computed at run time. */
function literalKey(access: Node): string | undefined {
  if (!Node.isElementAccessExpression(access)) return undefined;
  const arg = access.getArgumentExpression();
  return arg && (Node.isStringLiteral(arg) || Node.isNoSubstitutionTemplateLiteral(arg) || Node.isNumericLiteral(arg)) ? arg.getLiteralText() : undefined;
}

function memberName(member: Node): string | undefined {
  if (Node.isPropertyAccessExpression(member)) return member.getName();
  return literalKey(member);
}

function isAssignmentOperator(kind: SyntaxKind): boolean {
  return kind >= SyntaxKind.FirstAssignment && kind <= SyntaxKind.LastAssignment;
}

function isAssignmentTarget(node: Node, parent: Node): boolean {
  return Node.isBinaryExpression(parent) && parent.getLeft() === node && isAssignmentOperator(parent.getOperatorToken().getKind());
}

function isIncrement(parent: Node): boolean {
  if (!Node.isPrefixUnaryExpression(parent) && !Node.isPostfixUnaryExpression(parent)) return false;
  const op = parent.getOperatorToken();
  return op === SyntaxKind.PlusPlusToken || op === SyntaxKind.MinusMinusToken;
}

function mutate(at: Node): Use {
  return { kind: "mutate", at, how: snippet(at) };
}

function undecided(at: Node, cause: UndecidedCause, why: string): Use {
  return { kind: "undecided", at, cause, why };
}
