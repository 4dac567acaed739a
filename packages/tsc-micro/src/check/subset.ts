/**
 * One direction of a schema comparison: does every value schema `a` admits
 * also pass schema `b`? Each reason it may not is a finding, placed at the
 * deepest path that explains it and named from the previous build to the new
 * one. The walk is sound, not complete: it reports a finding whenever it cannot
 * show that `b` admits all of `a` (say, two different patterns), never the
 * other way round, so "no finding" means "every value passes".
 */
import { fragment, sameSchema } from "./fragment.js";
import { normalize, tagValues } from "./normalize.js";
import type { Branch, SchemaNode } from "./normalize.js";
import type { Segment } from "./schema-path.js";
import { subArray } from "./subset-array.js";
import { subObject } from "./subset-object.js";
import type { SchemaChangeKind } from "./types.js";
import { admitsValue } from "./values.js";
import { sameValue } from "./normalize.js";
import { wireFormOf } from "./wire-forms.js";
import { NUMBER_WORDS } from "@tsc-micro/runtime/codec";

/**
 * `narrower`: `a` is the previous build's schema, `b` the new one (values the new
 * schema refuses); `wider`: the other way round (values the previous one refused).
 */
export type Pass = "narrower" | "wider";

export interface Finding {
  path: Segment[];
  kind: SchemaChangeKind;
  /** The pass's direction, or `none` for a change no value of either build notices (a result's new optional field). */
  effect: Pass | "none";
  old: unknown;
  new: unknown;
  /** The enum members at stake, for the message. */
  values?: unknown[];
  /** The wire forms (Date, Map…) of the previous and the new schema, when they differ. */
  forms?: [string | undefined, string | undefined];
}

export interface PassContext {
  pass: Pass;
  /** The documents `a` and `b` resolve their `$ref`s in. */
  aRoot: unknown;
  bRoot: unknown;
  /**
   * Results: a client ignores keys it does not know (it decodes what it
   * declared), so on the accepting side a closed object admits unknown keys.
   */
  open: boolean;
  findings: Finding[];
  /** Pairs of object or array schemas being compared further up: met again, they are taken to hold (recursive types). */
  assumed: Map<object, Set<object>>;
}

/** Records a finding; `ifNarrower`/`ifWider` name it for each pass (a → b read as old → new or new → old). */
export function report(
  ctx: PassContext,
  path: readonly Segment[],
  kinds: { narrower: SchemaChangeKind; wider: SchemaChangeKind },
  a: unknown,
  b: unknown,
  extra: { values?: unknown[]; neutral?: boolean; forms?: [string | undefined, string | undefined] } = {},
): void {
  const [oldSide, newSide] = ctx.pass === "narrower" ? [a, b] : [b, a];
  const forms = extra.forms && (ctx.pass === "narrower" ? extra.forms : ([extra.forms[1], extra.forms[0]] as [string | undefined, string | undefined]));
  ctx.findings.push({
    path: [...path],
    kind: kinds[ctx.pass],
    effect: extra.neutral ? "none" : ctx.pass,
    old: oldSide === undefined ? undefined : fragment(oldSide),
    new: newSide === undefined ? undefined : fragment(newSide),
    ...(extra.values ? { values: extra.values } : {}),
    ...(forms ? { forms } : {}),
  });
}

const same = (kind: SchemaChangeKind) => ({ narrower: kind, wider: kind });

/** Whether `run` finds nothing that matters, without keeping what it finds (coverage by one of several members). */
export function holds(ctx: PassContext, run: (scratch: PassContext) => void): boolean {
  const scratch: PassContext = { ...ctx, findings: [] };
  run(scratch);
  return scratch.findings.every((f) => f.effect === "none");
}

