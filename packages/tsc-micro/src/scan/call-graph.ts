import { Node, SyntaxKind, VariableDeclarationKind } from "ts-morph";
import type { CallExpression, Identifier, SourceFile, Symbol as MorphSymbol, VariableDeclaration } from "ts-morph";
import { functionId, functionOfDeclaration, isFunctionScope, unwrapExpression } from "../ast/function-like.js";
import { relativeFile } from "../ast/locate.js";
import { compoundsAround } from "../ast/compound-assignment.js";
import { importNamesInUse } from "../ast/fresh-names.js";
import type { ArrayCallSite, CallContext, CompoundAssignment, ContextKind, Reference } from "./types.js";

/**
 * Builds the program's call graph as plain data: every place a function of the
 * program is called or used as a value, and the scope (function or module top
 * level) it sits in. The plan phase decides from this alone which calls become
 * network calls and which functions must become async.
 *
 * Only identifiers whose text is the name of some program function are
 * resolved through the type checker, which keeps this linear in practice.
 */
export function buildCallGraph(
  rootDir: string,
  sourceFiles: readonly SourceFile[],
  // The names of the whole program's functions, when `sourceFiles` is only part of it (incremental/ rescans one file).
  names: ReadonlySet<string> = functionNames(sourceFiles),
): { contexts: Record<string, CallContext>; references: Reference[]; namesInUse: Record<string, string[]> } {
  const contexts: Record<string, CallContext> = {};
  const references: Reference[] = [];
  const namesInUse: Record<string, string[]> = {};
  for (const sourceFile of sourceFiles) {
    const file = relativeFile(rootDir, sourceFile);
    const inUse = importNamesInUse(sourceFile);
    if (inUse.length > 0) namesInUse[file] = inUse;
    sourceFile.forEachDescendant((node) => {
      if (!Node.isIdentifier(node) || !names.has(node.getText())) return;
      const ref = referenceAt(rootDir, file, node, contexts);
      if (ref) references.push(ref);
    });
  }
  return { contexts, references, namesInUse };
}

/**
 * Names of everything callable the program declares, at any depth: functions,
 * `const f = () => …`, classes (their members run when the class is used) and
 * methods. Only identifiers with one of these names are worth resolving.
 */
export function functionNames(sourceFiles: readonly SourceFile[]): Set<string> {
  const names = new Set<string>();
  for (const sf of sourceFiles) {
    sf.forEachDescendant((node) => {
      if (Node.isFunctionDeclaration(node) || Node.isClassDeclaration(node) || Node.isMethodDeclaration(node)) {
        const n = node.getName();
        if (n) names.add(n);
      } else if (Node.isVariableDeclaration(node) && (functionOfDeclaration(node) || aliasedIdentifier(node))) {
        names.add(node.getName());
      } else if (Node.isImportSpecifier(node) && node.getAliasNode()) {
        // `import { probe as recordStep }`: calls use the local name.
        names.add(node.getAliasNode()!.getText());
      } else if (Node.isImportClause(node) && node.getDefaultImport()) {
        names.add(node.getDefaultImport()!.getText());
      } else if (Node.isExportSpecifier(node) && node.getAliasNode()) {
        // `export { triple as thrice }`: importers call `thrice(…)` or `ns.thrice(…)`.
        names.add(node.getAliasNode()!.getText());
      }
    });
  }
  // `ns.default(…)` through a namespace import of a module with a default export.
  names.add("default");
  return names;
}

