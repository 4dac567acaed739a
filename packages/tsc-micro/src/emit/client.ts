import type { ComponentIR } from "../model/ir.js";
import { CodecWriter } from "./codec.js";
import type { RoutePlan, ServicePlan } from "../plan/types.js";
import { GENERATED_HEADER, jsdoc, str } from "./header.js";
import { componentDeclaration, toTsType } from "./ts-types.js";

/**
 * The typed client of one service as an ESM module: one async function per
 * route with the source function's parameters, calling `POST /<name>` through
 * a pooled keep-alive connection. Also used inside other services' bundles.
 */
export function clientModule(service: ServicePlan, components: Readonly<Record<string, ComponentIR>>): string {
  const codecs = new CodecWriter(components);
  const fns = service.routes
    .map((r) => {
      const names = r.params.map((p) => p.name);
      const args = r.params.map((p) => {
        const encoded = codecs.expr(p.type, "encode", p.name);
        return encoded ? `${str(p.name)}: ${encoded}` : p.name;
      });
      const timeout = r.options.timeoutMs !== undefined ? `, { timeoutMs: ${r.options.timeoutMs} }` : "";
      const decoded = r.result ? codecs.expr(r.result, "decode", "v") : undefined;
      const call = `${service.clientName}.call(${str(r.name)}, { ${args.join(", ")} }${timeout})${decoded ? `.then((v) => ${decoded})` : ""}`;
      return `${routeDoc(r)}export function ${r.name}(${names.join(", ")}) {\n  return ${call};\n}\n`;
    })
    .join("\n");
  const declarations = codecs.declarations();
  const usesCodec = fns.includes("$c.") || declarations.includes("$c.");
  return `${GENERATED_HEADER}
${usesCodec ? 'import * as $c from "@tsc-micro/runtime/codec";\n' : ""}import { ServiceClient } from "@tsc-micro/runtime/client";

${clientDoc(service)}export const ${service.clientName} = new ServiceClient({
  service: ${str(service.name)},
  envVar: ${str(service.envVar)},
  defaultUrl: ${str(service.defaultUrl)},
});

${fns}${declarations ? `\n${declarations}` : ""}`;
}

/** The client's type declarations: the source signatures, each returning a Promise. */
export function clientDeclarations(service: ServicePlan): string {
  const types = service.components.length > 0 ? `import type { ${service.components.join(", ")} } from "./types.js";\n` : "";
  const fns = service.routes
    .map((r) => {
      const params = r.params.map((p) => `${p.name}${p.optional ? "?" : ""}: ${toTsType(p.type)}`).join(", ");
      const result = r.result === null ? "void" : toTsType(r.result);
      return `${routeDoc(r)}export declare function ${r.name}(${params}): Promise<${result}>;\n`;
    })
    .join("\n");
  return `${GENERATED_HEADER}
import type { ServiceClient } from "@tsc-micro/runtime/client";
${types}
${clientDoc(service)}export declare const ${service.clientName}: ServiceClient;

${fns}`;
}

/** Declarations of every named type the services use. */
export function typesDeclarations(components: Readonly<Record<string, ComponentIR>>, names: readonly string[]): string {
  return `${GENERATED_HEADER}\n// Types that cross the wire, as the services' schemas describe them.\n\n${names.map((n) => componentDeclaration(components[n]!)).join("\n")}${names.length === 0 ? "export {};\n" : ""}`;
}

/** `dist/clients/index.js`: every service's functions and client objects. */
export function indexModule(services: readonly ServicePlan[]): string {
  return `${GENERATED_HEADER}\n${services.map((s) => `export * from "./${s.name}.js";`).join("\n")}\n`;
}

export function indexDeclarations(services: readonly ServicePlan[]): string {
  return `${GENERATED_HEADER}\n${services.map((s) => `export * from "./${s.name}.js";`).join("\n")}\nexport type * from "./types.js";\n`;
}

function clientDoc(service: ServicePlan): string {
  return jsdoc([
    `Client of service '${service.name}'.`,
    `Base URL: ${service.clientName}.setBaseUrl(url), else $${service.envVar}, else ${service.defaultUrl}.`,
  ]);
}

function routeDoc(r: RoutePlan): string {
  return jsdoc([
    r.docs.description,
    ...r.params.filter((p) => p.description).map((p) => `@param ${p.name} ${p.description}`),
    r.docs.returns ? `@returns ${r.docs.returns}` : undefined,
    r.docs.deprecated ? "@deprecated" : undefined,
  ]);
}
