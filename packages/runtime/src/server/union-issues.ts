/**
 * One failed union → one issue that names its forms (all of them when few,
 * else their number and the closest), followed by the issues of the closest
 * branch below the union's place. Never every branch's errors: a template
 * literal type of 194 forms used to make a 61 KB 400.
 */
import type { ValidationIssue } from "../errors.js";
import { MAX_LISTED, closeness, oneOfText } from "./form-text.js";
import type { Form } from "./form-text.js";

/** What one branch of the union made of the value. */
export interface BranchOutcome {
  /** Its index in the union, when known. */
  branch?: number;
  /** Its issues (nested unions already summarised), at or below the union's path. */
  issues: ValidationIssue[];
  /** What the branch's own errors say it wanted at the union's place: `number`, `"auto"`… */
  wanted?: Form;
  /** The keyword of its first error at the union's place, if any. */
  firstRule?: string;
}

export interface FailedUnion {
  /** The union's path, as issues print it. */
  path: string;
  /** "anyOf" or "oneOf". */
  rule: string;
  /** The forms as the schema names them, when the schema is at hand. */
  forms?: readonly Form[];
  outcomes: readonly BranchOutcome[];
  /** The value at the union's place, when known. */
  value: unknown;
}

// Rules whose message the form names already say.
const NAMED_BY_FORM = new Set(["type", "const", "enum", "pattern", "anyOf", "oneOf", "discriminator"]);

export function unionIssues(union: FailedUnion): ValidationIssue[] {
  const { path, rule, forms, value } = union;
  const labelled = union.outcomes.map((outcome, order) => {
    const form = (outcome.branch !== undefined ? forms?.[outcome.branch] : undefined) ?? outcome.wanted ?? { name: `form ${order + 1}`, choices: [] };
    const label = form.name;
    const here = outcome.issues.filter((issue) => issue.path === path);
    return {
      outcome,
      order,
      form,
      label,
      here,
      depth: Math.max(0, ...outcome.issues.map((issue) => depthBelow(issue.path, path))),
      typeMatched: !here.some((issue) => issue.rule === "type"),
      score: closeness(label, value),
    };
  });
  // The branch that got furthest: deepest issues, then the value's type matched,
  // then the most of a string matched, then the fewest issues.
  const ranked = labelled.slice().sort(
    (a, b) =>
      b.depth - a.depth ||
      Number(b.typeMatched) - Number(a.typeMatched) ||
      b.score - a.score ||
      a.outcome.issues.length - b.outcome.issues.length ||
      a.order - b.order,
  );
  const closest = ranked[0];
  if (!closest) return [{ path, rule, message: "must match one of its forms" }];
  const count = forms?.length ?? labelled.length;

  const below = closest.outcome.issues.filter((issue) => issue.path !== path);
  if (below.length > 0) {
    const listed = forms && forms.length <= MAX_LISTED ? ` (${forms.map((f) => f.name).join(", ")})` : "";
    return [{ path, rule, message: `must match one of ${count} forms${listed}; closest: ${closest.label}` }, ...below];
  }

  // Every form failed at the value itself: list them (an enum's values one by one).
  const choices = (forms ?? labelled.map((l) => l.form)).flatMap((f) => (f.choices.length > 0 ? f.choices : [f.name]));
  let message = oneOfText(choices, value);
  const unmet = closest.here.filter((issue) => !NAMED_BY_FORM.has(issue.rule));
  if (unmet.length > 0 && closest.typeMatched) {
    message += `; closest: ${closest.label}, which ${unmet.map((issue) => issue.message).join("; ")}`;
  }
  return [{ path, rule: commonRule(labelled.map((l) => l.outcome.firstRule)) ?? rule, message }];
}

/**
 * The rule most forms failed on, the first form's on a tie: "type" when the
 * value is of no form's kind, "pattern" for a string no template matches. So
 * a client sees `type` for a string sent as a number even when number is a
 * union on the wire.
 */
function commonRule(rules: readonly (string | undefined)[]): string | undefined {
  const counts = new Map<string, number>();
  for (const r of rules) if (r !== undefined) counts.set(r, (counts.get(r) ?? 0) + 1);
  let best: string | undefined;
  for (const [r, n] of counts) if (best === undefined || n > counts.get(best)!) best = r;
  return best;
}

/** How many steps `path` lies below `base` ("a.b[0]" is 2 below "a"). */
function depthBelow(path: string, base: string): number {
  if (path === base) return 0;
  const rest = base === "" ? `.${path}` : path.slice(base.length);
  return rest.match(/\.[^.[]+|\[(?:\d+|"(?:[^"\\]|\\.)*")\]/g)?.length ?? 1;
}
