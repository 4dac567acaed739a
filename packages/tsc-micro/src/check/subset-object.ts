/**
 * Objects: which properties are required, which are admitted at all (the
 * services' request schemas are closed, `additionalProperties: false`, so a
 * key the schema does not list is refused), then each property's schema,
 * pattern-keyed properties and the rest (index signatures).
 */
import { isNode } from "./normalize.js";
import type { Branch, SchemaNode } from "./normalize.js";
import type { Segment } from "./schema-path.js";
import { report, subSchema } from "./subset.js";
import type { PassContext } from "./subset.js";
import { matches } from "./values.js";

export function subObject(a: Branch, b: Branch, ctx: PassContext, path: readonly Segment[]): void {
  const aProps = propertiesOf(a.node);
  const bProps = propertiesOf(b.node);
  const aRequired = requiredOf(a.node);
  const aRest = restOf(a.node);
  const bRestDeclared = restOf(b.node);
  // A client decoding a result ignores the keys it does not know (unless it tells union members apart by them).
  const lenient = ctx.open && !b.keyed;
  const bRest = bRestDeclared === false && lenient ? true : bRestDeclared;
  const aPatterns = patternsOf(a.node);
  const bPatterns = patternsOf(b.node);

  for (const p of requiredOf(b.node)) {
    if (aRequired.has(p)) continue;
    const declared = Object.hasOwn(aProps, p);
    const kinds = declared ? ({ narrower: "property-made-required", wider: "property-made-optional" } as const) : ({ narrower: "property-added", wider: "property-removed" } as const);
    report(ctx, [...path, { prop: p }], kinds, declared ? aProps[p] : undefined, bProps[p]);
  }

  const names = [...new Set([...Object.keys(aProps), ...Object.keys(bProps)])];
  for (const p of names) {
    const aSchema = Object.hasOwn(aProps, p) ? aProps[p] : (matching(aPatterns, p)[0] ?? aRest);
    if (aSchema === false) continue; // `a` never has it
    const at = [...path, { prop: p }];
    const bSchemas = [...(Object.hasOwn(bProps, p) ? [bProps[p]] : []), ...matching(bPatterns, p)];
    if (bSchemas.length === 0) {
      if (bRest === false) {
        report(ctx, at, { narrower: "property-removed", wider: "property-added" }, aSchema, undefined);
        continue;
      }
      if (bRestDeclared === false && Object.hasOwn(aProps, p)) {
        // `b` would refuse the key but its reader ignores it: a result's field added or (optional) removed.
        report(ctx, at, { narrower: "property-removed", wider: "property-added" }, aSchema, undefined, { neutral: true });
        continue;
      }
      bSchemas.push(bRest);
    }
    for (const bSchema of bSchemas) subSchema(aSchema, bSchema, ctx, at);
  }

  const aKeys = Object.keys(aPatterns).sort();
  const bKeys = Object.keys(bPatterns).sort();
  if (aKeys.length > 0 || bKeys.length > 0) {
    // Keys matching one build's patterns but not the other's cannot be told apart here: only identical pattern sets are compared.
    if (aKeys.join("\u0000") === bKeys.join("\u0000")) for (const k of aKeys) subSchema(aPatterns[k], bPatterns[k], ctx, [...path, { pattern: k }]);
    else report(ctx, path, { narrower: "index-signature-changed", wider: "index-signature-changed" }, a.node, b.node);
  }
  if (aRest !== false) {
    if (bRest === false) report(ctx, [...path, { rest: true }], { narrower: "index-signature-removed", wider: "index-signature-added" }, aRest, undefined);
    else subSchema(aRest, bRest, ctx, [...path, { rest: true }]);
  }
}

function propertiesOf(node: SchemaNode): Record<string, unknown> {
  return isNode(node.properties) ? node.properties : {};
}

function requiredOf(node: SchemaNode): Set<string> {
  return new Set(Array.isArray(node.required) ? node.required.filter((r): r is string => typeof r === "string") : []);
}

/** What keys no property or pattern names may hold: `false` for none, `true` for anything. */
function restOf(node: SchemaNode): unknown {
  return node.additionalProperties === undefined ? true : node.additionalProperties;
}

function patternsOf(node: SchemaNode): Record<string, unknown> {
  return isNode(node.patternProperties) ? node.patternProperties : {};
}

function matching(patterns: Record<string, unknown>, name: string): unknown[] {
  return Object.entries(patterns)
    .filter(([p]) => matches(p, name))
    .map(([, s]) => s);
}
