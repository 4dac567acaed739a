import { closestKey } from "../diagnostics/suggest.js";
import { kebabCase } from "../plan/naming.js";

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
  /** How many times a failed, retry-safe call may be retried (0–10). */
  retry?: number;
  /** Per-call timeout in milliseconds, written as `500ms`, `2s` or `1m`. */
  timeoutMs?: number;
  /** Maximum concurrent requests the service handles (≥ 1). */
  concurrency?: number;
  /** Number of instances to deploy (≥ 1). */
  replicas?: number;
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

const KEYS = ["service", "name", "retry", "timeout", "concurrency", "replicas", "tags"] as const;
type Key = (typeof KEYS)[number];

/** DNS-1123 label: what Docker Compose and Kubernetes accept as a service name. */
const DNS_LABEL = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
const TAG = /^[A-Za-z0-9][-A-Za-z0-9_.]*$/;
const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m)$/;

/** Parses the first line of the tag's text. Returns the options and every problem found. */
export function parseTagOptions(text: string): { options: ServiceOptions; problems: OptionProblem[] } {
  const options: ServiceOptions = {};
  const problems: OptionProblem[] = [];
  const seen = new Set<string>();
  for (const token of tokens(text)) {
    const eq = token.text.indexOf("=");
    const key = eq < 0 ? token.text : token.text.slice(0, eq);
    const value = eq < 0 ? undefined : token.text.slice(eq + 1);
    const at = { offset: token.offset, length: token.text.length };
    if (!isKey(key)) {
      const near = closestKey(key, KEYS);
      problems.push({
        kind: "unknown",
        ...at,
        message: `Unknown @microservice option '${key}'.`,
        hint: near
          ? `Did you mean '${near}='? Options are ${KEYS.map((k) => `${k}=`).join(", ")}.`
          : `Options are ${KEYS.map((k) => `${k}=`).join(", ")}; text after the options belongs on the next line.`,
      });
      continue;
    }
    if (seen.has(key)) {
      problems.push({ kind: "invalid", ...at, message: `@microservice option '${key}' is given twice.`, hint: "Keep one." });
      continue;
    }
    seen.add(key);
    if (value === undefined || value === "") {
      problems.push({ kind: "invalid", ...at, message: `@microservice option '${key}' needs a value.`, hint: `Write it as ${key}=${EXAMPLES[key]}.` });
      continue;
    }
    const problem = apply(options, key, value);
    if (problem) problems.push({ kind: "invalid", ...at, message: problem, hint: `Write it as ${key}=${suggestion(key, value)}.` });
  }
  return { options, problems };
}

const EXAMPLES: Record<Key, string> = {
  service: "billing",
  name: "billing",
  retry: "3",
  timeout: "2s",
  concurrency: "16",
  replicas: "2",
  tags: "payments,critical",
};

/** The value to suggest: for a service name, the whole name in kebab-case (`Billing_Svc` → `billing-svc`) when that is valid. */
function suggestion(key: Key, value: string): string {
  if (key !== "service" && key !== "name") return EXAMPLES[key];
  const kebab = kebabCase(value).slice(0, 63).replace(/-+$/, "");
  return DNS_LABEL.test(kebab) ? kebab : EXAMPLES[key];
}

function apply(options: ServiceOptions, key: Key, value: string): string | undefined {
  switch (key) {
    case "service":
    case "name":
      if (options.name !== undefined) return `Give the service name once: 'service=' and 'name=' mean the same.`;
      if (!DNS_LABEL.test(value))
        return `Service name '${value}' is not a valid DNS label (lower-case letters, digits and '-', starting with a letter, at most 63 characters).`;
      options.name = value;
      return;
    case "retry":
      return setInteger(options, "retry", value, 0, 10, `retry=${value} must be a whole number from 0 to 10.`);
    case "timeout": {
      const ms = duration(value);
      if (ms === undefined || ms < 1 || ms > 3_600_000)
        return `timeout=${value} must be a duration from 1ms to 1h, such as 500ms, 2s or 1m.`;
      options.timeoutMs = ms;
      return;
    }
    case "concurrency":
      return setInteger(options, "concurrency", value, 1, 100_000, `concurrency=${value} must be a whole number of at least 1.`);
    case "replicas":
      return setInteger(options, "replicas", value, 1, 1000, `replicas=${value} must be a whole number from 1 to 1000.`);
    case "tags": {
      const tags = value.split(",");
      const bad = tags.find((t) => !TAG.test(t));
      if (bad !== undefined) return `tags=${value} has an invalid tag '${bad}' (letters, digits, '-', '_' and '.').`;
      options.tags = [...new Set(tags)].sort();
      return;
    }
  }
}

/** Sets a whole-number option within [min, max], or returns the problem. */
function setInteger(options: ServiceOptions, key: "retry" | "concurrency" | "replicas", value: string, min: number, max: number, problem: string): string | undefined {
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(n >= min && n <= max)) return problem;
  options[key] = n;
  return undefined;
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

function isKey(key: string): key is Key {
  return (KEYS as readonly string[]).includes(key);
}

function* tokens(text: string): Generator<{ text: string; offset: number }> {
  const re = /\S+/g;
  for (let m = re.exec(text); m; m = re.exec(text)) yield { text: m[0], offset: m.index };
}

