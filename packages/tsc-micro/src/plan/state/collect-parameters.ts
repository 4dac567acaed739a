import { Node } from "ts-morph";
import type { SourceFile } from "ts-morph";
import { isFunctionScope } from "../../ast/function-like.js";
import { locate } from "../../ast/locate.js";
import type { TaggedFunction } from "../../scan/types.js";
import { classifyUse } from "./classify-use.js";
import type { Follow, Use } from "./classify-use.js";
import { nodeAt } from "./find-node.js";
import { usesOf } from "./local-uses.js";
import { mayHoldObject } from "./object-types.js";
import type { ParameterFacts } from "./types.js";

/**
 * What each service function does with its parameters: whether it changes an
 * argument's contents (`order.status = "PAID"`, `items.push(x)`, or a helper
 * that does), or passes it where the analysis cannot follow. A remote caller
 * gets none of those changes: the service works on a copy.
 */
export function collectParameters(
  rootDir: string,
  functions: readonly TaggedFunction[],
  sourceFileOf: (file: string) => SourceFile | undefined,
  follow: Follow,
): Record<string, ParameterFacts[]> {
  const out: Record<string, ParameterFacts[]> = {};
  for (const tagged of functions) {
    const sf = sourceFileOf(tagged.file);
    const start = Number(tagged.id.slice(tagged.id.lastIndexOf(":") + 1));
    const fn = sf && nodeAt(sf, start, (n): n is Node => isFunctionScope(n));
    if (!fn || !Node.isParametered(fn)) continue;
    out[tagged.id] = fn.getParameters().map((param, index) => {
      const facts: ParameterFacts = { name: param.getName(), index };
      const name = param.getNameNode();
      // A string or a number cannot be changed in place: the caller's copy is the same either way.
      if (!Node.isIdentifier(name) || !mayHoldObject(param.getType())) return facts;
      const own: Follow = { ...follow, seen: new Set([name]) };
      const uses = usesOf(name).map((use) => classifyUse(use, own));
      const change = uses.find((u): u is Extract<Use, { kind: "mutate" }> => u.kind === "mutate");
      // Returning the parameter hands the caller its own value back: no change to it.
      const open = uses.find((u): u is Extract<Use, { kind: "undecided" }> => u.kind === "undecided" && u.cause !== "returned");
      if (change) facts.change = { location: locate(rootDir, change.at), detail: change.how };
      else if (open) facts.undecided = { location: locate(rootDir, open.at), detail: open.why };
      return facts;
    });
  }
  return out;
}
