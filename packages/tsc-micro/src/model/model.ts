import path from "node:path";
import { Node, ts } from "ts-morph";
import type { FunctionDeclaration, ParameterDeclaration, Project, SourceFile, Type } from "ts-morph";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { paramDoc } from "../scan/function-docs.js";
import type { ScannedOverload, TaggedFunction } from "../scan/types.js";
import type { ServiceFunctionNode } from "../ast/function-like.js";
import type { ComponentIR, Constraints, FunctionModel, OverloadModel, ParameterModel, TypeIR } from "./ir.js";
import { isReservedKey, TypeConverter } from "./type-to-ir.js";
import type { ConverterOptions } from "./type-to-ir.js";

export interface ModelResult {
  functions: Record<string, FunctionModel>;
  components: Record<string, ComponentIR>;
  diagnostics: Diagnostic[];
}

export type ModelOptions = ConverterOptions;

/**
 * Phase 2: derives each tagged function's wire signature from its TypeScript
 * types. Input: the scan's tagged functions (located by file and offset).
 */
export function model(project: Project, rootDir: string, functions: readonly TaggedFunction[], options: ModelOptions = {}): ModelResult {
  const converter = new TypeConverter(project, rootDir, options);
  const models: Record<string, FunctionModel> = {};
  for (const fn of functions) {
    const node = findFunction(project, rootDir, fn);
    const modelled: FunctionModel = { id: fn.id, params: parameters(converter, node, fn), result: result(converter, node, fn.name) };
    if (fn.overloads) modelled.overloads = fn.overloads.map((o, i) => overload(converter, findOverload(project, rootDir, fn, o), o, `${fn.name} (overload ${i + 1})`));
    models[fn.id] = modelled;
  }
  converter.settleNames();
  return { functions: models, components: sortKeys(converter.components), diagnostics: converter.diagnostics };
}

function findFunction(project: Project, rootDir: string, fn: TaggedFunction): ServiceFunctionNode {
  const sourceFile = project.getSourceFileOrThrow(path.join(rootDir, fn.file));
  const start = Number(fn.id.slice(fn.id.lastIndexOf(":") + 1));
  const found = nodeStartingAt(sourceFile, start, (n) => Node.isFunctionDeclaration(n) || Node.isArrowFunction(n) || Node.isFunctionExpression(n));
  if (!found) throw new Error(`tsc-micro bug: no function at ${fn.id}`);
  return found as ServiceFunctionNode;
}

/** The overload signature a scanned overload stands for (its id is `file:start`, as a function's). */
function findOverload(project: Project, rootDir: string, fn: TaggedFunction, o: ScannedOverload): FunctionDeclaration {
  const sourceFile = project.getSourceFileOrThrow(path.join(rootDir, fn.file));
  const start = Number(o.id.slice(o.id.lastIndexOf(":") + 1));
  const found = nodeStartingAt(sourceFile, start, (n) => Node.isFunctionDeclaration(n));
  if (!found) throw new Error(`tsc-micro bug: no overload signature at ${o.id}`);
  return found as FunctionDeclaration;
}

/**
 * The outermost node that starts at `start` and passes `test`, as
 * getFirstDescendant would find it, but from the token there up through its
 * ancestors: walking the whole file for each function made the model
 * quadratic in the functions of a file. (Nodes starting at `start` all hold
 * that token, so they are all on its ancestor chain.)
 */
function nodeStartingAt(sourceFile: SourceFile, start: number, test: (n: Node) => boolean): Node | undefined {
  let found: Node | undefined;
  for (let n: Node | undefined = sourceFile.getDescendantAtPos(start); n && n.getStart() === start; n = n.getParent()) {
    if (test(n)) found = n;
  }
  return found ?? sourceFile.getFirstDescendant((n) => n.getStart() === start && test(n));
}

/**
 * An overload signature in the wire IR, so the client's typings can declare
 * it: its parameters (matched by position: the scan skipped `this` and
 * reported rest parameters) and its result. A type that cannot cross the wire
 * is reported at the overload that names it. Constraints and defaults belong
 * to the implementation's schema, not here.
 */
