import { createRequire } from "node:module";
import { Ajv2020 } from "ajv/dist/2020.js";
import type { ComponentIR } from "../model/ir.js";
import { referencedComponents } from "../model/ir.js";
import type { ServicePlan } from "../plan/types.js";
import { GENERATED_HEADER } from "./header.js";
import { componentSchemas, requestSchema } from "./json-schema.js";

// Ajv ships CommonJS; its standalone generator has only a default export.
const require = createRequire(import.meta.url);
const standaloneCode: typeof import("ajv/dist/standalone/index.js").default = require("ajv/dist/standalone/index.js");

const DEFS = "#/$defs/";

/**
 * Compiles each route's request schema to JavaScript at build time with Ajv's
 * standalone code generation (https://ajv.js.org/standalone.html): the bundle
 * carries plain validation functions, so nothing is compiled when a request
 * arrives and no `eval` runs in production. One ESM module per service,
 * exporting one validator per route, named after the function.
 */
export function validatorModule(service: ServicePlan, components: Readonly<Record<string, ComponentIR>>): string {
  const ajv = new Ajv2020({
    code: { source: true, esm: true, lines: true },
    // Report every failing field, not just the first.
    allErrors: true,
    strict: true,
  });
  const exports: Record<string, string> = {};
  for (const route of service.routes) {
    const names = referencedComponents(
      route.params.map((p) => p.type),
      components,
    );
    const schema = {
      $id: `request:${route.name}`,
      ...requestSchema(route.params, DEFS),
      ...(names.length > 0 ? { $defs: componentSchemas(names, components, DEFS) } : {}),
    };
    ajv.addSchema(schema);
    exports[`${route.name}Request`] = schema.$id;
  }
  return `${GENERATED_HEADER}\n// Request validators of service '${service.name}', compiled by Ajv.\n${standaloneCode(ajv, exports).replace(/^"use strict";\n?/, "")}`;
}
