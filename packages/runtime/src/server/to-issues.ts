/**
 * Turns Ajv's errors into {@link ValidationIssue}s whose paths read like the
 * code the caller wrote ("user.tags[2]"), not like JSON Pointers: one issue
 * per failing field, a failed union summarised once (see union-issues.ts).
 */
import type { ValidationIssue } from "../errors.js";
import { errorTree, isAtOrBelow, numberByOrder, splitBranches } from "./ajv-error-tree.js";
import type { ErrorNode } from "./ajv-error-tree.js";
import { clip, formOf, literal, numberFormOf, numberText, oneOfText, patternText, wireFormIn } from "./form-text.js";
import type { Form } from "./form-text.js";
import { asSchema, branchesOf, deref, findSchemaAt, refName } from "./schema-lookup.js";
import type { Schema, SchemaSource } from "./schema-lookup.js";
import type { AjvErrorLike, ValidateFunction } from "./types.js";
import { unionIssues } from "./union-issues.js";
import type { BranchOutcome } from "./union-issues.js";

/** What, besides the errors, makes the issues readable. All optional. */
export interface IssueContext extends SchemaSource {
  /** The value that was validated: to tell a missing tag from a wrong one and find the closest forms. */
  data?: unknown;
}

/** Where nested unions are looked up: below `start` (the schemas of the value at `base`). */
interface Scope {
  context: IssueContext;
  start?: readonly unknown[];
  base: string;
  /** Unions already used by enclosing errors at the same place. */
  skip: ReadonlySet<Schema>;
}

/** Ajv errors → issues. `null`/`undefined` → no issues. */
export function toIssues(errors: ValidateFunction["errors"], context: IssueContext = {}): ValidationIssue[] {
  if (!errors) return [];
  const start = context.schema === undefined ? undefined : [context.schema];
  return mergeRepeats(issuesOf(errorTree(errors), { context, start, base: "", skip: new Set() }));
}

function issuesOf(nodes: readonly ErrorNode[], scope: Scope): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const node of nodes) {
    if (node.children) issues.push(...failedUnion(node, scope));
    else issues.push(leafIssue(node.error, scope));
  }
  return issues;
}

function failedUnion(node: ErrorNode, scope: Scope): ValidationIssue[] {
  const { error } = node;
  const at = error.instancePath ?? "";
  const path = pointerToPath(at);
  if (Array.isArray(error.params?.passingSchemas)) {
    const which = error.params.passingSchemas.map((i: number) => `form ${i + 1}`).join(" and ");
    return [{ path, rule: error.keyword, message: `must match exactly one form, but matches ${which}` }];
  }
  let union = lookUp(scope, at, (schema) => Array.isArray(schema[error.keyword]));
  let branches = branchesOf(union);
  let groups = splitBranches(node, (name) => branchOfDefinition(branches!, name));
  // Errors naming a branch the schema does not have: we found the wrong union, so go without.
  if (branches && groups.some((g) => g.branch !== undefined && g.branch >= branches!.length)) {
    union = branches = undefined;
    groups = splitBranches(node);
  }
  if (branches) numberByOrder(groups, branches.length);
  const outcomes = groups.map((group): BranchOutcome => {
    const branch = branches && group.branch !== undefined ? branches[group.branch] : undefined;
    const inner: Scope =
      branch !== undefined
        ? { context: scope.context, start: [branch], base: at, skip: new Set() }
        : { ...scope, skip: union ? new Set([...scope.skip, union]) : scope.skip };
    const here = group.nodes.filter((n) => (n.error.instancePath ?? "") === at).map((n) => n.error);
    return { branch: group.branch, issues: issuesOf(group.nodes, inner), wanted: wantedBy(here), firstRule: here[0]?.keyword };
  });
  const forms = branches?.map((branch) => formOf(branch, scope.context.definitions));
  const issues = unionIssues({ path, rule: error.keyword, forms, outcomes, value: valueAt(scope.context.data, at) });
  // A number's schema is two branches on the wire, one form to the caller: say it as one.
  const number = numberFormOf(union);
  if (number && issues.length === 1 && (issues[0]!.rule === "type" || issues[0]!.rule === "enum")) return [{ ...issues[0]!, message: numberText(number) }];
  return issues;
}

