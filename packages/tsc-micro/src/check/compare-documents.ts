/**
 * Two builds' OpenAPI documents (their merged openapi.json) → the changes of
 * every function: removed, added or moved functions, then each one's request
 * and result schemas (diff-schemas.ts), each change judged by who it breaks:
 *
 * - a request must admit everything the previous one did (callers of the
 *   previous build keep sending it: a narrower request breaks them), and a
 *   wider one only breaks callers of the new build that reach a service still
 *   on the previous one (deploy the service first);
 * - a result must not admit more than the previous one did (callers of the
 *   previous build could not read it: breaking), and a narrower one only
 *   matters to callers of the new build answered by a previous instance.
 *
 * Pure: documents in, plain records out (locations are added by check.ts).
 */
import { isNode } from "./normalize.js";
import { diffSchemas } from "./diff-schemas.js";
import type { SchemaChange } from "./diff-schemas.js";
import { fragment, sameSchema } from "./fragment.js";
import { hintOf, messageOf } from "./messages.js";
import type { Particulars } from "./messages.js";
import type { Segment } from "./schema-path.js";
import type { Change, ChangeKind, Party } from "./types.js";

/** One function as a document describes it. */
export interface Operation {
  name: string;
  service: string;
  /** The request body's schema (an object of named arguments). */
  request: unknown;
  /** The 200 answer's schema, or null when the function returns nothing (204). */
  response: unknown;
}

/** A change with what check.ts needs to place it in the source and to word its diagnostic. */
export interface DocumentChange extends Omit<Change, "location"> {
  /** The path as segments, to find its declaration. */
  segments: Segment[];
  hint: string;
}

export interface CompareOptions {
  /** The previous build's exported error classes, when known (its dist/clients). */
  oldErrorClasses?: readonly string[];
  newErrorClasses?: readonly string[];
}

