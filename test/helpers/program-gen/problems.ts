// What a check found wrong with one generated program, and its class: the
// failure with the program's own names, paths and numbers taken out, so that
// one bug met in twenty programs is reported (and shrunk) once.
import type { Program } from "./model.ts";
import { GENERATED_CODE_NAMES } from "./names.ts";

export type Check = "generator" | "build" | "syntax" | "dts" | "openapi" | "equivalence";

export interface Problem {
  /** Index of the program in the run. */
  index: number;
  check: Check;
  /** The failure class (see {@link signatureOf}). */
  signature: string;
  /** The failure itself, for the report. */
  detail: string;
}

/** Names whose presence says what a failure is about: kept in signatures. */
const TELLING = new Set(GENERATED_CODE_NAMES);

/** Every name the program declares (functions, types, parameters, properties, enum members). */
export function namesOf(program: Program): string[] {
  const names = new Set<string>();
  const props = (ps: readonly { key: string }[]) => ps.forEach((p) => names.add(p.key));
  for (const f of program.functions) {
    names.add(f.name);
    f.params.forEach((p) => names.add(p.name));
  }
  for (const t of program.types) {
    names.add(t.name);
    if (t.kind === "enum") t.members.forEach((m) => names.add(m.name));
    if (t.kind === "interface") props(t.props);
    if (t.kind === "union") {
      names.add(t.tag);
      t.members.forEach((m) => props(m.props));
    }
  }
  return [...names].filter((n) => n.length > 0);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * `check: text` with, in the text's first line, the program's names
 * replaced by `<name>` (names that tell what broke, such as `$c` or
 * `ServiceClient`, and plain words stay), kebab-case names by `<kebab>`,
 * and numbers by `#`.
 */
export function signatureOf(check: Check, text: string, program?: Program): string {
  let line = text.split("\n").find((l) => l.trim() !== "") ?? "";
  line = line.replace(/\/[^\s'"`()]*\.tmp\/[^\s'"`()]*/g, "<path>");
  if (program) {
    // Plain words (`name`, `type`, `Error`) stay: replacing them would garble the message around them.
    const names = namesOf(program)
      .filter((n) => !TELLING.has(n) && !/^[A-Za-z][a-z]*$/.test(n))
      .sort((a, b) => b.length - a.length);
    // Longer names also where they start a word (`fooRequest`, generated from the function `foo`).
    for (const n of names) line = line.replace(new RegExp(`(?<![\\p{ID_Continue}$])${escapeRegExp(n)}${n.length > 2 ? "" : "(?![\\p{ID_Continue}$])"}`, "gu"), "<name>");
  }
  line = line.replace(/\b(?!tsc-micro\b)[a-z][a-z0-9]*(?:-[a-z0-9]+)+\b/g, "<kebab>").replace(/\d+/g, "#");
  return `${check}: ${line.slice(0, 240)}`;
}
