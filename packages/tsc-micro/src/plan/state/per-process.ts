import { Node } from "ts-morph";

/**
 * The JSDoc tag that says a module-level binding is meant to live once per
 * process (a memo cache, a connection pool): `/** @perProcess *\/` on its
 * declaration. The shared-state check then accepts it silently.
 */
export const PER_PROCESS_TAG = "perProcess";

/** True when the statement (or declaration) carries `@perProcess` in its JSDoc. */
export function hasPerProcessTag(node: Node): boolean {
  if (!Node.isJSDocable(node)) return false;
  return node.getJsDocs().some((doc) => doc.getTags().some((tag) => tag.getTagName() === PER_PROCESS_TAG));
}