function referenceAt(rootDir: string, file: string, id: Identifier, contexts: Record<string, CallContext>): Reference | undefined {
  const parent = id.getParent();
  if (!parent) return undefined;
  // Declarations, imports and exports name a function without using it.
  if (
    Node.isImportSpecifier(parent) ||
    Node.isImportClause(parent) ||
    Node.isExportSpecifier(parent) ||
    Node.isNamespaceImport(parent) ||
    ((Node.isFunctionDeclaration(parent) || Node.isVariableDeclaration(parent) || Node.isClassDeclaration(parent) || Node.isMethodDeclaration(parent)) && parent.getNameNode() === id) ||
    Node.isTypeReference(parent) ||
    Node.isTypeQuery(parent) ||
    Node.isJSDoc(parent)
  ) {
    return undefined;
  }
  // `export default f;` (or `export = f`) names the function for importers: their calls are
  // resolved through the import to the function itself, so the export is not a use of the value.
  if (isExportAssignmentOf(id)) return undefined;
  // `export const alias = f;` likewise: calls through `alias` resolve to `f` itself (see resolveFunction).
  if (isAliasOf(id)) return undefined;
  // Only `f` or `ns.f` (the name part) refer to the function.
  if (Node.isPropertyAccessExpression(parent) && parent.getNameNode() !== id) return undefined;
  if (Node.isPropertyAssignment(parent) && parent.getNameNode() === id) return undefined;
  const target = resolveFunction(id.getSymbol());
  if (!target) return undefined;
  const calleeFile = relativeFile(rootDir, target.getSourceFile());
  if (calleeFile.startsWith("..") || target.getSourceFile().isDeclarationFile()) return undefined;
  const calleeId = functionId(calleeFile, target);
  const calleeExpr = Node.isPropertyAccessExpression(parent) ? parent : id;
  const exprParent = calleeExpr.getParent();
  const isCall = !!exprParent && Node.isCallExpression(exprParent) && exprParent.getExpression() === calleeExpr;
  const site = isCall ? exprParent! : calleeExpr;
  const context = contextOf(file, site, contexts);
  const { line, column } = id.getSourceFile().getLineAndColumnAtPos(site.getStart());
  const arrayCall = !isCall && exprParent && Node.isCallExpression(exprParent) ? arrayCallSite(file, exprParent, calleeExpr, contexts) : undefined;
  return {
    ...(arrayCall ? { arrayCallback: arrayCall } : {}),
    file,
    calleeId,
    contextId: context.id,
    kind: isCall ? "call" : "value",
    start: site.getStart(),
    end: site.getEnd(),
    calleeStart: calleeExpr.getStart(),
    calleeEnd: calleeExpr.getEnd(),
    awaited: isCall && Node.isAwaitExpression(unparen(site.getParent())),
    ...(site.getFirstAncestor((n) => Node.isParameterDeclaration(n) || isFunctionScope(n)) && Node.isParameterDeclaration(site.getFirstAncestor((n) => Node.isParameterDeclaration(n) || isFunctionScope(n))!) ? { inParameter: true } : {}),
    ...compoundsOf(site),
    line,
    column,
  };
}

/** `export default f;`, `export default (f as typeof f);`, `export = f;`: the identifier is what is exported. */
function isExportAssignmentOf(id: Identifier): boolean {
  let node: Node = id;
  let parent = node.getParent();
  while (parent && unwrapExpression(parent) !== parent) {
    node = parent;
    parent = node.getParent();
  }
  return !!parent && Node.isExportAssignment(parent) && parent.getExpression() === node;
}

/** The compound assignments a call that becomes awaited must then read after the await. */
function compoundsOf(site: Node): { compounds?: CompoundAssignment[] } {
  const compounds = compoundsAround(site);
  return compounds.length > 0 ? { compounds } : {};
}

function unparen(node: Node | undefined): Node | undefined {
  let n = node;
  while (n && Node.isParenthesizedExpression(n)) n = n.getParent();
  return n;
}

/**
 * The function node a symbol (possibly an import alias, or a `const alias = f`
 * export alias) stands for, if it is a program function.
 */
function resolveFunction(symbol: MorphSymbol | undefined, seen = new Set<MorphSymbol>()): Node | undefined {
  if (!symbol || seen.has(symbol)) return undefined;
  seen.add(symbol);
  const resolved = symbol.isAlias() ? symbol.getAliasedSymbol() ?? symbol : symbol;
  for (const decl of resolved.getDeclarations()) {
    const fn = functionOfDeclaration(decl);
    if (fn) return fn;
    if (Node.isClassDeclaration(decl)) return decl;
    if (Node.isMethodDeclaration(decl) && decl.hasBody()) return decl;
    const aliased = Node.isVariableDeclaration(decl) ? aliasedIdentifier(decl) : undefined;
    if (aliased) return resolveFunction(aliased.getSymbol(), seen);
  }
  return undefined;
}

/**
 * `export const alias = f;` at a module's top level: a `const` initialised with
 * a bare name (through parentheses, `as`, `satisfies`) is another name for `f`,
 * like `export { f as alias }` — it can never be reassigned, so a call through
 * it is a call of `f`. The identifier `f`, or undefined for any other declaration.
 */
function aliasedIdentifier(decl: VariableDeclaration): Identifier | undefined {
  const list = decl.getParent();
  const statement = list?.getParent();
  if (!list || !Node.isVariableDeclarationList(list) || list.getDeclarationKind() !== VariableDeclarationKind.Const) return undefined;
  if (!statement || !Node.isVariableStatement(statement) || !Node.isSourceFile(statement.getParent())) return undefined;
  if (!Node.isIdentifier(decl.getNameNode())) return undefined;
  const init = unwrapExpression(decl.getInitializer());
  return init && Node.isIdentifier(init) ? init : undefined;
}

