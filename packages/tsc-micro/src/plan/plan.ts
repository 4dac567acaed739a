import { DiagnosticCode, error } from "../diagnostics/diagnostic.js";
import type { Diagnostic, Location } from "../diagnostics/diagnostic.js";
import { referencedComponents } from "../model/ir.js";
import type { ParameterModel, TypeIR } from "../model/ir.js";
import type { ModelResult } from "../model/model.js";
import type { ScanResult, TaggedFunction } from "../scan/types.js";
import type { ServiceOptions } from "../scan/tag-options.js";
import { groupServices } from "./grouping.js";
import type { GroupingOptions } from "./grouping.js";
import { camelCase, kebabCase, urlEnvVar } from "./naming.js";
import { planRewrites } from "./rewrites.js";
import type { EntryPlan, Plan, RoutePlan, ServicePlan } from "./types.js";

export interface PlanOptions extends GroupingOptions {
  /** Port every service listens on in its container. Default 8080. */
  port?: number;
  /** Project name and version, for document titles. */
  project?: { name: string; version: string };
  /** Options per service name (from configuration); they win over the tags. */
  overrides?: Readonly<Record<string, Omit<ServiceOptions, "name">>>;
  /** Program entry points (project-relative files) bundled as their own processes. */
  entries?: readonly string[];
  /** Where the configuration sets a service's options (`services.<name>` in the config file), for diagnostics. */
  configAt?: (service: string) => Location | undefined;
}

/**
 * Phase 3: groups tagged functions into services, names them, and decides for
 * each bundle (every service, every entry point) which calls become network
 * calls. Pure: data in, data out.
 */
