/**
 * The words of a report: what changed, whom it breaks, and (for a breaking
 * change) how to make it safe. Messages name the function, the path and the
 * two schemas, in the voice of the build's own diagnostics.
 */
import { describeSchema, lengthOf, rangeOf } from "./describe.js";
import type { Change } from "./types.js";

type Unworded = Omit<Change, "message" | "location">;

/** `argument 'order.items[].price' of 'quote'`, `'left' in the result of 'quote'`, `the result of 'quote'`. */
function subject(c: Unworded): string {
  if (c.position === "request") return c.path ? `argument '${c.path}' of '${c.function}'` : `the arguments of '${c.function}'`;
  if (c.position === "response") return c.path ? `'${c.path}' in the result of '${c.function}'` : `the result of '${c.function}'`;
  return `'${c.function}'`;
}

function values(vs: readonly unknown[] | undefined): string {
  return (vs ?? []).map((v) => JSON.stringify(v)).join(", ");
}

/** What the schema change carries beyond the record: enum members at stake, the wire forms on each side. */
export interface Particulars {
  values?: readonly unknown[];
  forms?: readonly [string | undefined, string | undefined];
}

/** What happened, as a clause after the subject. */
function predicate(c: Unworded, particulars: Particulars): string {
  const enumValues = particulars.values;
  const o = c.old;
  const n = c.new;
  switch (c.kind) {
    case "type-changed":
      return `changed type from ${describeSchema(o)} to ${describeSchema(n)}`;
    case "type-narrowed":
      return `was ${describeSchema(o)}, now only ${describeSchema(n)}`;
    case "type-widened":
      return `was only ${describeSchema(o)}, now ${describeSchema(n)}`;
    case "union-member-removed":
      return `no longer admits ${describeSchema(o)}`;
    case "union-member-added":
      return `now also admits ${describeSchema(n)}`;
    case "enum-member-removed":
      return `no longer admits ${values(enumValues)}`;
    case "enum-member-added":
      return `now also admits ${values(enumValues)}`;
    case "pattern-added":
      return `must now match /${field(n, "pattern")}/`;
    case "pattern-removed":
      return `no longer has to match /${field(o, "pattern")}/`;
    case "pattern-changed":
      return `must now match /${field(n, "pattern")}/ instead of /${field(o, "pattern")}/`;
    case "length-narrowed":
    case "length-widened":
    case "length-changed":
      return `changed length from ${lengthOf(o, "minLength", "maxLength", "character") || "any length"} to ${lengthOf(n, "minLength", "maxLength", "character") || "any length"}`;
    case "range-narrowed":
    case "range-widened":
    case "range-changed":
      return `changed range from ${numbers(o)} to ${numbers(n)}`;
    case "items-count-narrowed":
    case "items-count-widened":
    case "items-count-changed":
      return `changed its number of elements from ${lengthOf(o, "minItems", "maxItems", "element") || "any number"} to ${lengthOf(n, "minItems", "maxItems", "element") || "any number"}`;
    case "unique-items-added":
      return "must now hold distinct elements";
    case "unique-items-removed":
      return "may now hold repeated elements";
    case "wire-form-changed":
      return `changed wire form from ${particulars.forms?.[0] ?? describeSchema(o)} to ${particulars.forms?.[1] ?? describeSchema(n)}`;
    case "index-signature-added":
      return "now admits keys it does not name";
    case "index-signature-removed":
      return "no longer admits keys it does not name";
    case "index-signature-changed":
      return "changed which keys it admits by pattern";
    case "schema-changed":
      return "changed (compared as a whole: it uses keywords tsc-micro does not compare one by one)";
    case "required-argument-added":
    case "required-property-added":
      return "was added, required";
    case "optional-argument-added":
    case "optional-property-added":
      return "was added, optional";
    case "argument-removed":
    case "property-removed":
      return "was removed";
    case "argument-made-required":
    case "property-made-required":
      return "became required";
    case "argument-made-optional":
    case "property-made-optional":
      return "became optional";
    default:
      return "changed";
  }
}

/** `numbers ≥ 0`, `whole numbers`. */
function numbers(s: unknown): string {
  return [field(s, "type") === "integer" ? "whole numbers" : "numbers", rangeOf(s)].filter(Boolean).join(" ");
}

