/**
 * Where a change is in the new build's source: the path (`order.items[].price`)
 * followed through the function's TypeScript types to the declaration of the
 * argument or property, as near to the end of the path as it exists (a removed
 * field points at its parent). The documents carry no source locations; the
 * check plans the current project, so the checker knows them.
 */
import path from "node:path";
import { Node } from "ts-morph";
import type { ArrowFunction, FunctionDeclaration, FunctionExpression, Project, Type } from "ts-morph";
import { locate } from "../ast/locate.js";
import type { Location } from "../diagnostics/diagnostic.js";
import type { TaggedFunction } from "../scan/types.js";
import type { Segment } from "./schema-path.js";

type FunctionNode = FunctionDeclaration | ArrowFunction | FunctionExpression;

export function locateChange(project: Project, rootDir: string, fn: TaggedFunction, position: string, segments: readonly Segment[]): Location {
  if (position !== "request" && position !== "response") return fn.location;
  const node = functionNode(project, rootDir, fn);
  if (!node) return fn.location;
  let at = fn.location;
  let type: Type;
  let rest = segments;
  if (position === "request") {
    const first = segments[0];
    const param = first && "prop" in first ? node.getParameters().find((p) => p.getName() === first.prop) : undefined;
    if (!param) return fn.location;
    at = locate(rootDir, param.getNameNode());
    type = param.getType();
    rest = segments.slice(1);
  } else {
    const declared = node.getReturnTypeNode();
    if (declared) at = locate(rootDir, declared);
    type = awaited(node.getReturnType());
  }
  for (const segment of rest) {
    const next = step(type, segment, node);
    if (!next) break;
    type = next.type;
    if (next.declaration) at = locate(rootDir, next.declaration);
  }
  return at;
}

/** The tagged function's node: the declaration (or arrow) whose start is in its id (`file:start`). */
function functionNode(project: Project, rootDir: string, fn: TaggedFunction): FunctionNode | undefined {
  const start = Number(fn.id.slice(fn.id.lastIndexOf(":") + 1));
  const sf = project.getSourceFile(path.join(rootDir, fn.file));
  let node: Node | undefined = sf?.getDescendantAtPos(start);
  while (node && !(node.getStart() === start && (Node.isFunctionDeclaration(node) || Node.isArrowFunction(node) || Node.isFunctionExpression(node)))) node = node.getParent();
  return node as FunctionNode | undefined;
}

function awaited(t: Type): Type {
  return t.getSymbol()?.getName() === "Promise" ? (t.getTypeArguments()[0] ?? t) : t;
}

/** One segment further into `type`: the property's (or element's) type, and its declaration when it has one. */
function step(type: Type, segment: Segment, at: Node): { type: Type; declaration?: Node } | undefined {
  const t = type.getNonNullableType();
  if ("prop" in segment) {
    const holder = t.isUnion() ? t.getUnionTypes().find((u) => u.getProperty(segment.prop)) : t;
    const prop = holder?.getProperty(segment.prop);
    if (!prop) return undefined;
    const declaration = prop.getDeclarations()[0];
    const name = declaration && (Node.isPropertySignature(declaration) || Node.isPropertyDeclaration(declaration) || Node.isPropertyAssignment(declaration)) ? declaration.getNameNode() : declaration;
    return { type: prop.getTypeAtLocation(at), ...(name ? { declaration: name } : {}) };
  }
  if ("items" in segment) {
    const element = t.getArrayElementType() ?? (["Set", "ReadonlySet", "ReadonlyArray"].includes(t.getSymbol()?.getName() ?? "") ? t.getTypeArguments()[0] : undefined);
    return element ? { type: element } : undefined;
  }
  if ("index" in segment) {
    const element = t.isTuple() ? t.getTupleElements()[segment.index] : undefined;
    return element ? { type: element } : undefined;
  }
  if ("rest" in segment) {
    const value = t.getStringIndexType();
    return value ? { type: value } : undefined;
  }
  if ("mapKey" in segment || "mapValue" in segment) {
    const args = ["Map", "ReadonlyMap"].includes(t.getSymbol()?.getName() ?? "") ? t.getTypeArguments() : [];
    const arg = args["mapKey" in segment ? 0 : 1];
    return arg ? { type: arg } : undefined;
  }
  if ("tag" in segment) {
    const member = t.getUnionTypes().find((u) => {
      const tag = u.getProperty(segment.tag)?.getTypeAtLocation(at);
      return tag?.isLiteral() && tag.getLiteralValue() === segment.value;
    });
    return member ? { type: member } : undefined;
  }
  return undefined;
}
