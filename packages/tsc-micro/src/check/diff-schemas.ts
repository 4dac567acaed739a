/**
 * Both directions of a schema comparison at once: values of the previous
 * schema the new one refuses ("narrower"), and values of the new one the
 * previous refused ("wider"). A change found both ways (a type replaced)
 * is one change with both flags. Pure: two JSON Schemas (and the documents
 * their `$ref`s point into) in, plain records out.
 */
import { formatPath } from "./schema-path.js";
import type { Segment } from "./schema-path.js";
import { subSchema } from "./subset.js";
import type { Finding, Pass, PassContext } from "./subset.js";
import type { SchemaChangeKind } from "./types.js";

export interface SchemaChange {
  /** `order.items[].price`; empty for the whole schema. */
  path: string;
  segments: Segment[];
  kind: SchemaChangeKind;
  /** Some value the previous schema admits is refused by the new one. */
  narrower: boolean;
  /** Some value the new schema admits was refused by the previous one. */
  wider: boolean;
  old?: unknown;
  new?: unknown;
  /** The enum members at stake. */
  values?: unknown[];
  /** The wire forms (Date, Map…) of the previous and the new schema, when they differ. */
  forms?: [string | undefined, string | undefined];
}

export interface DiffOptions {
  /** The document the previous schema's `$ref`s resolve in (the previous openapi.json). */
  oldRoot: unknown;
  /** The document the new schema's `$ref`s resolve in. */
  newRoot: unknown;
  /**
   * Compare as results read by a client, which ignores keys it does not know:
   * a closed object then admits unknown keys on the reading side. Requests are
   * compared closed, as the services validate them.
   */
  open?: boolean;
}

export function diffSchemas(oldSchema: unknown, newSchema: unknown, options: DiffOptions): SchemaChange[] {
  const run = (pass: Pass, a: unknown, b: unknown, aRoot: unknown, bRoot: unknown): Finding[] => {
    const ctx: PassContext = { pass, aRoot, bRoot, open: options.open ?? false, findings: [], assumed: new Map() };
    subSchema(a, b, ctx, []);
    return ctx.findings;
  };
  const findings = [...run("narrower", oldSchema, newSchema, options.oldRoot, options.newRoot), ...run("wider", newSchema, oldSchema, options.newRoot, options.oldRoot)];
  const merged = new Map<string, SchemaChange>();
  for (const f of findings) {
    const path = formatPath(f.path);
    const key = `${path}\u0000${f.kind}`;
    const change = merged.get(key) ?? { path, segments: f.path, kind: f.kind, narrower: false, wider: false, ...(f.old !== undefined ? { old: f.old } : {}), ...(f.new !== undefined ? { new: f.new } : {}) };
    if (f.effect === "narrower") change.narrower = true;
    if (f.effect === "wider") change.wider = true;
    if (change.old === undefined && f.old !== undefined) change.old = f.old;
    if (change.new === undefined && f.new !== undefined) change.new = f.new;
    if (f.forms && !change.forms) change.forms = f.forms;
    if (f.values) change.values = [...(change.values ?? []), ...f.values.filter((v) => !(change.values ?? []).some((w) => JSON.stringify(w) === JSON.stringify(v)))];
    merged.set(key, change);
  }
  return pairBounds([...merged.values()]);
}

/** Bounds tightened one way and loosened the other (a tuple of 2 became one of 3) are one change, both ways. */
const BOUNDS: Partial<Record<SchemaChangeKind, SchemaChangeKind>> = { "length-narrowed": "length-changed", "range-narrowed": "range-changed", "items-count-narrowed": "items-count-changed" };

function pairBounds(changes: SchemaChange[]): SchemaChange[] {
  const out: SchemaChange[] = [];
  for (const c of changes) {
    const changed = BOUNDS[c.kind];
    const other = changed && changes.find((d) => d.path === c.path && d.kind === c.kind.replace("-narrowed", "-widened"));
    if (changed && other) out.push({ ...c, kind: changed, narrower: true, wider: true });
    else if (!changes.some((d) => d.path === c.path && BOUNDS[d.kind] && d.kind.replace("-narrowed", "-widened") === c.kind)) out.push(c);
  }
  return out;
}

/** Whether every value `oldSchema` admits passes `newSchema` (no narrower change): what a request needs. */
export function admitsAllOf(oldSchema: unknown, newSchema: unknown, options: DiffOptions): boolean {
  return !diffSchemas(oldSchema, newSchema, options).some((c) => c.narrower);
}