/** Compares schema `a` with schema `b` at `path`, adding a finding for each way a value of `a` may fail `b`. */
export function subSchema(a: unknown, b: unknown, ctx: PassContext, path: readonly Segment[]): void {
  const A = normalize(a, ctx.aRoot);
  const B = normalize(b, ctx.bRoot);
  if (B.kind === "any") return;
  if (A.kind === "opaque" || B.kind === "opaque") {
    if (!sameSchema(a, ctx.aRoot, b, ctx.bRoot)) report(ctx, path, same("schema-changed"), a, b);
    return;
  }
  if (A.kind === "any") return report(ctx, path, { narrower: "type-narrowed", wider: "type-widened" }, a, b);
  if (A.branches.length === 0) return;
  const wa = wireFormOf(a, ctx.aRoot);
  const wb = wireFormOf(b, ctx.bRoot);
  if (wa !== wb) {
    // Date → string: one finding for the form, not one per keyword that differs.
    if (!holds(ctx, (c) => subBranches(A.branches, B.branches, c, path))) report(ctx, path, same("wire-form-changed"), resolved(a, ctx.aRoot), resolved(b, ctx.bRoot), { forms: [wa, wb] });
    return;
  }
  if (wa === "Map" && A.branches.length === 1 && B.branches.length === 1) return subMap(A.branches[0]!.node, B.branches[0]!.node, ctx, path);
  subBranches(A.branches, B.branches, ctx, path);
}

/** A Map's pairs: its keys at `<key>`, its values at `<value>` (rather than `[][0]`, `[][1]`). */
function subMap(a: SchemaNode, b: SchemaNode, ctx: PassContext, path: readonly Segment[]): void {
  const pair = (n: SchemaNode, root: unknown) => {
    const items = normalize(n.items, root);
    const node = items.kind === "branches" && items.branches.length === 1 ? items.branches[0]!.node : {};
    return Array.isArray(node.prefixItems) ? node.prefixItems : [true, true];
  };
  const [ak, av] = pair(a, ctx.aRoot);
  const [bk, bv] = pair(b, ctx.bRoot);
  subSchema(ak, bk, ctx, [...path, { mapKey: true }]);
  subSchema(av, bv, ctx, [...path, { mapValue: true }]);
}

function resolved(schema: unknown, root: unknown): unknown {
  const shape = normalize(schema, root);
  return shape.kind === "branches" && shape.branches.length === 1 ? shape.branches[0]!.node : schema;
}

/** Every branch of `A` must be admitted by a branch of `B` of its type. */
function subBranches(A: readonly Branch[], B: readonly Branch[], ctx: PassContext, path: readonly Segment[]): void {
  const [a0, b0] = [logical(A), logical(B)];
  if (a0 && b0 && a0.type !== b0.type) return report(ctx, path, same("type-changed"), memberOf(a0), memberOf(b0));
  const tagged = A.filter((x) => x.type === "object").length > 1 || B.filter((x) => x.type === "object").length > 1;
  for (const a of A) {
    const candidates = B.filter((b) => b.type === a.type);
    const [aNumber, bNumber] = [numberOf(A, a), numberOf(B, a)];
    if (candidates.length === 0 && aNumber && bNumber) {
      // The words for NaN and ±Infinity come and go with a number's range (`@minimum 0` admits Infinity).
      report(ctx, path, { narrower: "range-narrowed", wider: "range-widened" }, numeric(aNumber), numeric(bNumber));
      continue;
    }
    if (candidates.length === 0) {
      report(ctx, path, { narrower: "union-member-removed", wider: "union-member-added" }, memberOf(a), unionOf(B));
      continue;
    }
    if (a.values) {
      subValues(a, candidates, ctx, path, aNumber, bNumber);
      continue;
    }
    if (candidates.length > 1 && candidates.some((b) => holds(ctx, (c) => subBranch(a, b, c, path)))) continue;
    const b = pick(a, candidates, ctx, tagged);
    const tag = tagged && a.type === "object" ? tagSegment(a, ctx.aRoot) : undefined;
    if (!b) {
      report(ctx, tag ? [...path, tag] : path, { narrower: "union-member-removed", wider: "union-member-added" }, a.node, unionOf(B));
      continue;
    }
    subBranch(a, b, ctx, tag ? [...path, tag] : path);
  }
}

/**
 * The one type a union stands for, when it has one: a number's wire form is
 * two branches (the number, and the words for NaN and ±Infinity) but one type.
 */
function logical(branches: readonly Branch[]): Branch | undefined {
  const words = (b: Branch) => b.type === "string" && b.values?.every((v) => (NUMBER_WORDS as readonly unknown[]).includes(v)) && branches.some((n) => n.type === "number");
  const rest = branches.filter((b) => !words(b));
  return rest.length === 1 ? rest[0] : undefined;
}