export function plan(scan: ScanResult, models: ModelResult, options: PlanOptions = {}): { plan: Plan; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const port = options.port ?? 8080;
  const serviceOf = groupServices(scan.functions, options, diagnostics);
  const names = new Set(serviceOf.values());
  for (const name of Object.keys(options.overrides ?? {})) {
    if (!names.has(name)) {
      diagnostics.push(error(DiagnosticCode.ConfigInvalid, `The configuration sets options for service '${name}', which this build does not have.`, options.configAt?.(name), `Services: ${[...names].sort().join(", ")}.`));
    }
  }
  const byService = new Map<string, TaggedFunction[]>();
  for (const fn of scan.functions) {
    const name = serviceOf.get(fn.id);
    if (name) (byService.get(name) ?? byService.set(name, []).get(name)!).push(fn);
  }

  // Every route is exported by dist/clients/index.js beside every client object: their names must differ.
  const routeNames = new Set(scan.functions.map((f) => f.name));
  const services: ServicePlan[] = [...byService.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, fns]) => {
      const overrides = options.overrides?.[name] ?? {};
      const routes = fns.map((fn) => route(fn, models, overrides)).sort((a, b) => a.name.localeCompare(b.name));
      const { rewrites, dependencies } = planRewrites(name, scan, serviceOf, diagnostics);
      const components = referencedComponents(routes.flatMap(signatureTypes), models.components);
      const typingComponents = referencedComponents(routes.flatMap((r) => (r.overloads ?? []).flatMap(signatureTypes)), models.components).filter((c) => !components.includes(c));
      return {
        name,
        envVar: urlEnvVar(name),
        defaultUrl: `http://${name}:${port}`,
        clientName: clientNameFor(name, routeNames),
        port,
        routes,
        options: serviceOptions(name, fns, overrides, diagnostics),
        components,
        ...(typingComponents.length > 0 ? { typingComponents } : {}),
        dependencies,
        callContext: dependencies.length > 0 || scan.importsRuntime === true,
        rewrites,
      };
    });

  const entries: EntryPlan[] = (options.entries ?? []).map((file) => {
    const name = kebabCase(file.replace(/^.*\//, "").replace(/\.[cm]?[tj]sx?$/, "")) || "main";
    const { rewrites, dependencies } = planRewrites(`entry.${name}`, scan, serviceOf, diagnostics, [`${file}:module`]);
    return { name, file, rewrites, dependencies };
  });

  return {
    plan: {
      project: options.project ?? { name: "tsc-micro-app", version: "0.0.0" },
      services,
      entries,
      errorClasses: scan.errorClasses,
      components: models.components,
    },
    diagnostics,
  };
}

function route(fn: TaggedFunction, models: ModelResult, overrides: Omit<ServiceOptions, "name">): RoutePlan {
  const model = models.functions[fn.id]!;
  const options: ServiceOptions = { ...fn.options };
  if (overrides.retry !== undefined) options.retry = overrides.retry;
  if (overrides.timeoutMs !== undefined) options.timeoutMs = overrides.timeoutMs;
  if (overrides.idempotent !== undefined) options.idempotent = overrides.idempotent;
  return {
    functionId: fn.id,
    name: fn.name,
    exportName: fn.exportName,
    file: fn.file,
    params: model.params,
    result: model.result,
    isAsync: fn.isAsync,
    docs: fn.docs,
    options,
    ...(model.overloads ? { overloads: model.overloads.map((o, i) => ({ ...o, docs: fn.overloads![i]!.docs })) } : {}),
  };
}

/** The types a signature (a route's, or an overload's) names. */
function signatureTypes(s: { params: readonly ParameterModel[]; result: TypeIR | null }): TypeIR[] {
  return [...s.params.map((p) => p.type), ...(s.result ? [s.result] : [])];
}

/**
 * Options that belong to the whole service (replicas, concurrency, tags): the
 * tags of its functions must agree, and configuration overrides them.
 */
function serviceOptions(name: string, fns: readonly TaggedFunction[], overrides: Omit<ServiceOptions, "name">, diagnostics: Diagnostic[]): ServicePlan["options"] {
  const out: ServicePlan["options"] = {};
  // `replicas=2..10` is one value (replicas and maxReplicas together): compared and overridden as a whole.
  const textOf = (o: Omit<ServiceOptions, "name">, key: "replicas" | "concurrency") =>
    o[key] === undefined ? undefined : key === "replicas" && o.maxReplicas !== undefined ? `${o.replicas}..${o.maxReplicas}` : String(o[key]);
  const source = (o: Omit<ServiceOptions, "name">, key: "replicas" | "concurrency") => {
    out[key] = o[key];
    if (key === "replicas" && o.maxReplicas !== undefined) out.maxReplicas = o.maxReplicas;
  };
  for (const key of ["replicas", "concurrency"] as const) {
    const values = fns.filter((f) => f.options[key] !== undefined);
    const distinct = [...new Set(values.map((f) => textOf(f.options, key)))];
    if (overrides[key] !== undefined) source(overrides, key);
    else if (distinct.length === 1) source(values[0]!.options, key);
    else if (distinct.length > 1) {
      diagnostics.push(
        error(
          DiagnosticCode.ConflictingServiceOptions,
          `Functions of service '${name}' disagree on ${key}=: ${values.map((f) => `${f.name} says ${textOf(f.options, key)}`).join(", ")}.`,
          values[1]!.location,
          `Give ${key}= on one function only, or set it for the service in tsc-micro.config.ts.`,
        ),
      );
    }
  }
  const tags = [...new Set([...fns.flatMap((f) => f.options.tags ?? []), ...(overrides.tags ?? [])])].sort();
  if (tags.length > 0) out.tags = tags;
  return out;
}

/** `is-even` → `isEvenService`; `isEvenServiceClient` (…`_2`) when a function of the program has that name. */
function clientNameFor(service: string, routeNames: ReadonlySet<string>): string {
  const base = `${camelCase(service)}Service`;
  if (!routeNames.has(base)) return base;
  let name = `${base}Client`;
  for (let i = 2; routeNames.has(name); i++) name = `${base}Client_${i}`;
  return name;
}
