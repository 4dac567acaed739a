import { closestKey } from "../diagnostics/suggest.js";
import { kebabCase } from "../plan/naming.js";
import { displayKey, expectation, readInteger, SERVICE_NAME_PATTERN, specOf, TAG_KEYS, TAG_PATTERN } from "./option-specs.js";
import type { OptionSpec } from "./option-specs.js";

/**
 * Parses the options written on the `@microservice` tag line:
 * `@microservice name=billing retry=5 timeout=2s concurrency=10 replicas=3 tags=a,b`.
 * Everything is checked here; later phases and issues enforce the policies.
 */

/** Options of one tagged function, as written on its tag (all optional). */
export interface ServiceOptions {
  /**
   * Service name (DNS label), from `service=` (or its older spelling `name=`);
   * defaults to the function name in kebab-case. Functions with the same
   * service name are colocated: one bundle, one route each.
   */
  name?: string;
  /** How many times a failed call that is safe to repeat may be retried (0–10). */
  retry?: number;
  /** Deadline of the whole call (retries included) in milliseconds, written as `500ms`, `2s` or `1m`. */
  timeoutMs?: number;
  /** The function may be repeated even when a failed attempt may have run (`idempotent`, `idempotent=true`). */
  idempotent?: boolean;
  /** Maximum concurrent requests the service handles (≥ 1). */
  concurrency?: number;
  /** Number of instances to deploy (≥ 1); with `replicas=MIN..MAX`, the minimum. */
  replicas?: number;
  /** `replicas=MIN..MAX`: the most instances an autoscaler may run (≥ `replicas`). */
  maxReplicas?: number;
  /** Free-form labels, e.g. for deployment manifests. */
  tags?: string[];
}

/** A problem in one `key=value` token, located relative to the tag text. */
export interface OptionProblem {
  kind: "unknown" | "invalid";
  /** Offset of the token inside the parsed text. */
  offset: number;
  length: number;
  message: string;
  hint: string;
}

const DNS_LABEL = new RegExp(SERVICE_NAME_PATTERN);
const TAG = new RegExp(TAG_PATTERN);
const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m)$/;
const OPTIONS_LIST = TAG_KEYS.map(displayKey).join(", ");

/** Parses the first line of the tag's text. Returns the options and every problem found. */
/**
 * The options text with each unknown key replaced by the known one it is closest to
 * (`retries=3` → `retry=3`); tokens with no close key stay as written. For fixes that
 * quote the tag back to the user: a suggestion must not copy a mistake into the code.
 */
export function correctedOptions(text: string): string {
  let fixed = text;
  const unknown = parseTagOptions(text).problems.filter((p) => p.kind === "unknown");
  // From the end, so earlier offsets stay right.
  for (const problem of unknown.sort((a, b) => b.offset - a.offset)) {
    const token = text.slice(problem.offset, problem.offset + problem.length);
    const eq = token.indexOf("=");
    const key = eq < 0 ? token : token.slice(0, eq);
    const near = closestKey(key, TAG_KEYS);
    if (near) fixed = `${fixed.slice(0, problem.offset)}${near}${token.slice(key.length)}${fixed.slice(problem.offset + problem.length)}`;
  }
  return fixed;
}

