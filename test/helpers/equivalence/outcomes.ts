// Outcomes: what a call did (its value or the error it threw, profiled so that
// both sides compare with deepStrictEqual), and their one-line rendering.
import { show } from "../parity.ts";
import type { ErrorClass, ErrorProfile, Outcome } from "./types.ts";

const BUILTIN_ERRORS: Record<string, ErrorClass> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
  AggregateError,
};

/** How deep cause chains are followed. */
const MAX_CAUSE_DEPTH = 8;

/** Profiles an error (or the value thrown), so that both sides can be compared with deepStrictEqual. */
export function profileThrown(thrown: unknown, classes: Readonly<Record<string, ErrorClass>> = {}, depth = 0): Outcome {
  if (!(thrown instanceof Error)) return { thrown };
  const e = thrown;
  const fields: Record<string, unknown> = {};
  for (const key of Object.keys(e)) if (key !== "cause") fields[key] = (e as unknown as Record<string, unknown>)[key];
  const profile: ErrorProfile = {
    name: e.name,
    message: e.message,
    constructorName: (e.constructor as { name?: string } | undefined)?.name ?? "(none)",
    builtins: Object.fromEntries(Object.entries(BUILTIN_ERRORS).map(([n, c]) => [n, e instanceof c])),
    classes: Object.fromEntries(Object.entries(classes).map(([n, c]) => [n, e instanceof c])),
    fields,
  };
  if ("cause" in e && depth < MAX_CAUSE_DEPTH) profile.cause = profileThrown(e.cause, classes, depth + 1);
  return { error: profile };
}

/** Runs `f` and returns what it did: its (awaited) value or what it threw, profiled. */
export async function outcomeOf(f: () => unknown, classes: Readonly<Record<string, ErrorClass>> = {}): Promise<Outcome> {
  try {
    return { value: await f() };
  } catch (e) {
    return profileThrown(e, classes);
  }
}

/**
 * A one-line rendering of an outcome for failure messages: the value, or
 * `Name: message` with the class, the `instanceof` checks that hold, the
 * enumerable fields and the cause chain.
 */
export function describeOutcome(o: Outcome): string {
  if ("value" in o) return `value ${show(o.value, 600)}`;
  if ("thrown" in o) return `threw non-Error ${show(o.thrown, 300)}`;
  const e = o.error;
  const holds = [...Object.entries(e.builtins), ...Object.entries(e.classes)].filter(([, v]) => v).map(([k]) => k);
  const parts = [`class ${e.constructorName}`, `instanceof ${holds.join("/") || "nothing"}`];
  if (Object.keys(e.fields).length > 0) parts.push(`fields ${show(e.fields, 300)}`);
  if (e.cause) parts.push(`cause ${describeOutcome(e.cause)}`);
  const message = e.message.length > 300 ? `${e.message.slice(0, 300)}…` : e.message;
  return `threw ${e.name}: ${JSON.stringify(message)} [${parts.join("; ")}]`;
}
