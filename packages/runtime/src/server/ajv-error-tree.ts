/**
 * Ajv (with allErrors) reports a failed `anyOf`/`oneOf` as the errors of every
 * branch followed by one error for the union itself. This regroups that flat
 * list: each union error gets the errors of its branches, split per branch, so
 * a union can be reported once, by its closest branch.
 */
import type { AjvErrorLike } from "./types.js";

export interface ErrorNode {
  error: AjvErrorLike;
  /** For a failed union: its branches' errors (nested unions already grouped), in Ajv's order. */
  children?: ErrorNode[];
}

/** The errors of one branch of a union, as far as they can be told apart. */
export interface BranchErrors {
  nodes: ErrorNode[];
  /** The branch's index in the union when the errors say it. */
  branch?: number;
  /** How it was told apart: by the union's schema path, a definition's name, or neither. */
  by: "index" | "definition" | "order";
  /** For `order`: the definitions its errors came from ("#/$defs/X", or "#" for a separately compiled one). */
  sources: Set<string>;
}

const UNIONS = new Set(["anyOf", "oneOf"]);

/** True when JSON Pointer `pointer` is `base` or below it. */
export function isAtOrBelow(pointer: string, base: string): boolean {
  return pointer === base || base === "" || pointer.startsWith(`${base}/`);
}

/**
 * Flat errors → a forest: a union error adopts the run of errors just before
 * it that lie at or below its place in the value (its branches ran last).
 */
export function errorTree(errors: readonly AjvErrorLike[]): ErrorNode[] {
  const stack: ErrorNode[] = [];
  for (const error of errors) {
    if (!UNIONS.has(error.keyword)) {
      stack.push({ error });
      continue;
    }
    let start = stack.length;
    while (start > 0 && isAtOrBelow(stack[start - 1]!.error.instancePath ?? "", error.instancePath ?? "")) start--;
    stack.push({ error, children: stack.splice(start) });
  }
  return stack;
}

/**
 * A union's errors, split by branch. Errors of an inline branch carry the
 * union's schema path plus the branch index; errors of a `$ref` branch carry
 * the definition's path instead ("#/$defs/X/…"), or — when Ajv compiled the
 * definition separately (it has refs itself) — a path relative to it ("#/…").
 * `branchOfDefinition` maps a definition's name to its branch when the schema is known.
 */
export function splitBranches(
  union: ErrorNode,
  branchOfDefinition: (name: string) => number | undefined = () => undefined,
): BranchErrors[] {
  const prefix = `${union.error.schemaPath ?? ""}/`;
  const groups: BranchErrors[] = [];
  for (const node of union.children ?? []) {
    const path = node.error.schemaPath ?? "";
    const current = groups[groups.length - 1];
    if (path.startsWith(prefix)) {
      const end = path.indexOf("/", prefix.length);
      const branch = Number(path.slice(prefix.length, end === -1 ? undefined : end));
      if (current?.by === "index" && current.branch === branch) current.nodes.push(node);
      else groups.push({ nodes: [node], branch, by: "index", sources: new Set() });
      continue;
    }
    const source = /^#\/\$defs\/[^/]+/.exec(path)?.[0] ?? "#";
    const definition = source === "#" ? undefined : decodeSegment(source.slice("#/$defs/".length));
    const branch = definition === undefined ? undefined : branchOfDefinition(definition);
    if (branch !== undefined) {
      if (current?.by === "definition" && current.branch === branch) current.nodes.push(node);
      else groups.push({ nodes: [node], branch, by: "definition", sources: new Set([source]) });
    } else if (current && continues(current, source)) {
      current.nodes.push(node);
      current.sources.add(source);
    } else {
      groups.push({ nodes: [node], by: "order", sources: new Set([source]) });
    }
  }
  return groups;
}

/**
 * Gives groups that did not tell their branch one by position, where that is
 * certain: every branch of a failed union reported something, in order, so
 * when the groups between two known branches p and q number q - p - 1, they
 * are the branches in between. `count` is the number of branches in the schema.
 */
export function numberByOrder(groups: readonly BranchErrors[], count: number): void {
  let previous = -1;
  let runStart = 0;
  for (let i = 0; i <= groups.length; i++) {
    const known = i === groups.length ? count : groups[i]!.branch;
    if (known === undefined) continue;
    const run = groups.slice(runStart, i);
    if (run.length > 0 && run.length === known - previous - 1) run.forEach((group, k) => (group.branch = previous + 1 + k));
    previous = known;
    runStart = i + 1;
  }
}

/** Whether an error from `source` (not telling its branch) still belongs to the branch before it. */
function continues(current: BranchErrors, source: string): boolean {
  // Inside an inline branch: a definition it refers to.
  if (current.by === "index") return true;
  // An inlined definition has no refs, so nothing after it is inside it.
  if (current.by === "definition") return false;
  // A separately compiled definition may inline others; a run of one inlined definition is one branch.
  return current.sources.has("#") || current.sources.has(source);
}

function decodeSegment(segment: string): string {
  return segment.replace(/~1/g, "/").replace(/~0/g, "~");
}
