/**
 * The plan as a reviewer reads it: services and their functions (signature,
 * options, schemas), every call of a tagged function in each bundle (network
 * or local, with its call site) and the async the rewrite inserts, with why.
 * Pure: the scan and the plan in, plain data out.
 */
import type { SchemaObject } from "openapi3-ts/oas31";
import { componentSchemas, documentDialect, requestSchema, toJsonSchema } from "../emit/json-schema.js";
import { documentKeys } from "../emit/openapi.js";
import { toTsType } from "../emit/ts-types.js";
import { referencedComponents } from "../model/ir.js";
import type { Plan, RoutePlan } from "../plan/types.js";
import type { ScanResult } from "../scan/types.js";
import { bundleView } from "./bundle-view.js";
import type { FunctionView, InspectView } from "./types.js";

export function inspectView(scan: ScanResult, plan: Plan): InspectView {
  const dialect = documentDialect(documentKeys(plan.components));
  const serviceOf = new Map(plan.services.flatMap((s) => s.routes.map((r) => [r.functionId, s.name] as const)));
  const located = new Map(scan.functions.map((f) => [f.id, f.location]));
  const functionView = (route: RoutePlan): FunctionView => {
    const at = located.get(route.functionId);
    const params = route.params.map((p) => `${p.name}${p.optional ? "?" : ""}: ${toTsType(p.type)}`).join(", ");
    return {
      name: route.name,
      file: route.file,
      line: at?.line ?? 1,
      column: at?.column ?? 1,
      signature: `${route.name}(${params}): ${route.result ? toTsType(route.result) : "void"}`,
      async: route.isAsync,
      options: {
        ...(route.options.retry !== undefined ? { retry: route.options.retry } : {}),
        ...(route.options.timeoutMs !== undefined ? { timeoutMs: route.options.timeoutMs } : {}),
        ...(route.options.idempotent !== undefined ? { idempotent: route.options.idempotent } : {}),
      },
      request: requestSchema(route.params, dialect),
      response: route.result ? toJsonSchema(route.result, dialect) : null,
    };
  };
  const used = referencedComponents(
    plan.services.flatMap((s) => s.routes.flatMap((r) => [...r.params.map((p) => p.type), ...(r.result ? [r.result] : [])])),
    plan.components,
  );
  return {
    project: { name: plan.project.name, version: plan.project.version },
    services: plan.services.map((s) => ({
      name: s.name,
      url: s.defaultUrl,
      envVar: s.envVar,
      options: s.options,
      dependencies: s.dependencies,
      functions: s.routes.map(functionView),
      ...bundleView(scan, serviceOf, { service: s.name, roots: s.routes.map((r) => r.functionId), rewrites: s.rewrites }),
    })),
    entries: plan.entries.map((e) => ({
      name: e.name,
      file: e.file,
      dependencies: e.dependencies,
      ...bundleView(scan, serviceOf, { roots: [`${e.file}:module`], rewrites: e.rewrites }),
    })),
    components: componentSchemas(used, plan.components, dialect) as Record<string, SchemaObject>,
  };
}
