/**
 * Checks a loaded config: first against the JSON Schema (types, ranges,
 * patterns, unknown keys), then the rules a schema cannot say (timeout range,
 * a service in two colocate groups, entry files that must exist). Every
 * problem is reported, each naming its field by path (`services.is-even.timeout`).
 */
import { statSync } from "node:fs";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import type { ErrorObject, ValidateFunction } from "ajv/dist/2020.js";
import { DiagnosticCode, error } from "../diagnostics/diagnostic.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { parseDuration } from "../scan/tag-options.js";
import { configSpec, durationRange, expectation, RANGE_PATTERN, readInteger } from "../scan/option-specs.js";
import type { DurationSpec, IntegerSpec, OptionSpec } from "../scan/option-specs.js";
import { configSchema, DURATION_PATTERN } from "./schema.js";
import { closestKey } from "../diagnostics/suggest.js";

/** Where the config came from, for messages and for resolving `entry`. */
export interface ValidateConfigOptions {
  /** Project folder: `entry` paths are relative to it. */
  rootDir: string;
  /** Project-relative POSIX path of the config file, set on every diagnostic. */
  file: string;
}

// Compiled once, on first use: the schema is fixed, and compiling it costs ~0.3 s of CPU that a
// build without a config file (and every process that merely imports the compiler) need not pay.
// `verbose` gives each error its schema (for the hint) and data (for "got …");
// `allowUnionTypes` admits `entry`'s `type: ["string", "array"]`.
let compiled: ValidateFunction | undefined;
function schemaValidator(): ValidateFunction {
  compiled ??= new Ajv2020({ allErrors: true, verbose: true, allowUnionTypes: true }).compile(configSchema);
  return compiled;
}

const DURATION = new RegExp(DURATION_PATTERN);
const TIMEOUT = configSpec("timeout") as DurationSpec;
const RANGE = new RegExp(RANGE_PATTERN);
const REPLICAS = configSpec("replicas") as IntegerSpec & OptionSpec;

/** Returns every problem of `config` (an unchecked default export) as ConfigInvalid diagnostics; [] when valid. */
export function validateConfig(config: unknown, options: ValidateConfigOptions): Diagnostic[] {
  const validateSchema = schemaValidator();
  const problems = validateSchema(config) ? [] : (validateSchema.errors ?? []).flatMap((e) => fromSchemaError(e, config));
  if (isObject(config)) problems.push(...timeoutProblems(config), ...replicasProblems(config), ...colocateProblems(config), ...entryProblems(config, options.rootDir));
  return problems.map((p) => ({ ...error(DiagnosticCode.ConfigInvalid, p.message, undefined, p.hint), file: options.file }));
}

interface Problem {
  message: string;
  hint?: string;
}

/** One Ajv error → one problem, phrased with the field's path and the value found. */
function fromSchemaError(e: ErrorObject, config: unknown): Problem[] {
  // Ajv reports a bad key twice: once by the key's own schema (with
  // `propertyName` set, handled below) and once as this summary. Keep one.
  if (e.keyword === "propertyNames") return [];
  const at = displayPath(e.instancePath, config);
  const hint = (e.parentSchema as { description?: string } | undefined)?.description;
  if (e.keyword === "additionalProperties") {
    const key = String((e.params as { additionalProperty: string }).additionalProperty);
    const known = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
    const near = closestKey(key, known);
    return [
      {
        message: `${joinPath(at, key)}: unknown key.`,
        hint: `${near ? `Did you mean '${near}'? ` : ""}Known keys${at ? ` of ${at}` : ""}: ${known.join(", ")}.`,
      },
    ];
  }
  if (e.propertyName !== undefined) {
    return [{ message: `${joinPath(at, e.propertyName)}: the key ${e.message ?? "is invalid"}.`, ...(hint ? { hint } : {}) }];
  }
  const what =
    e.keyword === "enum"
      ? `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(", ")}`
      : e.keyword === "type" && Array.isArray((e.params as { type: unknown }).type)
        ? `must be ${((e.params as { type: string[] }).type).join(" or ")}`
        : (e.message ?? "is invalid");
  return [{ message: `${at || "config"}: ${what} (got ${describe(e.data)}).`, ...(hint ? { hint } : {}) }];
}