function overload(converter: TypeConverter, node: FunctionDeclaration, o: ScannedOverload, owner: string): OverloadModel {
  const decls = node.getParameters().filter((p) => p.getName() !== "this" && !p.isRestParameter());
  const params = o.params.map((p, i): ParameterModel => {
    const decl = decls[i]!;
    const param: ParameterModel = { name: p.name, optional: p.optional, type: converter.convert(decl.getType(), p.name, decl.getTypeNode() ?? decl, owner, p.optional) };
    const description = paramDoc(o.docs, p.name);
    if (description) param.description = description;
    return param;
  });
  return { params, result: result(converter, node, owner) };
}

function parameters(converter: TypeConverter, node: ServiceFunctionNode, fn: TaggedFunction): ParameterModel[] {
  const byName = new Map(node.getParameters().map((p) => [p.getName(), p]));
  return fn.params.map((p) => {
    const decl = byName.get(p.name)!;
    const at = decl.getTypeNode() ?? decl;
    // `b: T | undefined` takes a missing argument as the function sees it: undefined. On the wire, left out.
    const orUndefined = !p.optional && includesUndefined(decl.getType());
    const optional = p.optional || orUndefined;
    const type = converter.convert(decl.getType(), p.name, at, fn.name, optional);
    if (isReservedKey(p.name)) converter.reservedParameter(p.name, decl, fn.name);
    const param: ParameterModel = { name: p.name, optional, ...(orUndefined ? { orUndefined } : {}), type };
    const description = paramDoc(fn.docs, p.name);
    if (description) param.description = description;
    const constraints: Constraints = { ...converter.constraints(parameterTags(decl), type, p.name, decl, fn.name), ...defaultOf(decl) };
    if (Object.keys(constraints).length > 0) param.constraints = constraints;
    return param;
  });
}

function includesUndefined(type: Type): boolean {
  return type.isUnion() && type.getUnionTypes().some((t) => (t.getFlags() & ts.TypeFlags.Undefined) !== 0);
}

/** JSDoc written on the parameter itself: `f(/** @minimum 0 *\/ n: number)`. */
function parameterTags(decl: ParameterDeclaration): { name: string; text: string }[] {
  return ts
    .getJSDocTags(decl.compilerNode)
    .filter((t) => !ts.isJSDocParameterTag(t))
    .map((t) => ({ name: t.tagName.text, text: typeof t.comment === "string" ? t.comment : ts.getTextOfJSDocComment(t.comment) ?? "" }));
}

/** A literal default value (`times = 2`) is the schema's `default`; the function still applies it itself. */
function defaultOf(decl: ParameterDeclaration): Constraints {
  const init = decl.getInitializer();
  if (!init) return {};
  if (Node.isNumericLiteral(init) || Node.isStringLiteral(init) || Node.isNoSubstitutionTemplateLiteral(init)) return { default: init.getLiteralValue() };
  if (Node.isTrueLiteral(init) || Node.isFalseLiteral(init)) return { default: init.getLiteralValue() };
  if (Node.isNullLiteral(init)) return { default: null };
  if (Node.isPrefixUnaryExpression(init) && init.getOperatorToken() === ts.SyntaxKind.MinusToken && Node.isNumericLiteral(init.getOperand())) {
    return { default: -Number(init.getOperand().getText()) };
  }
  return {};
}

function result(converter: TypeConverter, node: ServiceFunctionNode, owner: string): TypeIR | null {
  const returnType = unwrapPromise(node.getReturnType());
  if (returnType.getFlags() & (ts.TypeFlags.Void | ts.TypeFlags.Undefined)) return null;
  const at = node.getReturnTypeNode() ?? (Node.isFunctionDeclaration(node) ? node.getNameNode() ?? node : node);
  return converter.convert(returnType, "result", at, owner);
}

/** `Promise<T>` (what an async function returns) → `T`: the client is async either way. */
function unwrapPromise(type: Type): Type {
  const symbol = type.getSymbol();
  if (symbol?.getName() === "Promise" && type.getTypeArguments().length === 1) return unwrapPromise(type.getTypeArguments()[0]!);
  return type;
}

/** By code units, not localeCompare: the order must be the same on every machine. Own keys only (`__proto__` included). */
function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