/** Branches as one schema again, for a report: the one branch, or their `anyOf`. */
function unionOf(branches: readonly Branch[]): unknown {
  return branches.length === 1 ? memberOf(branches[0]!) : { anyOf: branches.map(memberOf) };
}

/** A branch as a schema of its own (a `type` list member reads as that type alone). */
function memberOf(a: Branch): unknown {
  if (a.values && Array.isArray(a.node.enum)) return { ...a.node, type: a.type, enum: a.values };
  return Array.isArray(a.node.type) ? { ...a.node, type: a.type } : a.node;
}

/**
 * The member of `candidates` to explain `a` against: among objects of a tagged
 * union, the one with the same tag (none: `a`'s member is gone); else the
 * unrestricted one.
 */
function pick(a: Branch, candidates: readonly Branch[], ctx: PassContext, tagged: boolean): Branch | undefined {
  if (a.type === "object" && tagged) {
    const tags = Object.entries(tagValues(a.node, ctx.aRoot));
    if (tags.length > 0) {
      const conflicts = (b: Branch) => {
        const theirs = tagValues(b.node, ctx.bRoot);
        return tags.some(([p, v]) => p in theirs && !sameValue(v, theirs[p]));
      };
      const compatible = candidates.filter((b) => !conflicts(b));
      const exact = compatible.find((b) => tags.some(([p]) => p in tagValues(b.node, ctx.bRoot)));
      return exact ?? compatible[0];
    }
  }
  return candidates.find((b) => !b.values) ?? candidates[0];
}

function tagSegment(a: Branch, root: unknown): Segment | undefined {
  const [first] = Object.entries(tagValues(a.node, root));
  return first ? { tag: first[0], value: first[1] } : undefined;
}

/** When `a` is the words of a number's wire form (NaN, ±Infinity, -0), that number's branch in `branches`. */
function numberOf(branches: readonly Branch[], a: Branch): Branch | undefined {
  const words = a.type === "string" && a.values?.every((v) => (NUMBER_WORDS as readonly unknown[]).includes(v));
  return words ? branches.find((b) => b.type === "number") : undefined;
}

/**
 * A branch of listed values: each value must pass one of the candidates. The
 * words of a number's wire form follow its range (`@minimum 0` admits
 * Infinity, not -Infinity): refused words are part of the range's change.
 */
function subValues(a: Branch, candidates: readonly Branch[], ctx: PassContext, path: readonly Segment[], aNumber?: Branch, bNumber?: Branch): void {
  const refused = a.values!.filter((v) => candidates.every((b) => refuses(b, v)));
  if (refused.length > 0 && aNumber && bNumber) {
    report(ctx, path, { narrower: "range-narrowed", wider: "range-widened" }, numeric(aNumber), numeric(bNumber));
  } else if (refused.length > 0) {
    const b = candidates.find((c) => c.values) ?? candidates[0]!;
    report(ctx, path, { narrower: "enum-member-removed", wider: "enum-member-added" }, memberOf(a), memberOf(b), { values: refused });
  }
  // A format or encoding the values were not declared with (a literal became a Date) is a wire form of its own.
  const formats = (n: SchemaNode) => `${String(n.format)}\u0000${String(n.contentEncoding)}`;
  const b = candidates[0]!;
  if (candidates.length === 1 && (b.node.format !== undefined || b.node.contentEncoding !== undefined) && formats(a.node) !== formats(b.node)) {
    report(ctx, path, same("wire-form-changed"), a.node, b.node);
  }
}

function refuses(b: Branch, v: unknown): boolean {
  if (b.values) return !b.values.some((w) => sameValue(v, w));
  if (b.integer && !Number.isInteger(v)) return true;
  return admitsValue(b.type, b.node, v) !== undefined;
}