/** The `f` of `const alias = f;` when `f` is a program function: a name, not a use of the value. */
function isAliasOf(id: Identifier): boolean {
  let decl: Node | undefined = id.getParent();
  while (decl && unwrapExpression(decl) !== decl) decl = decl.getParent();
  if (!decl || !Node.isVariableDeclaration(decl) || aliasedIdentifier(decl) !== id) return false;
  return resolveFunction(id.getSymbol()) !== undefined;
}

/** The scope a node sits in, recorded in `contexts` on first sight. */
function contextOf(file: string, node: Node, contexts: Record<string, CallContext>): CallContext {
  const scope = enclosingScope(node);
  if (!scope) {
    const id = `${file}:module`;
    return (contexts[id] ??= moduleContext(file, id));
  }
  const id = functionId(file, scope);
  const known = contexts[id];
  if (known) return known;
  const context = describeScope(file, id, scope, contexts);
  // A class member's parent is its class, so that using the class reaches its members.
  const cls = scope.getFirstAncestor((n) => isFunctionScope(n) || Node.isPropertyDeclaration(n) || Node.isClassDeclaration(n));
  context.parentId = cls && Node.isClassDeclaration(cls) ? functionId(file, cls) : contextOf(file, scope, contexts).id;
  return (contexts[id] = context);
}

/** The nearest enclosing function (or class field), or undefined at a module's top level. */
function enclosingScope(node: Node): Node | undefined {
  let scope: Node | undefined = node.getParent();
  while (scope && !isFunctionScope(scope) && !Node.isPropertyDeclaration(scope) && !Node.isSourceFile(scope)) {
    scope = scope.getParent();
  }
  return scope && !Node.isSourceFile(scope) ? scope : undefined;
}

function moduleContext(file: string, id: string): CallContext {
  return { id, file, kind: "module", name: "module top level", isAsync: true, isGenerator: false, line: 1, column: 1, start: 0, length: 0 };
}

function describeScope(file: string, id: string, scope: Node, contexts: Record<string, CallContext>): CallContext {
  const sf = scope.getSourceFile();
  const start = scope.getStart();
  const { line, column } = sf.getLineAndColumnAtPos(start);
  const base = { id, file, line, column, start, length: Math.min(scope.getWidth(), firstLineLength(scope)) };
  const kind = kindOf(scope);
  const isAsync = Node.isAsyncable(scope) ? scope.isAsync() : false;
  const isGenerator = Node.isGeneratorable(scope) ? scope.isGenerator() : false;
  const context: CallContext = { ...base, kind, name: nameOf(scope), isAsync, isGenerator };
  const asyncAt = asyncInsertPosition(scope);
  if (asyncAt !== undefined) context.asyncAt = asyncAt;
  if (Node.isReturnTyped(scope)) {
    const rt = scope.getReturnTypeNode();
    if (rt) {
      context.returnType = { start: rt.getStart(), end: rt.getEnd(), text: rt.getText() };
      if (Node.isTypePredicate(rt)) context.returnType.predicate = rt.hasAssertsModifier() ? "assertion" : "type";
    }
  }
  if (Node.isArrowFunction(scope) || Node.isFunctionExpression(scope)) describeFunctionValue(file, scope, context, contexts);
  return context;
}

/**
 * How an arrow or function expression is used decides what happens when it
 * must become async: a callback (array methods are rewritten, promise
 * callbacks need nothing, others are diagnostics), an immediately invoked
 * function (its call gets an `await`), a `const` initialiser (its callers are
 * found by name), or a value flowing elsewhere (a diagnostic).
 */
function describeFunctionValue(file: string, scope: Node, context: CallContext, contexts: Record<string, CallContext>): void {
  let outer: Node = scope;
  while (outer.getParent() && Node.isParenthesizedExpression(outer.getParent()!)) outer = outer.getParent()!;
  const parent = outer.getParent();
  if (parent && Node.isCallExpression(parent) && parent.getExpression() === outer) {
    const { line, column } = parent.getSourceFile().getLineAndColumnAtPos(parent.getStart());
    context.iife = { file, start: parent.getStart(), end: parent.getEnd(), contextId: contextOf(file, parent, contexts).id, line, column, ...compoundsOf(parent) };
  } else if (parent && Node.isCallExpression(parent)) {
    const callee = parent.getExpression();
    context.callbackOf = callee.getText();
    const site = arrayCallSite(file, parent, outer, contexts);
    if (site) context.arrayCallback = site;
    // `p.then(async …)` awaits what the callback returns: nothing else to rewrite.
    if (Node.isPropertyAccessExpression(callee) && ["then", "catch", "finally"].includes(callee.getName()) && callee.getExpression().getType().getProperty("then")) {
      context.promiseCallback = true;
    }
  } else if (parent && Node.isNewExpression(parent)) {
    context.callbackOf = `new ${parent.getExpression().getText()}`;
  } else if (!(parent && Node.isVariableDeclaration(parent))) {
    context.escapes = true;
  }
}

