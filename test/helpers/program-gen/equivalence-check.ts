// The split answers as the monolith, for a generated program: its services
// run as processes on 127.0.0.1 (test/helpers/equivalence), each function is
// called through the generated clients with random arguments of its
// parameter types, and through the program's own modules (imported with
// tsx); outcomes must be equal.
import fc from "fast-check";
import { checkEquivalence, describeOutcome, startBuilt } from "../equivalence.ts";
import type { Call, Outcome } from "../equivalence.ts";
import type { Built } from "./checks.ts";
import { signatureOf } from "./problems.ts";
import type { Problem } from "./problems.ts";
import { argsOf } from "./values.ts";

/** Argument lists per function. */
const CALLS_PER_FUNCTION = 3;

/** The calls made of a program: a few argument lists per function, the same ones for the same seed. */
export function callsOf(b: Built, seed: number): Call[] {
  return b.program.functions.flatMap((fn, i) =>
    fc.sample(argsOf(fn, b.program.types), { seed: seed + b.index * 31 + i, numRuns: CALLS_PER_FUNCTION }).map((args) => ({ fn: fn.name, args })),
  );
}

/** What kind of outcome, for the failure class: special numbers and error messages say the most. */
function kindOf(o: Outcome): string {
  if ("value" in o) return hasSpecialNumber(o.value) ? "a value holding NaN, ±Infinity or -0" : "a value";
  if ("thrown" in o) return "a non-Error";
  // A refused request: its rules say what went wrong; the paths only where (they would split one class in many).
  const issues = o.error.fields.issues;
  if (Array.isArray(issues)) return `${o.error.name} ${String(o.error.fields.code)}: ${[...new Set(issues.map((i: { message?: string }) => i.message))].join("; ")}`;
  return `${o.error.name}: ${o.error.message.split("\n")[0]}`;
}

function hasSpecialNumber(v: unknown, seen = new Set<unknown>()): boolean {
  if (typeof v === "number") return !Number.isFinite(v) || Object.is(v, -0);
  if (v === null || typeof v !== "object" || seen.has(v)) return false;
  seen.add(v);
  if (v instanceof Map) return [...v.entries()].some((e) => hasSpecialNumber(e, seen));
  return Object.values(v).some((x) => hasSpecialNumber(x, seen));
}

/** Runs the program split and monolith side by side; every differing call and every crashed service is a problem. */
export async function equivalenceProblems(b: Built, seed: number): Promise<Problem[]> {
  const problem = (text: string, detail: string): Problem => ({ index: b.index, check: "equivalence", signature: signatureOf("equivalence", text, b.program), detail });
  let program;
  try {
    program = await startBuilt(b.result!);
  } catch (e) {
    return [problem(`the services did not start: ${String((e as Error).message).split("\n").slice(0, 3).join(" ")}`, String((e as Error).stack ?? e))];
  }
  try {
    const report = await checkEquivalence({ fixture: b.tsconfig, label: `program-${b.index}`, calls: callsOf(b, seed), program, assert: false });
    return [
      ...report.failures.map((f) => problem(`monolith gave ${kindOf(f.monolith)}, the split ${kindOf(f.split)}`, `${f.label}\n    monolith: ${describeOutcome(f.monolith)}\n    split:    ${describeOutcome(f.split)}`)),
      ...report.crashed.map((c) => problem(`a service died during a call`, `${c.name} died (exit ${c.code}) during ${c.after}:\n${c.output.split("\n").slice(-15).join("\n")}`)),
    ];
  } catch (e) {
    return [problem(`the check threw: ${(e as Error).message}`, String((e as Error).stack ?? e))];
  } finally {
    await program.stop();
  }
}
