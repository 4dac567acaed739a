/**
 * JSON Schema (2020-12) of `TscMicroConfig` (define-config.ts). Each field's `description`
 * is also the hint printed when that field is wrong, so it is written as
 * advice. The `services.<name>` overrides are built from the tag options'
 * specs (scan/option-specs.ts), so a setting means the same in the config and
 * on the tag.
 */
import { DURATION_PATTERN, durationRange, expectation, OPTION_SPECS, RANGE_PATTERN, SERVICE_NAME_PATTERN, TAG_PATTERN } from "../scan/option-specs.js";
import { deploySchema } from "./deploy-schema.js";
import type { OptionSpec } from "../scan/option-specs.js";

export { DURATION_PATTERN, SERVICE_NAME_PATTERN };

const SERVICE_NAME_HINT =
  "A service name is a DNS label: lower-case letters, digits and '-', starting with a letter and not ending with '-', at most 63 characters.";

const serviceName = { type: "string", pattern: SERVICE_NAME_PATTERN, description: SERVICE_NAME_HINT };

/** The schema of one override, from the option's spec: same range, same advice as on the tag. */
function overrideSchema(spec: OptionSpec): object {
  const key = spec.configKey!;
  switch (spec.kind) {
    case "integer":
      // A range is written as a string, "2..10"; its bounds are checked in code (validate-config.ts).
      return spec.range
        ? { type: ["integer", "string"], minimum: spec.min, maximum: spec.max, pattern: RANGE_PATTERN, description: `${key} is ${expectation(spec)}, e.g. 3 or "2..10".` }
        : { type: "integer", minimum: spec.min, maximum: spec.max, description: `${key} is ${expectation(spec)}.` };
    case "duration":
      return { type: "string", pattern: DURATION_PATTERN, description: `${key} is a duration such as "500ms", "2s" or "1m", ${durationRange(spec)}.` };
    case "flag":
      return { type: "boolean", description: `${key} is ${expectation(spec)}.` };
    case "tags":
      return {
        type: "array",
        description: `${key} is a list of labels, e.g. ["payments", "critical"].`,
        items: { type: "string", pattern: TAG_PATTERN, description: "A tag is letters, digits, '-', '_' and '.', starting with a letter or digit." },
      };
    case "name":
      throw new Error(`option '${spec.key}' cannot be set per service`);
  }
}

const overridable = OPTION_SPECS.filter((s) => s.configKey !== undefined);

const serviceOverrides = {
  type: "object",
  additionalProperties: false,
  description: `Overrides of one service: ${overridable.map((s) => s.configKey).join(", ")}.`,
  properties: Object.fromEntries(overridable.map((s) => [s.configKey!, overrideSchema(s)])),
};

/** The schema the loaded config is validated against. */
export const configSchema = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: "https://tsc-micro.dev/schemas/tsc-micro.config.json",
  title: "tsc-micro config",
  type: "object",
  additionalProperties: false,
  description: "The default export of tsc-micro.config.ts is an object, e.g. export default defineConfig({ mode: \"split\" }).",
  properties: {
    mode: { enum: ["split", "monolith"], description: "mode is \"split\" (one service per service name) or \"monolith\" (everything in one service)." },
    colocate: {
      type: "array",
      description: "colocate is a list of groups of service names, e.g. [[\"is-even\", \"is-odd\"]].",
      items: {
        type: "array",
        minItems: 1,
        description: "A colocate group is a non-empty list of service names, e.g. [\"is-even\", \"is-odd\"].",
        items: serviceName,
      },
    },
    services: {
      type: "object",
      description: "services maps service names to their overrides, e.g. { \"is-even\": { timeout: \"2s\" } }.",
      propertyNames: serviceName,
      additionalProperties: serviceOverrides,
    },
    entry: {
      // One type with both array and string keywords: each applies only to its
      // own type, which gives one clear error instead of anyOf's three.
      type: ["string", "array"],
      minLength: 1,
      minItems: 1,
      items: { type: "string", minLength: 1, description: "An entry is a path relative to the project, e.g. \"src/main.ts\"." },
      description: "entry is a path relative to the project, or a list of them, e.g. \"src/main.ts\".",
    },
    monolithName: { ...serviceName, description: `monolithName is a service name. ${SERVICE_NAME_HINT}` },
    outDir: { type: "string", minLength: 1, description: "outDir is a folder relative to the project, e.g. \"dist\"." },
    baseImage: { type: "string", minLength: 1, description: "baseImage is a Docker image reference, e.g. \"node:24.11.1-trixie-slim\"." },
    allowAny: { type: "boolean", description: "allowAny is true or false." },
    typeCheck: { type: "boolean", description: "typeCheck is true (report TypeScript's errors, the default) or false (skip it when tsc already ran)." },
    deploy: deploySchema(serviceName),
  },
} as const;