/** Every `POST /<function>` of a tsc-micro document, by function name. */
export function operationsOf(doc: unknown): Map<string, Operation> {
  const out = new Map<string, Operation>();
  const paths = isNode(doc) && isNode(doc.paths) ? doc.paths : {};
  for (const [route, item] of Object.entries(paths)) {
    if (!isNode(item) || !isNode(item.post)) continue;
    const op = item.post;
    const name = route.replace(/^\//, "");
    const service = serviceOf(op, item) ?? name;
    const body = at(op, ["requestBody", "content", "application/json", "schema"]);
    const responses = isNode(op.responses) ? op.responses : {};
    const result = "200" in responses ? at(responses, ["200", "content", "application/json", "schema"]) ?? true : null;
    out.set(name, { name, service, request: body ?? { type: "object", properties: {}, additionalProperties: false }, response: result });
  }
  return out;
}

/** The service an operation belongs to: its first tag (tsc-micro puts the service's own tag first), else its server's host. */
function serviceOf(op: Record<string, unknown>, item: Record<string, unknown>): string | undefined {
  if (Array.isArray(op.tags) && typeof op.tags[0] === "string") return op.tags[0];
  const servers = Array.isArray(item.servers) ? item.servers : [];
  const url = isNode(servers[0]) && typeof servers[0].url === "string" ? servers[0].url : undefined;
  return url ? /^\w+:\/\/([^:/]+)/.exec(url)?.[1] : undefined;
}

function at(node: unknown, keys: readonly string[]): unknown {
  let v = node;
  for (const k of keys) v = isNode(v) ? v[k] : undefined;
  return v;
}

export function compareDocuments(oldDoc: unknown, newDoc: unknown, options: CompareOptions = {}): DocumentChange[] {
  const before = operationsOf(oldDoc);
  const after = operationsOf(newDoc);
  const newServices = new Set([...after.values()].map((o) => o.service));
  const changes: DocumentChange[] = [];
  for (const name of [...new Set([...before.keys(), ...after.keys()])].sort(byCodePoint)) {
    const o = before.get(name);
    const n = after.get(name);
    if (o && !n) {
      const gone = !newServices.has(o.service);
      changes.push(make({ service: o.service, function: name, position: "function", path: "", kind: "function-removed", breaks: ["old-callers"], old: { service: o.service } }, [], gone ? " The whole service is gone." : ""));
      continue;
    }
    if (!o && n) {
      changes.push(make({ service: n.service, function: name, position: "function", path: "", kind: "function-added", breaks: ["new-callers"], new: { service: n.service } }));
      continue;
    }
    if (!o || !n) continue;
    if (o.service !== n.service) {
      changes.push(make({ service: n.service, function: name, position: "function", path: "", kind: "function-moved", breaks: ["old-callers", "new-callers"], old: o.service, new: n.service }));
    }
    changes.push(...requestChanges(o, n, oldDoc, newDoc));
    changes.push(...responseChanges(o, n, oldDoc, newDoc));
  }
  const current = new Set(options.newErrorClasses ?? []);
  for (const name of options.newErrorClasses ? [...(options.oldErrorClasses ?? [])].filter((c) => !current.has(c)).sort(byCodePoint) : []) {
    changes.push(make({ service: "", function: "", position: "errors", path: "", kind: "error-class-removed", breaks: ["old-callers"], old: name }));
  }
  return changes;
}

function requestChanges(o: Operation, n: Operation, oldDoc: unknown, newDoc: unknown): DocumentChange[] {
  const diff = diffSchemas(o.request, n.request, { oldRoot: oldDoc, newRoot: newDoc });
  const renames = renamedArguments(diff, o, n, oldDoc, newDoc);
  const out: DocumentChange[] = [];
  for (const c of diff) {
    const rename = renames.find((r) => r.added === c);
    if (rename) {
      out.push(make({ service: n.service, function: n.name, position: "request", path: c.path, kind: "argument-renamed", breaks: ["old-callers", "new-callers"], old: rename.from, new: rename.to }, c.segments));
      continue;
    }
    if (renames.some((r) => r.removed === c)) continue;
    const breaks: Party[] = [...(c.narrower ? (["old-callers"] as const) : []), ...(c.wider ? (["new-callers"] as const) : [])];
    out.push(fromSchemaChange(c, n, "request", breaks));
  }
  return out;
}

function responseChanges(o: Operation, n: Operation, oldDoc: unknown, newDoc: unknown): DocumentChange[] {
  const base = { service: n.service, function: n.name, position: "response" as const, path: "" };
  if (o.response !== null && n.response === null) return [make({ ...base, kind: "result-removed", breaks: ["old-callers"], old: fragment(o.response) })];
  if (o.response === null && n.response !== null) return [make({ ...base, kind: "result-added", breaks: ["new-callers"], new: fragment(n.response) })];
  if (o.response === null || n.response === null) return [];
  return diffSchemas(o.response, n.response, { oldRoot: oldDoc, newRoot: newDoc, open: true }).map((c) => {
    const breaks: Party[] = [...(c.wider ? (["old-callers"] as const) : []), ...(c.narrower ? (["new-callers"] as const) : [])];
    return fromSchemaChange(c, n, "response", breaks);
  });
}

/** A schema change named for where it is: `optional-argument-added` at a request's top, `required-property-added` deeper. */
function fromSchemaChange(c: SchemaChange, n: Operation, position: "request" | "response", breaks: Party[]): DocumentChange {
  const argument = position === "request" && c.segments.length === 1 && "prop" in c.segments[0]!;
  const kind = ((): ChangeKind => {
    switch (c.kind) {
      case "property-added":
        // Required: the previous build's values lack it (a request or an answer from a previous instance).
        return argument ? (c.narrower ? "required-argument-added" : "optional-argument-added") : c.narrower ? "required-property-added" : "optional-property-added";
      case "property-removed":
        return argument ? "argument-removed" : "property-removed";
      case "property-made-required":
        return argument ? "argument-made-required" : "property-made-required";
      case "property-made-optional":
        return argument ? "argument-made-optional" : "property-made-optional";
      default:
        return c.kind;
    }
  })();
  const particulars = { ...(c.values ? { values: c.values } : {}), ...(c.forms ? { forms: c.forms } : {}) };
  return make({ service: n.service, function: n.name, position, path: c.path, kind, breaks, ...(c.old !== undefined ? { old: c.old } : {}), ...(c.new !== undefined ? { new: c.new } : {}) }, c.segments, "", particulars);
}

/**
 * An argument removed and one added at the same position, with the same schema
 * and the same requiredness, is a rename: reported once, as one (breaking:
 * arguments travel by name).
 */
function renamedArguments(changes: readonly SchemaChange[], o: Operation, n: Operation, oldDoc: unknown, newDoc: unknown): { from: string; to: string; removed: SchemaChange; added: SchemaChange }[] {
  const oldProps = properties(o.request);
  const newProps = properties(n.request);
  const oldArgs = Object.keys(oldProps);
  const newArgs = Object.keys(newProps);
  const argument = (c: SchemaChange, kind: string) => (c.kind === kind && c.segments.length === 1 && "prop" in c.segments[0]! ? c.segments[0].prop : undefined);
  const out: { from: string; to: string; removed: SchemaChange; added: SchemaChange }[] = [];
  for (const removed of changes) {
    const from = argument(removed, "property-removed");
    if (from === undefined) continue;
    for (const added of changes) {
      const to = argument(added, "property-added");
      if (to === undefined || newArgs.indexOf(to) !== oldArgs.indexOf(from) || out.some((r) => r.added === added)) continue;
      if (required(o.request).has(from) !== required(n.request).has(to) || !sameSchema(oldProps[from], oldDoc, newProps[to], newDoc)) continue;
      out.push({ from, to, removed, added });
      break;
    }
  }
  return out;
}

function properties(schema: unknown): Record<string, unknown> {
  return isNode(schema) && isNode(schema.properties) ? schema.properties : {};
}

function required(schema: unknown): Set<unknown> {
  return new Set(isNode(schema) && Array.isArray(schema.required) ? schema.required : []);
}

function make(c: Omit<Change, "message" | "location" | "breaking">, segments: Segment[] = [], extra = "", particulars: Particulars = {}): DocumentChange {
  const full = { ...c, breaking: c.breaks.includes("old-callers") && c.kind !== "error-class-removed" };
  // Keys in one order whatever built the record, for --json readers and goldens.
  const ordered = {
    service: full.service,
    function: full.function,
    position: full.position,
    path: full.path,
    kind: full.kind,
    breaking: full.breaking,
    breaks: full.breaks,
    ...(full.old !== undefined ? { old: full.old } : {}),
    ...(full.new !== undefined ? { new: full.new } : {}),
  };
  return { ...ordered, message: messageOf(ordered, particulars) + extra, hint: hintOf(ordered), segments };
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