/** The duration pattern cannot express the range the tag enforces; check it here. */
function timeoutProblems(config: Record<string, unknown>): Problem[] {
  const problems: Problem[] = [];
  for (const [name, overrides] of Object.entries(isObject(config.services) ? config.services : {})) {
    const timeout = isObject(overrides) ? overrides.timeout : undefined;
    if (typeof timeout !== "string" || !DURATION.test(timeout)) continue; // the schema reported it
    const ms = parseDuration(timeout);
    if (ms !== undefined && ms >= TIMEOUT.minMs && ms <= TIMEOUT.maxMs) continue;
    problems.push({
      message: `${joinPath(joinPath("services", name), "timeout")}: must be ${durationRange(TIMEOUT)}, in whole milliseconds (got ${JSON.stringify(timeout)}).`,
      hint: "Write a duration such as \"500ms\", \"2s\" or \"1m\".",
    });
  }
  return problems;
}

/** The range pattern cannot say MIN ≤ MAX nor bound both ends: check `"2..10"` as the tag does. */
function replicasProblems(config: Record<string, unknown>): Problem[] {
  const problems: Problem[] = [];
  for (const [name, overrides] of Object.entries(isObject(config.services) ? config.services : {})) {
    const replicas = isObject(overrides) ? overrides.replicas : undefined;
    if (typeof replicas !== "string" || !RANGE.test(replicas) || readInteger(REPLICAS, replicas)) continue; // valid, or the schema reported it
    problems.push({
      message: `${joinPath(joinPath("services", name), "replicas")}: must be ${expectation(REPLICAS)}, MIN ≤ MAX (got ${JSON.stringify(replicas)}).`,
      hint: 'Write a number such as 3, or a range such as "2..10" to autoscale.',
    });
  }
  return problems;
}

/** A service can be built in one place only, so it may appear once across all groups. */
function colocateProblems(config: Record<string, unknown>): Problem[] {
  const problems: Problem[] = [];
  const seen = new Map<string, string>();
  const groups = Array.isArray(config.colocate) ? config.colocate : [];
  groups.forEach((group: unknown, g) => {
    if (!Array.isArray(group)) return;
    group.forEach((name: unknown, i) => {
      if (typeof name !== "string") return;
      const first = seen.get(name);
      const here = `colocate[${g}][${i}]`;
      if (first === undefined) {
        seen.set(name, here);
        return;
      }
      problems.push({
        message: `${here}: service '${name}' is already colocated at ${first}.`,
        hint: "A service is built as part of one group only: remove it here, or merge the two groups.",
      });
    });
  });
  return problems;
}

/** Entries are bundled as programs, so a missing one would only fail later, less clearly. */
function entryProblems(config: Record<string, unknown>, rootDir: string): Problem[] {
  const entries = typeof config.entry === "string" ? [["entry", config.entry] as const] : Array.isArray(config.entry) ? config.entry.map((e: unknown, i) => [`entry[${i}]`, e] as const) : [];
  const problems: Problem[] = [];
  for (const [at, entry] of entries) {
    if (typeof entry !== "string" || entry === "") continue; // the schema reported it
    const stat = statSync(path.resolve(rootDir, entry), { throwIfNoEntry: false });
    if (stat?.isFile()) continue;
    problems.push({
      message: `${at}: ${JSON.stringify(entry)} ${stat ? "is not a file" : "does not exist"}.`,
      hint: "Entry paths are relative to the project folder, e.g. \"src/main.ts\".",
    });
  }
  return problems;
}

/** `/services/is-even/timeout` → `services.is-even.timeout`; array indexes as `[0]`. */
function displayPath(pointer: string, data: unknown): string {
  if (pointer === "") return "";
  let at = "";
  let node = data;
  for (const raw of pointer.slice(1).split("/")) {
    const segment = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    at = Array.isArray(node) ? `${at}[${segment}]` : joinPath(at, segment);
    node = isObject(node) || Array.isArray(node) ? (node as Record<string, unknown>)[segment] : undefined;
  }
  return at;
}

/** Appends a key: dotted when it reads as a name, quoted in brackets otherwise (`services["a b"]`). */
function joinPath(at: string, key: string): string {
  if (!/^[A-Za-z_$][-\w$]*$/.test(key)) return `${at}[${JSON.stringify(key)}]`;
  return at ? `${at}.${key}` : key;
}

/** Short description of a value for "got …": scalars as written, containers by kind. */
function describe(value: unknown): string {
  if (Array.isArray(value)) return "an array";
  if (typeof value === "function") return "a function";
  if (value !== null && typeof value === "object") return "an object";
  const text = typeof value === "string" ? JSON.stringify(value) : String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
