import { DiagnosticCode, error } from "../diagnostics/diagnostic.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { referencedComponents } from "../model/ir.js";
import type { ModelResult } from "../model/model.js";
import type { ScanResult, TaggedFunction } from "../scan/types.js";
import { camelCase, kebabCase, urlEnvVar } from "./naming.js";
import { planRewrites } from "./rewrites.js";
import type { Plan, RoutePlan, ServicePlan } from "./types.js";

export interface PlanOptions {
  /** Port every service listens on in its container. Default 8080. */
  port?: number;
  /** Project name and version, for document titles. */
  project?: { name: string; version: string };
}

/**
 * Phase 3: groups tagged functions into services, names them, and decides for
 * each service's bundle which calls become network calls. Pure: data in, data out.
 */
export function plan(scan: ScanResult, models: ModelResult, options: PlanOptions = {}): { plan: Plan; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const port = options.port ?? 8080;
  const serviceOf = new Map<string, string>();
  const byService = new Map<string, TaggedFunction[]>();
  const byRoute = new Map<string, TaggedFunction>();
  for (const fn of scan.functions) {
    const name = fn.options.name ?? kebabCase(fn.name);
    const clash = byRoute.get(fn.name);
    if (clash) {
      diagnostics.push(
        error(
          DiagnosticCode.DuplicateRoute,
          `Two service functions are named '${fn.name}' (the other is in ${clash.file}); generated clients export functions by name.`,
          fn.location,
          "Rename one of them.",
        ),
      );
      continue;
    }
    byRoute.set(fn.name, fn);
    const existing = byService.get(name);
    if (existing) {
      diagnostics.push(
        error(
          DiagnosticCode.DuplicateService,
          `Service name '${name}' is already used by '${existing[0]!.name}' (${existing[0]!.file}).`,
          fn.location,
          `Give this function another name with '@microservice name=<service>'.`,
        ),
      );
      continue;
    }
    byService.set(name, [fn]);
    serviceOf.set(fn.id, name);
  }

  const services: ServicePlan[] = [...byService.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, fns]) => {
      const routes = fns.map((fn) => route(fn, models)).sort((a, b) => a.name.localeCompare(b.name));
      const { rewrites, dependencies } = planRewrites(name, scan, serviceOf, diagnostics);
      const types = routes.flatMap((r) => [...r.params.map((p) => p.type), ...(r.result ? [r.result] : [])]);
      return {
        name,
        envVar: urlEnvVar(name),
        defaultUrl: `http://${name}:${port}`,
        clientName: `${camelCase(name)}Service`,
        port,
        routes,
        components: referencedComponents(types, models.components),
        dependencies,
        rewrites,
      };
    });
  return {
    plan: { project: options.project ?? { name: "tsc-micro-app", version: "0.0.0" }, services, components: models.components },
    diagnostics,
  };
}

function route(fn: TaggedFunction, models: ModelResult): RoutePlan {
  const model = models.functions[fn.id]!;
  return {
    functionId: fn.id,
    name: fn.name,
    exportName: fn.exportName,
    file: fn.file,
    params: model.params,
    result: model.result,
    isAsync: fn.isAsync,
    docs: fn.docs,
    options: fn.options,
  };
}
