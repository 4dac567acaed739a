import { Node } from "ts-morph";
import type { FunctionDeclaration } from "ts-morph";
import { DiagnosticCode, error } from "../diagnostics/diagnostic.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { functionId } from "../ast/function-like.js";
import { locate } from "../ast/locate.js";
import { docsOf } from "./function-docs.js";
import type { ScannedOverload, ScannedParameter } from "./types.js";

/**
 * The declarations that make one function, in source order: an overloaded
 * function's overload signatures and then its implementation; any other node
 * on its own. The `@microservice` tag may be on any of them, once.
 */
export function declarationGroup(node: Node): Node[] {
  if (!Node.isFunctionDeclaration(node)) return [node];
  const implementation = node.hasBody() ? node : node.getImplementation();
  return implementation ? [...implementation.getOverloads(), implementation] : [node];
}

/**
 * The overload signatures of a tagged function as the client's typings declare
 * them. Their parameter names are theirs: the client passes a call's arguments
 * by position, under the implementation's names (`implementation`). A rest
 * parameter has no position to map to, so it is a diagnostic.
 */
export function scanOverloads(
  rootDir: string,
  file: string,
  name: string,
  overloads: readonly FunctionDeclaration[],
  implementation: readonly ScannedParameter[],
  diagnostics: Diagnostic[],
): ScannedOverload[] {
  return overloads.map((overload, index) => {
    const params: ScannedParameter[] = [];
    for (const p of overload.getParameters()) {
      const nameNode = p.getNameNode();
      if (nameNode.getText() === "this") continue;
      if (p.isRestParameter()) {
        diagnostics.push(
          error(
            DiagnosticCode.UnsupportedParameter,
            `Rest parameter '...${nameNode.getText()}' of overload ${index + 1} of '${name}' is not supported: the client passes a call's arguments by position, onto the implementation's parameters.`,
            locate(rootDir, p),
            "Declare the overload with the parameters it takes, each named (optional ones with '?').",
          ),
        );
        continue;
      }
      // A destructured parameter (legal in a signature) shows under the implementation's name.
      const own = Node.isIdentifier(nameNode) ? nameNode.getText() : (implementation[params.length]?.name ?? `arg${params.length}`);
      params.push({ name: own, optional: p.isOptional() });
    }
    return { id: functionId(file, overload), params, docs: docsOf(overload) };
  });
}