function field(s: unknown, key: string): string {
  return typeof s === "object" && s !== null ? String((s as Record<string, unknown>)[key]) : "";
}

/** What it does to whom: the consequence for old callers, or why it is safe for them. */
function consequence(c: Unworded): string {
  if (!c.breaking) {
    if (c.breaks.includes("new-callers")) return `compatible; callers built with it need service '${c.service}' deployed first`;
    return "compatible with callers of either build";
  }
  switch (c.kind) {
    case "function-removed":
      return "callers built before this change still call it";
    case "function-moved":
      return `callers built before this change still call it in service '${String(c.old)}'`;
    case "required-argument-added":
    case "required-property-added":
      return "callers built before this change do not send it";
    case "argument-removed":
    case "property-removed":
      return c.position === "request" ? "callers built before this change may still send it, and the service refuses what its types do not declare" : "callers built before this change read it";
    case "argument-renamed":
      return "arguments travel by name, so callers built before this change send the old one";
    case "argument-made-required":
    case "property-made-required":
      return "callers built before this change may leave it out";
    case "property-made-optional":
      return "callers built before this change expect it in every answer";
    case "result-removed":
      return "callers built before this change expect a value";
    default:
      return c.position === "request" ? "callers built before this change may send what it now refuses" : "callers built before this change may get answers they cannot read";
  }
}

export function messageOf(c: Unworded, particulars: Particulars = {}): string {
  switch (c.kind) {
    case "function-removed":
      return `Function '${c.function}' of service '${c.service}' was removed: ${consequence(c)}.`;
    case "function-added":
      return `Function '${c.function}' was added to service '${c.service}' (${consequence(c)}).`;
    case "function-moved":
      return `Function '${c.function}' moved from service '${String(c.old)}' to service '${String(c.new)}': ${consequence(c)}.`;
    case "result-removed":
      return `'${c.function}' no longer returns a value: ${consequence(c)}.`;
    case "result-added":
      return `'${c.function}' now returns a value (${consequence(c)}).`;
    case "argument-renamed":
      return `Argument '${String(c.old)}' of '${c.function}' was renamed to '${String(c.new)}': ${consequence(c)}.`;
    case "error-class-removed":
      return `Error class '${String(c.old)}' was removed from the program: callers built before this change that catch it from a service will no longer see it (the documents do not say which functions threw it).`;
    default: {
      const text = `${capitalize(subject(c))} ${predicate(c, particulars)}`;
      return c.breaking ? `${text}: ${consequence(c)}.` : `${text} (${consequence(c)}).`;
    }
  }
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** How to make a breaking change safe for a rolling deploy. */
export function hintOf(c: Unworded): string {
  switch (c.kind) {
    case "function-removed":
      return "Keep the function (mark it @deprecated) until no caller built before this change is left, then remove it.";
    case "function-moved":
      return `A function's service is its address: keep it in service '${String(c.old)}' until every caller runs this build.`;
    case "required-argument-added":
      return "Make it optional (`x?: T` or a default value) so calls from the previous build still pass.";
    case "argument-removed":
      return "Keep the argument (unused, @deprecated) until every caller runs this build: the service refuses arguments it does not declare.";
    case "argument-renamed":
      return "Keep the old name, or add the new one as optional beside it and remove the old one once every caller runs this build.";
    case "argument-made-required":
    case "property-made-required":
    case "required-property-added":
      return "Keep it optional (with a default) until every caller runs this build.";
    case "property-removed":
      return c.position === "request"
        ? "Keep the field (optional, @deprecated) until every caller runs this build: the service refuses fields its types do not declare."
        : "Keep returning it (make it optional first) until every caller runs this build.";
    case "property-made-optional":
      return "Keep returning it in every answer until every caller runs this build.";
    case "result-removed":
      return "Keep returning the value until every caller runs this build.";
    case "error-class-removed":
      return "Keep the class exported while callers of the previous build may catch it.";
    default:
      return c.position === "request"
        ? "Accept at least what the previous build accepted (widen the type again), or serve the narrower type from a new function."
        : "Return only what the previous build could return, or return the new values from a new function.";
  }
}
