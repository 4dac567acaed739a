import { Node } from "ts-morph";
import type { JSDoc } from "ts-morph";
import type { FunctionDocs } from "./types.js";

/** The JSDoc of a declaration as plain text: description, `@param` and `@returns` texts, `@deprecated`. */
export function docsOf(declaration: Node): FunctionDocs {
  const docs: JSDoc[] = Node.isJSDocable(declaration) ? declaration.getJsDocs() : [];
  const result: FunctionDocs = { params: {} };
  const description = docs.map((d) => d.getDescription().trim()).filter(Boolean).join("\n\n");
  if (description) result.description = description;
  for (const tag of docs.flatMap((d) => d.getTags())) {
    if (Node.isJSDocParameterTag(tag)) {
      const text = (tag.getCommentText() ?? "").replace(/^\s*-\s*/, "").trim();
      if (text) setParamDoc(result, tag.getName(), text);
    } else if (Node.isJSDocReturnTag(tag)) {
      const text = (tag.getCommentText() ?? "").trim();
      if (text) result.returns = text;
    } else if (tag.getTagName() === "deprecated") {
      result.deprecated = true;
    }
  }
  return result;
}

/**
 * The docs of an overloaded function's one route (OpenAPI): TypeScript users
 * document the overloads and rarely the implementation, which callers never
 * see. So what the implementation's JSDoc says wins, and the rest comes from
 * the overloads: their descriptions as paragraphs, their `@returns` texts
 * joined, the `@param` text of an implementation parameter from the first
 * overload with a parameter of that name. Deprecated when the implementation
 * is, or every overload is.
 */
export function overloadGroupDocs(implementation: FunctionDocs, overloads: readonly FunctionDocs[], paramNames: readonly string[]): FunctionDocs {
  const distinct = (texts: (string | undefined)[]): string[] => [...new Set(texts.filter((t): t is string => !!t))];
  const result: FunctionDocs = { params: {} };
  for (const name of paramNames) {
    const text = paramDoc(implementation, name) ?? overloads.map((o) => paramDoc(o, name)).find((t) => t !== undefined);
    if (text) setParamDoc(result, name, text);
  }
  const description = implementation.description ?? (distinct(overloads.map((o) => o.description)).join("\n\n") || undefined);
  if (description) result.description = description;
  const returns = implementation.returns ?? (distinct(overloads.map((o) => o.returns)).join("; or ") || undefined);
  if (returns) result.returns = returns;
  if (implementation.deprecated || (overloads.length > 0 && overloads.every((o) => o.deprecated))) result.deprecated = true;
  return result;
}

/**
 * The `@param` text of a parameter. Parameter names are the user's: `constructor` or
 * `toString` must not find Object.prototype's members, nor `__proto__` set a prototype.
 */
export function paramDoc(docs: FunctionDocs, name: string): string | undefined {
  return Object.hasOwn(docs.params, name) ? docs.params[name] : undefined;
}

function setParamDoc(docs: FunctionDocs, name: string, text: string): void {
  Object.defineProperty(docs.params, name, { value: text, enumerable: true, writable: true, configurable: true });
}
