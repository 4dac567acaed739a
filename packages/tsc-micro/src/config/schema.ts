/**
 * JSON Schema (2020-12) of `TscMicroConfig` (define-config.ts). Each field's `description`
 * is also the hint printed when that field is wrong, so it is written as
 * advice. Ranges and patterns match the `@microservice` tag options, so a
 * setting means the same in the config and on the tag.
 */

/** DNS-1123 label: what Docker Compose and Kubernetes accept as a service name. */
export const SERVICE_NAME_PATTERN = "^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$";
/** Digits, then `ms`, `s` or `m`. The 1 ms – 1 h range is checked in code: a pattern cannot say it. */
export const DURATION_PATTERN = "^\\d+(\\.\\d+)?(ms|s|m)$";

const SERVICE_NAME_HINT =
  "A service name is a DNS label: lower-case letters, digits and '-', starting with a letter and not ending with '-', at most 63 characters.";

const serviceName = { type: "string", pattern: SERVICE_NAME_PATTERN, description: SERVICE_NAME_HINT };

const serviceOverrides = {
  type: "object",
  additionalProperties: false,
  description: "Overrides of one service: retry, timeout, concurrency, replicas, tags.",
  properties: {
    retry: { type: "integer", minimum: 0, maximum: 10, description: "retry is a whole number from 0 to 10." },
    timeout: {
      type: "string",
      pattern: DURATION_PATTERN,
      description: "timeout is a duration such as \"500ms\", \"2s\" or \"1m\", from 1ms to 1h.",
    },
    concurrency: { type: "integer", minimum: 1, maximum: 100_000, description: "concurrency is a whole number of at least 1." },
    replicas: { type: "integer", minimum: 1, maximum: 1000, description: "replicas is a whole number from 1 to 1000." },
    tags: {
      type: "array",
      description: "tags is a list of labels, e.g. [\"payments\", \"critical\"].",
      items: {
        type: "string",
        pattern: "^[A-Za-z0-9][-A-Za-z0-9_.]*$",
        description: "A tag is letters, digits, '-', '_' and '.', starting with a letter or digit.",
      },
    },
  },
} as const;

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
  },
} as const;

