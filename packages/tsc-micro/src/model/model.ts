import path from "node:path";
import { Node, ts } from "ts-morph";
import type { Project, Type } from "ts-morph";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { TaggedFunction } from "../scan/types.js";
import type { ServiceFunctionNode } from "../ast/function-like.js";
import type { ComponentIR, FunctionModel, ParameterModel, TypeIR } from "./ir.js";
import { TypeConverter } from "./type-to-ir.js";

export interface ModelResult {
  functions: Record<string, FunctionModel>;
  components: Record<string, ComponentIR>;
  diagnostics: Diagnostic[];
}

/**
 * Phase 2: derives each tagged function's wire signature from its TypeScript
 * types. Input: the scan's tagged functions (located by file and offset).
 */
export function model(project: Project, rootDir: string, functions: readonly TaggedFunction[]): ModelResult {
  const converter = new TypeConverter(project, rootDir);
  const models: Record<string, FunctionModel> = {};
  for (const fn of functions) {
    const node = findFunction(project, rootDir, fn);
    models[fn.id] = {
      id: fn.id,
      params: parameters(converter, node, fn),
      result: result(converter, node, fn),
    };
  }
  return { functions: models, components: converter.components, diagnostics: converter.diagnostics };
}

function findFunction(project: Project, rootDir: string, fn: TaggedFunction): ServiceFunctionNode {
  const sourceFile = project.getSourceFileOrThrow(path.join(rootDir, fn.file));
  const start = Number(fn.id.slice(fn.id.lastIndexOf(":") + 1));
  const found = sourceFile.getFirstDescendant(
    (n) => n.getStart() === start && (Node.isFunctionDeclaration(n) || Node.isArrowFunction(n) || Node.isFunctionExpression(n)),
  );
  if (!found) throw new Error(`tsc-micro bug: no function at ${fn.id}`);
  return found as ServiceFunctionNode;
}

function parameters(converter: TypeConverter, node: ServiceFunctionNode, fn: TaggedFunction): ParameterModel[] {
  const byName = new Map(node.getParameters().map((p) => [p.getName(), p]));
  return fn.params.map((p) => {
    const decl = byName.get(p.name)!;
    const at = decl.getTypeNode() ?? decl;
    const param: ParameterModel = {
      name: p.name,
      optional: p.optional,
      type: converter.convert(decl.getType(), p.name, at, fn.name, p.optional),
    };
    const description = fn.docs.params[p.name];
    if (description) param.description = description;
    return param;
  });
}

function result(converter: TypeConverter, node: ServiceFunctionNode, fn: TaggedFunction): TypeIR | null {
  const returnType = unwrapPromise(node.getReturnType());
  const flags = returnType.getFlags();
  if (flags & (ts.TypeFlags.Void | ts.TypeFlags.Undefined)) return null;
  const at = node.getReturnTypeNode() ?? (Node.isFunctionDeclaration(node) ? node.getNameNode() ?? node : node);
  return converter.convert(returnType, "result", at, fn.name);
}

/** `Promise<T>` (what an async function returns) → `T`: the client is async either way. */
function unwrapPromise(type: Type): Type {
  const symbol = type.getSymbol();
  if (symbol?.getName() === "Promise" && type.getTypeArguments().length === 1) return type.getTypeArguments()[0]!;
  return type;
}