export function parseTagOptions(text: string): { options: ServiceOptions; problems: OptionProblem[] } {
  const options: ServiceOptions = {};
  const problems: OptionProblem[] = [];
  const seen = new Set<string>();
  for (const token of tokens(text)) {
    const eq = token.text.indexOf("=");
    const key = eq < 0 ? token.text : token.text.slice(0, eq);
    const value = eq < 0 ? undefined : token.text.slice(eq + 1);
    const at = { offset: token.offset, length: token.text.length };
    const spec = specOf(key);
    if (!spec) {
      const near = closestKey(key, TAG_KEYS);
      problems.push({
        kind: "unknown",
        ...at,
        message: `Unknown @microservice option '${key}'.`,
        hint: near ? `Did you mean '${displayKey(near)}'? Options are ${OPTIONS_LIST}.` : `Options are ${OPTIONS_LIST}; text after the options belongs on the next line.`,
      });
      continue;
    }
    if (seen.has(key)) {
      problems.push({ kind: "invalid", ...at, message: `@microservice option '${key}' is given twice.`, hint: "Keep one." });
      continue;
    }
    seen.add(key);
    // A flag alone means true; every other option needs its value.
    if (spec.kind !== "flag" && (value === undefined || value === "")) {
      problems.push({ kind: "invalid", ...at, message: `@microservice option '${key}' needs a value.`, hint: `Write it as ${exampleOf(spec, key)}.` });
      continue;
    }
    const problem = apply(options, spec, key, value);
    if (problem) problems.push({ kind: "invalid", ...at, message: problem, hint: `Write it as ${suggestion(spec, key, value ?? "")}.` });
  }
  return { options, problems };
}

/** The spec's example, spelled with the key the user wrote (`name=billing` for `name=`). */
function exampleOf(spec: OptionSpec, key: string): string {
  return spec.key === key ? spec.example : spec.example.replace(`${spec.key}=`, `${key}=`);
}

/** The value to suggest: for a service name, the whole name in kebab-case (`Billing_Svc` → `billing-svc`) when that is valid. */
function suggestion(spec: OptionSpec, key: string, value: string): string {
  if (spec.kind === "flag") return `${key} or ${key}=false`;
  if (spec.kind !== "name") return exampleOf(spec, key);
  const kebab = kebabCase(value).slice(0, 63).replace(/-+$/, "");
  return DNS_LABEL.test(kebab) ? `${key}=${kebab}` : exampleOf(spec, key);
}

/** Checks one option's value against its spec and stores it, or returns the problem. */
function apply(options: ServiceOptions, spec: OptionSpec, key: string, value: string | undefined): string | undefined {
  switch (spec.kind) {
    case "name":
      if (options.name !== undefined) return `Give the service name once: 'service=' and 'name=' mean the same.`;
      if (!DNS_LABEL.test(value!))
        return `Service name '${value}' is not a valid DNS label (lower-case letters, digits and '-', starting with a letter, at most 63 characters).`;
      options.name = value;
      return;
    case "integer": {
      const read = readInteger(spec, value!);
      if (read === undefined) return `${key}=${value} must be ${expectation(spec)}.`;
      options[key as "retry" | "concurrency" | "replicas"] = read.value;
      if (read.max !== undefined) options.maxReplicas = read.max;
      return;
    }
    case "duration": {
      const ms = duration(value!);
      if (ms === undefined || ms < spec.minMs || ms > spec.maxMs) return `${key}=${value} must be ${expectation(spec)}, such as 500ms, 2s or 1m.`;
      options.timeoutMs = ms;
      return;
    }
    case "flag":
      if (value !== undefined && value !== "true" && value !== "false") return `${key}=${value} must be ${expectation(spec)}; '${key}' alone means true.`;
      options.idempotent = value !== "false";
      return;
    case "tags": {
      const tags = value!.split(",");
      const bad = tags.find((t) => !TAG.test(t));
      if (bad !== undefined) return `tags=${value} has an invalid tag '${bad}' (letters, digits, '-', '_' and '.').`;
      options.tags = [...new Set(tags)].sort();
      return;
    }
  }
}

/** `500ms`, `2s`, `1.5m` → milliseconds; undefined when malformed. */
export function parseDuration(value: string): number | undefined {
  return duration(value);
}

function duration(value: string): number | undefined {
  const m = DURATION.exec(value);
  if (!m) return undefined;
  const n = Number(m[1]) * (m[2] === "ms" ? 1 : m[2] === "s" ? 1000 : 60_000);
  return Number.isInteger(n) ? n : undefined;
}

function* tokens(text: string): Generator<{ text: string; offset: number }> {
  const re = /\S+/g;
  for (let m = re.exec(text); m; m = re.exec(text)) yield { text: m[0], offset: m.index };
}