/** The branch that is a `$ref` to definition `name`, if exactly one is. */
function branchOfDefinition(branches: readonly unknown[] | undefined, name: string): number | undefined {
  const matches: number[] = [];
  branches?.forEach((branch, i) => {
    const ref = asSchema(branch)?.$ref;
    if (typeof ref === "string" && refName(ref) === name) matches.push(i);
  });
  return matches.length === 1 ? matches[0] : undefined;
}

/** The schema at `pointer` (below the scope's) that `wanted` picks, if the schema is at hand. */
function lookUp(scope: Scope, pointer: string, wanted: (schema: Schema) => boolean): Schema | undefined {
  if (!scope.start || !isAtOrBelow(pointer, scope.base)) return undefined;
  return findSchemaAt(scope.start, pointerSegments(pointer.slice(scope.base.length)), scope.context, wanted, scope.skip);
}

/** What a branch's errors at the union's own place say it wanted there. */
function wantedBy(here: readonly AjvErrorLike[]): Form | undefined {
  const params = (keyword: string) => here.find((e) => e.keyword === keyword)?.params;
  const constant = params("const");
  if (constant && "allowedValue" in constant) return formOf({ const: constant.allowedValue });
  const values = params("enum")?.allowedValues;
  if (Array.isArray(values)) return formOf({ enum: values });
  const pattern = params("pattern")?.pattern;
  if (typeof pattern === "string") return formOf({ pattern });
  const type = params("type")?.type;
  if (type !== undefined) return formOf({ type });
  return undefined;
}

function leafIssue(error: AjvErrorLike, scope: Scope): ValidationIssue {
  const at = error.instancePath ?? "";
  const base = pointerToPath(at);
  // The body's own properties are the function's arguments, so say
  // "argument" at the top level and "property" below it.
  const noun = base === "" ? "argument" : "property";
  const params = error.params ?? {};
  switch (error.keyword) {
    case "required":
      if (typeof params.missingProperty === "string") {
        return { path: appendKey(base, params.missingProperty), rule: "required", message: `missing ${noun}` };
      }
      break;
    case "additionalProperties":
      if (typeof params.additionalProperty === "string") {
        return { path: appendKey(base, params.additionalProperty), rule: "additionalProperties", message: `unknown ${noun}` };
      }
      break;
    case "discriminator":
      if (typeof params.tag === "string") return tagIssue(error, params.tag, scope);
      break;
    case "enum":
      if (Array.isArray(params.allowedValues)) {
        return { path: base, rule: "enum", message: oneOfText(params.allowedValues.map(literal), valueAt(scope.context.data, at), "values") };
      }
      break;
    case "const":
      if ("allowedValue" in params) return { path: base, rule: "const", message: `must be ${literal(params.allowedValue)}` };
      break;
    case "type":
      // A Date (bigint, bytes) sent as something else than a string: name its wire form, not just `string`.
      if (params.type === "string") {
        const wire = lookUp(scope, at, (schema) => wireFormIn(schema) !== undefined);
        if (wire) return { path: base, rule: "type", message: wireFormIn(wire)!.message };
      }
      break;
    case "pattern": {
      const text = typeof params.pattern === "string" ? patternText(params.pattern) : undefined;
      if (text) return { path: base, rule: "pattern", message: text };
      break;
    }
  }
  return { path: base, rule: error.keyword, message: error.message ?? "is invalid" };
}

/** A discriminated union's tag is missing or unknown: the issue is at the tag, naming the allowed ones. */
function tagIssue(error: AjvErrorLike, tag: string, scope: Scope): ValidationIssue {
  const at = error.instancePath ?? "";
  const path = appendKey(pointerToPath(at), tag);
  const holder = valueAt(scope.context.data, at);
  const missing = typeof holder === "object" && holder !== null ? !Object.hasOwn(holder, tag) : undefined;
  const union = lookUp(scope, at, (schema) => asSchema(schema.discriminator)?.propertyName === tag && Array.isArray(schema.oneOf));
  const tags = union ? tagsOf(union, tag, scope.context) : [];
  const prefix = missing ? "missing property; " : "";
  if (tags.length > 0) {
    return { path, rule: "discriminator", message: prefix + oneOfText(tags.map(literal), missing ? undefined : (holder as Record<string, unknown>)?.[tag], "tags") };
  }
  if (missing) return { path, rule: "discriminator", message: "missing property" };
  if (error.params.error === "mapping") return { path, rule: "discriminator", message: "is not one of the union's tags" };
  return { path, rule: "discriminator", message: missing === false ? "must be a string" : "missing, or not a string" };
}