/** Array methods whose callback can become async (see @tsc-micro/runtime/async). */
const ARRAY_METHODS = new Set(["map", "flatMap", "filter", "forEach", "some", "every", "find", "findIndex", "findLast", "findLastIndex", "reduce"]);

/** `xs.map(arg, …)` on an array or tuple, `arg` first: where the rewrite to an awaited helper applies. */
function arrayCallSite(file: string, call: CallExpression, arg: Node, contexts: Record<string, CallContext>): ArrayCallSite | undefined {
  const callee = call.getExpression();
  if (!Node.isPropertyAccessExpression(callee)) return undefined;
  if (!ARRAY_METHODS.has(callee.getName()) || call.getArguments()[0] !== arg) return undefined;
  // `xs?.map(…)`: the helpers answer undefined for a missing array, as the optional call would.
  const receiver = callee.getExpression().getType().getNonNullableType();
  if (!receiver.isArray() && !receiver.isTuple()) return undefined;
  const { line, column } = call.getSourceFile().getLineAndColumnAtPos(call.getStart());
  return {
    method: callee.getName(),
    callStart: call.getStart(),
    callEnd: call.getEnd(),
    receiverEnd: callee.getExpression().getEnd(),
    firstArgStart: arg.getStart(),
    contextId: contextOf(file, call, contexts).id,
    ...compoundsOf(call),
    line,
    column,
  };
}

function kindOf(scope: Node): ContextKind {
  switch (scope.getKind()) {
    case SyntaxKind.FunctionDeclaration:
      return "function";
    case SyntaxKind.ArrowFunction:
      return "arrow";
    case SyntaxKind.FunctionExpression:
      return "function-expression";
    case SyntaxKind.MethodDeclaration:
      return "method";
    case SyntaxKind.Constructor:
      return "constructor";
    case SyntaxKind.GetAccessor:
      return "getter";
    case SyntaxKind.SetAccessor:
      return "setter";
    case SyntaxKind.ClassStaticBlockDeclaration:
      return "static-block";
    default:
      return "class-field";
  }
}

/** Where `async ` goes: before `function`, before an arrow's parameters, before a method's name. */
function asyncInsertPosition(scope: Node): number | undefined {
  if (Node.isFunctionDeclaration(scope) || Node.isFunctionExpression(scope)) {
    return scope.getFirstChildByKind(SyntaxKind.FunctionKeyword)?.getStart();
  }
  if (Node.isArrowFunction(scope)) {
    const first = scope.getTypeParameters()[0] ?? scope.getFirstChildByKind(SyntaxKind.OpenParenToken) ?? scope.getParameters()[0];
    return first?.getStart() ?? scope.getStart();
  }
  if (Node.isMethodDeclaration(scope)) return scope.getNameNode().getStart();
  return undefined;
}

function nameOf(scope: Node): string {
  if (Node.isFunctionDeclaration(scope)) return scope.getName() ?? "default";
  if (Node.isMethodDeclaration(scope) || Node.isGetAccessorDeclaration(scope) || Node.isSetAccessorDeclaration(scope)) {
    const cls = scope.getParent();
    const owner = cls && Node.isClassDeclaration(cls) ? `${cls.getName() ?? "<class>"}.` : "";
    return `${owner}${scope.getName()}`;
  }
  if (Node.isConstructorDeclaration(scope)) {
    const cls = scope.getParent();
    return `${cls && Node.isClassDeclaration(cls) ? cls.getName() ?? "<class>" : "<class>"} constructor`;
  }
  if (Node.isPropertyDeclaration(scope)) return `field ${scope.getName()}`;
  const parent = scope.getParent();
  if (parent && Node.isVariableDeclaration(parent)) return parent.getName();
  if (parent && Node.isCallExpression(parent)) return `callback of ${parent.getExpression().getText()}`;
  return "<anonymous function>";
}

function firstLineLength(node: Node): number {
  const text = node.getText();
  const nl = text.indexOf("\n");
  return nl < 0 ? text.length : nl;
}
