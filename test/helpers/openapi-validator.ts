// One OpenAPI schema validator per test process. Making a Validator compiles the OpenAPI 3.1
// schema with Ajv again: measured here, 90–330 ms of CPU per document against under 10 ms for a
// document checked by a Validator already made — most of openapi.test.ts's CPU, which made one
// per document. Each validate() sets `version` and `specificationVersion` anew.
import { Validator } from "@seriousme/openapi-schema-validator";

let shared: Validator | undefined;

/** The process's validator, made on first use. */
export function openapiValidator(): Validator {
  shared ??= new Validator();
  return shared;
}