/** The tag values of a discriminated union: its mapping's keys, or each member's constant. */
function tagsOf(union: Schema, tag: string, source: SchemaSource): unknown[] {
  const mapping = asSchema(asSchema(union.discriminator)?.mapping);
  if (mapping) return Object.keys(mapping);
  return (branchesOf(union) ?? []).flatMap((branch) => {
    const property = asSchema(asSchema(deref(branch, source.definitions)?.properties)?.[tag]);
    if (property && "const" in property) return [property.const];
    return Array.isArray(property?.enum) ? property.enum : [];
  });
}

/**
 * One issue per field and rule: a rule reported twice at one place (by two
 * enclosing schemas) is said once. Different rules stay apart, since clients
 * key on `rule` (a short username breaks both minLength and pattern).
 */
function mergeRepeats(issues: readonly ValidationIssue[]): ValidationIssue[] {
  const seen = new Map<string, ValidationIssue>();
  for (const issue of issues) {
    const key = JSON.stringify([issue.path, issue.rule]);
    const first = seen.get(key);
    if (!first) seen.set(key, { ...issue });
    else if (!first.message.split("; ").includes(issue.message)) first.message += `; ${issue.message}`;
  }
  return [...seen.values()];
}

/** The value at a JSON Pointer, or undefined. */
function valueAt(data: unknown, pointer: string): unknown {
  let value = data;
  for (const segment of pointerSegments(pointer)) {
    if (typeof value !== "object" || value === null || !Object.hasOwn(value, segment)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

/** "/a/0/b~1c" → ["a", "0", "b/c"]. */
function pointerSegments(pointer: string): string[] {
  if (pointer === "") return [];
  const segments = pointer.replace(/^\//, "").split("/");
  return pointer.includes("~") ? segments.map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~")) : segments;
}

// A union's branches all fail at the same place: the last answer is usually the next one.
let lastPointer = "";
let lastPath = "";

/** "/a/0/b" → "a[0].b"; "" → "". Decodes the JSON Pointer escapes ~1 and ~0. */
export function pointerToPath(pointer: string): string {
  if (pointer === lastPointer) return lastPath;
  let path = "";
  for (const segment of pointerSegments(pointer)) {
    path = /^(0|[1-9]\d*)$/.test(segment) ? `${path}[${segment}]` : appendKey(path, segment);
  }
  lastPointer = pointer;
  lastPath = path;
  return path;
}

/** Adds a property name: `.name` when it reads as an identifier, else `["a b"]`. */
function appendKey(path: string, key: string): string {
  if (/^[A-Za-z_$][\w$]*$/.test(key)) return path === "" ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

/** An issue path below a named root: ("result", "[3]") → "result[3]", ("result", "mean") → "result.mean". */
export function joinPath(root: string, path: string): string {
  if (path === "") return root;
  return path.startsWith("[") ? `${root}${path}` : `${root}.${path}`;
}

/**
 * "x: must be number; y: unknown argument" — one line for error messages,
 * naming at most `shown` issues in at most ~500 characters.
 */
export function describeIssues(issues: readonly ValidationIssue[], omitted = 0, shown = 3): string {
  const listed = clip(
    issues
      .slice(0, shown)
      .map((issue) => `${issue.path === "" ? "(body)" : issue.path}: ${issue.message}`)
      .join("; "),
    500,
  );
  const more = Math.max(0, issues.length - shown) + omitted;
  return more > 0 ? `${listed}; and ${more} more issue${more === 1 ? "" : "s"}` : listed;
}