/** Two branches of one JSON type. */
function subBranch(a: Branch, b: Branch, ctx: PassContext, path: readonly Segment[]): void {
  if (b.values) return report(ctx, path, { narrower: "type-narrowed", wider: "type-widened" }, a.node, memberOf(b));
  switch (a.type) {
    case "number":
      return subNumber(a, b, ctx, path);
    case "string":
      return subString(a.node, b.node, ctx, path);
    case "array":
      return assuming(ctx, a, b, () => subArray(a.node, b.node, ctx, path));
    case "object":
      return assuming(ctx, a, b, () => subObject(a, b, ctx, path));
    default:
      return; // null and boolean branches always list their values
  }
}

/** Runs `compare` unless the same pair of schemas is being compared further up (then it holds, co-inductively). */
function assuming(ctx: PassContext, a: Branch, b: Branch, compare: () => void): void {
  const seen = ctx.assumed.get(a.node) ?? ctx.assumed.set(a.node, new Set()).get(a.node)!;
  if (seen.has(b.node)) return;
  seen.add(b.node);
  try {
    compare();
  } finally {
    seen.delete(b.node);
  }
}

interface Bound {
  value: number;
  exclusive: boolean;
}

function lower(n: SchemaNode): Bound | undefined {
  return tighter(num(n.minimum), num(n.exclusiveMinimum), 1);
}

function upper(n: SchemaNode): Bound | undefined {
  return tighter(num(n.maximum), num(n.exclusiveMaximum), -1);
}

function num(v: unknown): number | undefined {
  return typeof v === "number" ? v : undefined;
}

/** The binding one of an inclusive and an exclusive bound; `sign` 1 for lower bounds, -1 for upper. */
function tighter(inclusive: number | undefined, exclusive: number | undefined, sign: 1 | -1): Bound | undefined {
  if (inclusive === undefined) return exclusive === undefined ? undefined : { value: exclusive, exclusive: true };
  if (exclusive === undefined) return { value: inclusive, exclusive: false };
  return sign * exclusive >= sign * inclusive ? { value: exclusive, exclusive: true } : { value: inclusive, exclusive: false };
}

/** Whether bound `a` is at least as tight as `b` (`sign` 1 for lower bounds). */
function within(a: Bound | undefined, b: Bound | undefined, sign: 1 | -1): boolean {
  if (!b) return true;
  if (!a) return false;
  if (sign * a.value > sign * b.value) return true;
  return a.value === b.value && (a.exclusive || !b.exclusive);
}

function subNumber(a: Branch, b: Branch, ctx: PassContext, path: readonly Segment[]): void {
  // `multipleOf: 2` admits whole numbers only, as `type: "integer"` does.
  const wholeOk = !b.integer || a.integer || (typeof a.node.multipleOf === "number" && Number.isInteger(a.node.multipleOf));
  const multipleOk = b.node.multipleOf === undefined || (typeof a.node.multipleOf === "number" && a.node.multipleOf % (b.node.multipleOf as number) === 0) || (b.node.multipleOf === 1 && a.integer);
  if (!wholeOk || !multipleOk || !within(lower(a.node), lower(b.node), 1) || !within(upper(a.node), upper(b.node), -1)) {
    report(ctx, path, { narrower: "range-narrowed", wider: "range-widened" }, numeric(a), numeric(b));
  }
}

/** A number branch's own keywords (the wire form's other branch, the words for NaN and ±Infinity, left out). */
function numeric(b: Branch): SchemaNode {
  return { ...b.node, type: b.integer ? "integer" : "number" };
}

function subString(a: SchemaNode, b: SchemaNode, ctx: PassContext, path: readonly Segment[]): void {
  // `format` and `contentEncoding` are annotations to a validator, but say how a client decodes the string.
  if ((b.format !== undefined && b.format !== a.format) || (b.contentEncoding !== undefined && b.contentEncoding !== a.contentEncoding)) {
    report(ctx, path, same("wire-form-changed"), a, b);
  }
  if (typeof b.pattern === "string" && b.pattern !== a.pattern) {
    report(ctx, path, typeof a.pattern === "string" ? same("pattern-changed") : { narrower: "pattern-added", wider: "pattern-removed" }, a, b);
  }
  const min = (n: SchemaNode) => num(n.minLength) ?? 0;
  const max = (n: SchemaNode) => num(n.maxLength) ?? Infinity;
  if (min(b) > min(a) || max(b) < max(a)) report(ctx, path, { narrower: "length-narrowed", wider: "length-widened" }, a, b);
}

