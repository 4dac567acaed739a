import type { Plan } from "../plan/types.js";
import { CLIENT_ERRORS_BUNDLE, clientErrorsDeclarations, clientErrorsEntry, exportedErrorClasses } from "./client-errors.js";
import { clientDeclarations, clientModule, indexDeclarations, indexModule, typesDeclarations } from "./client.js";
import type { DeployConfig } from "../config/define-config.js";
import { deployFiles } from "./deploy/deploy.js";
import { entryDockerfile } from "./dockerfile.js";
import type { DockerOptions } from "./dockerfile.js";
import { GENERATED_HEADER, json } from "./header.js";
import { documentContext, mergedDocument, serviceDocument } from "./openapi.js";
import { rewriteSource } from "./rewrite-source.js";
import { RUNTIME_PACKAGE, runtimeRange, runtimeVersion } from "./runtime-package.js";
import { errorRegistry, serverEntry, VIRTUAL } from "./server-entry.js";
import { ValidatorCompiler } from "./validators.js";

/** A module the bundler serves from memory. */
export interface VirtualModule {
  contents: string;
  loader: "js" | "json";
}

/** Phase 4's output: text only, nothing written yet. */
export interface EmitResult {
  /** Files of the output folder, by path relative to it (bundles come from the bundle phase). */
  files: Record<string, string>;
  /** Generated modules by specifier (`tsc-micro:server/is-even`, …). */
  modules: Record<string, VirtualModule>;
  /**
   * One bundle per service (and program entry point): its entry specifier and output path.
   * `runtime: "external"` (dist/clients/errors.js): @tsc-micro/runtime is imported, not bundled, and the file is `.js`.
   */
  entries: { service: string; entry: string; out: string; runtime?: "external" }[];
  /** Rewritten program sources, per service, by project-relative file. */
  sources: Record<string, Record<string, string>>;
}

export interface EmitOptions extends DockerOptions {
  /** The config's `deploy` section: images, namespace, resources of dist/deploy/. */
  deploy?: DeployConfig;
  /** Version of @tsc-micro/runtime the bundles embed; the clients ask for `^<version>`. Default: the installed one. */
  runtimeVersion?: string;
}

/**
 * Phase 4: turns the plan into text: OpenAPI documents, entry points' Dockerfiles, clients,
 * server entries, validators and rewritten sources. Reads nothing but the plan
 * and the program's source texts; writes nothing.
 */
export function emit(plan: Plan, readSource: (file: string) => string, options: EmitOptions = {}): EmitResult {
  const result: EmitResult = { files: {}, modules: {}, entries: [], sources: {} };
  const used = new Set<string>();
  const validators = new ValidatorCompiler(plan.components, plan.services);
  const documents = documentContext(plan);
  // The same registry text serves every bundle; made once.
  const registryText = plan.errorClasses.length > 0 ? errorRegistry(plan.errorClasses) : undefined;
  for (const service of plan.services) {
    const dir = `services/${service.name}`;
    const document = serviceDocument(plan, service, documents);
    result.files[`${dir}/openapi.json`] = json(document);
    // Its Dockerfile copies the shared chunks its bundle loads, known after bundling: package/service-dockerfiles.ts.
    result.files[`clients/${service.name}.js`] = clientModule(service, plan.components);
    result.files[`clients/${service.name}.d.ts`] = clientDeclarations(service);
    if (registryText) result.modules[VIRTUAL.errors(service.name)] = { contents: registryText, loader: "js" };
    result.modules[VIRTUAL.server(service.name)] = { contents: serverEntry(service, plan.components, registryText !== undefined), loader: "js" };
    result.modules[VIRTUAL.client(service.name)] = { contents: result.files[`clients/${service.name}.js`]!, loader: "js" };
    result.modules[VIRTUAL.validators(service.name)] = { contents: validators.module(service), loader: "js" };
    result.modules[VIRTUAL.openapi(service.name)] = { contents: JSON.stringify(document), loader: "json" };
    result.entries.push({ service: service.name, entry: VIRTUAL.server(service.name), out: `${dir}/index` });
    result.sources[service.name] = Object.fromEntries(service.rewrites.map((r) => [r.file, rewriteSource(readSource(r.file), r)]));
    [...service.components, ...(service.typingComponents ?? [])].forEach((c) => used.add(c));
  }
  // The functions the services' validator modules re-export, each once (emit/validators.ts).
  for (const [specifier, contents] of Object.entries(validators.functionModules())) result.modules[specifier] = { contents, loader: "js" };
  for (const entry of plan.entries) {
    const bundleName = `entry.${entry.name}`;
    result.modules[VIRTUAL.entry(bundleName)] = {
      contents: `${GENERATED_HEADER}\n// Entry point '${entry.name}': the program's ${entry.file}, calling the services through their clients.\n${plan.errorClasses.length > 0 ? `import ${JSON.stringify(VIRTUAL.errors(bundleName))};\n` : ""}import ${JSON.stringify(`./${entry.file}`)};\n`,
      loader: "js",
    };
    if (registryText) result.modules[VIRTUAL.errors(bundleName)] = { contents: registryText, loader: "js" };
    result.entries.push({ service: bundleName, entry: VIRTUAL.entry(bundleName), out: `entries/${entry.name}/index` });
    result.files[`entries/${entry.name}/Dockerfile`] = entryDockerfile(entry, options);
    result.sources[bundleName] = Object.fromEntries(entry.rewrites.map((r) => [r.file, rewriteSource(readSource(r.file), r)]));
  }
  result.modules[VIRTUAL.async] = { contents: `${GENERATED_HEADER}\nexport * from "@tsc-micro/runtime/async";\n`, loader: "js" };
  result.files["clients/types.d.ts"] = typesDeclarations(plan.components, [...used].sort());
  // The program's error classes for dist/clients: bundled from its sources as clients/errors.js (see bundle/).
  const errorExports = exportedErrorClasses(plan.errorClasses, plan.services);
  if (errorExports.length > 0) {
    result.modules[VIRTUAL.errors(CLIENT_ERRORS_BUNDLE)] = { contents: clientErrorsEntry(errorExports), loader: "js" };
    result.entries.push({ service: CLIENT_ERRORS_BUNDLE, entry: VIRTUAL.errors(CLIENT_ERRORS_BUNDLE), out: "clients/errors", runtime: "external" });
    result.files["clients/errors.d.ts"] = clientErrorsDeclarations(errorExports);
  }
  const errorNames = errorExports.map((e) => e.as);
  result.files["clients/index.js"] = indexModule(plan.services, errorNames);
  result.files["clients/index.d.ts"] = indexDeclarations(plan.services, errorNames);
  // The generated clients' own needs: the runtime this build embeds, installed by whoever imports them.
  result.files["clients/package.json"] = json({ type: "module", sideEffects: false, dependencies: { [RUNTIME_PACKAGE]: runtimeRange(options.runtimeVersion ?? runtimeVersion()) } });
  result.files["openapi.json"] = json(mergedDocument(plan, documents));
  for (const [file, text] of Object.entries(deployFiles(plan, options.deploy))) result.files[`deploy/${file}`] = text;
  return result;
}
