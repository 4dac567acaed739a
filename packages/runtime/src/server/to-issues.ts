/**
 * Turns Ajv's errors into {@link ValidationIssue}s whose paths read like the
 * code the caller wrote ("user.tags[2]"), not like JSON Pointers.
 */
import type { ValidationIssue } from "../errors.js";
import type { ValidateFunction } from "./types.js";

/** Ajv errors → issues. `null`/`undefined` → no issues. */
export function toIssues(errors: ValidateFunction["errors"]): ValidationIssue[] {
  if (!errors) return [];
  return errors.map(function toIssue(error): ValidationIssue {
    const base = pointerToPath(error.instancePath ?? "");
    // The body's own properties are the function's arguments, so say
    // "argument" at the top level and "property" below it.
    const noun = base === "" ? "argument" : "property";
    const params = error.params ?? {};
    if (error.keyword === "required" && typeof params.missingProperty === "string") {
      return {
        path: appendKey(base, params.missingProperty),
        rule: "required",
        message: `missing ${noun}`,
      };
    }
    if (
      error.keyword === "additionalProperties" &&
      typeof params.additionalProperty === "string"
    ) {
      return {
        path: appendKey(base, params.additionalProperty),
        rule: "additionalProperties",
        message: `unknown ${noun}`,
      };
    }
    return {
      path: base,
      rule: error.keyword,
      message: error.message ?? "is invalid",
    };
  });
}

/** "/a/0/b" → "a[0].b"; "" → "". Decodes the JSON Pointer escapes ~1 and ~0. */
export function pointerToPath(pointer: string): string {
  if (pointer === "") return "";
  const segments = pointer.replace(/^\//, "").split("/");
  let path = "";
  for (const raw of segments) {
    const segment = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    path = /^(0|[1-9]\d*)$/.test(segment)
      ? `${path}[${segment}]`
      : appendKey(path, segment);
  }
  return path;
}

/** Adds a property name: `.name` when it reads as an identifier, else `["a b"]`. */
function appendKey(path: string, key: string): string {
  if (/^[A-Za-z_$][\w$]*$/.test(key)) return path === "" ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

/** "x: must be number; y: unknown argument" — one line for error messages. */
export function describeIssues(issues: readonly ValidationIssue[]): string {
  return issues
    .map((issue) => `${issue.path === "" ? "(body)" : issue.path}: ${issue.message}`)
    .join("; ");
}
