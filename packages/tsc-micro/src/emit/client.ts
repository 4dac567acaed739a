import type { ComponentIR } from "../model/ir.js";
import { CodecWriter } from "./codec.js";
import type { RoutePlan, ServicePlan } from "../plan/types.js";
import { GENERATED_HEADER, jsdoc, str } from "./header.js";
import { componentDeclaration, GLOBAL_TYPES, namesBeside, toTsType } from "./ts-types.js";
import type { TypeNames } from "./ts-types.js";
import { identifierHint, importSpecifier, NameScope } from "./names.js";
import { CLIENT_EXPORTS, RUNTIME } from "./runtime-api.js";

/**
 * The typed client of one service as an ESM module: one async function per
 * route with the source function's parameters, calling `POST /<name>` through
 * a pooled keep-alive connection. Also used inside other services' bundles.
 */
export function clientModule(service: ServicePlan, components: Readonly<Record<string, ComponentIR>>): string {
  // The module's exports and every parameter are the user's names, written as they are; generated names avoid them.
  const scope = new NameScope([service.clientName, ...service.routes.flatMap((r) => [r.name, ...r.params.map((p) => p.name)])]);
  const codecs = new CodecWriter(components, scope);
  const serviceClient = scope.allocate(CLIENT_EXPORTS.ServiceClient);
  const fns = service.routes
    .map((r) => {
      const names = r.params.map((p) => p.name);
      const args = r.params.map((p) => {
        const encoded = codecs.expr(p.type, "encode", p.name);
        return encoded ? `${str(p.name)}: ${encoded}` : p.name;
      });
      const policy = callPolicy(r);
      const decode = r.result ? codecs.lambda(r.result, "decode") : undefined;
      const call = `${service.clientName}.call(${str(r.name)}, { ${args.join(", ")} }${policy ? `, ${policy}` : ""})${decode ? `.then(${decode})` : ""}`;
      return `${routeDoc(r)}export function ${r.name}(${names.join(", ")}) {\n  return ${call};\n}\n`;
    })
    .join("\n");
  const declarations = codecs.declarations();
  const importClient = serviceClient === CLIENT_EXPORTS.ServiceClient ? serviceClient : `${CLIENT_EXPORTS.ServiceClient} as ${serviceClient}`;
  return `${GENERATED_HEADER}
${codecs.importLine()}import { ${importClient} } from ${str(RUNTIME.client)};

${clientDoc(service)}export const ${service.clientName} = new ${serviceClient}({
  service: ${str(service.name)},
  envVar: ${str(service.envVar)},
  defaultUrl: ${str(service.defaultUrl)},
});

${fns}${declarations ? `\n${declarations}` : ""}`;
}

/**
 * The route's call policy, the third argument of `.call(…)`: only the options
 * its tag or the configuration set, in a fixed order (the runtime's
 * `CallOptions`); undefined when none is set, so the runtime's defaults apply.
 */
export function callPolicy(r: Pick<RoutePlan, "options">): string | undefined {
  const { timeoutMs, retry, idempotent } = r.options;
  const keys = [
    timeoutMs !== undefined ? `timeoutMs: ${timeoutMs}` : undefined,
    retry !== undefined ? `retry: ${retry}` : undefined,
    idempotent !== undefined ? `idempotent: ${idempotent}` : undefined,
  ].filter((k) => k !== undefined);
  return keys.length > 0 ? `{ ${keys.join(", ")} }` : undefined;
}

/** The client's type declarations: the source signatures, each returning a Promise. */
export function clientDeclarations(service: ServicePlan): string {
  // An import may not share a name with a declaration of the module, and a user type must not capture a built-in.
  const scope = new NameScope([service.clientName, ...service.routes.map((r) => r.name), ...GLOBAL_TYPES]);
  const serviceClient = scope.allocate(CLIENT_EXPORTS.ServiceClient);
  // Overload signatures may name types the wire does not (typingComponents).
  const components = [...service.components, ...(service.typingComponents ?? [])].sort();
  const aliases = new Map(components.map((c) => [c, scope.allocate(identifierHint(c))]));
  const names: TypeNames = { ref: (c) => aliases.get(c) ?? c, global: (g) => g };
  const types = components.length > 0 ? `import type { ${components.map((c) => importSpecifier(c, aliases.get(c)!)).join(", ")} } from "./types.js";\n` : "";
  // An overloaded function declares its overloads, each with its own docs, and (as TypeScript
  // does) not its implementation's signature; the client maps a call's arguments by position.
  const fns = service.routes
    .map((r) =>
      (r.overloads ?? [r])
        .map((s) => {
          const params = s.params.map((p) => `${p.name}${p.optional && !p.orUndefined ? "?" : ""}: ${toTsType(p.type, names)}${p.orUndefined ? " | undefined" : ""}`).join(", ");
          const result = s.result === null ? "void" : toTsType(s.result, names);
          return `${routeDoc(r, s)}export declare function ${r.name}(${params}): Promise<${result}>;\n`;
        })
        .join(""),
    )
    .join("\n");
  return `${GENERATED_HEADER}
import type { ${importSpecifier(CLIENT_EXPORTS.ServiceClient, serviceClient)} } from ${str(RUNTIME.client)};
${types}
${clientDoc(service)}export declare const ${service.clientName}: ${serviceClient};

${fns}`;
}

/** Declarations of every named type the services use. */
export function typesDeclarations(components: Readonly<Record<string, ComponentIR>>, names: readonly string[]): string {
  const typeNames = namesBeside(names);
  return `${GENERATED_HEADER}\n// Types that cross the wire, as the services' schemas describe them.\n\n${names.map((n) => componentDeclaration(components[n]!, typeNames)).join("\n")}${names.length === 0 ? "export {};\n" : ""}`;
}

/**
 * `dist/clients/index.js`: every service's functions and client objects, and
 * the program's error classes (`errors`, from `./errors.js`, which registers
 * them with the runtime on import).
 */
export function indexModule(services: readonly ServicePlan[], errors: readonly string[] = []): string {
  return `${GENERATED_HEADER}\n${services.map((s) => `export * from "./${s.name}.js";`).join("\n")}\n${errorsExport(errors)}`;
}

export function indexDeclarations(services: readonly ServicePlan[], errors: readonly string[] = []): string {
  return `${GENERATED_HEADER}\n${services.map((s) => `export * from "./${s.name}.js";`).join("\n")}\n${errorsExport(errors)}export type * from "./types.js";\n`;
}

/** Named, not `export *`: a named export wins over a type of the same name in types.js. */
function errorsExport(errors: readonly string[]): string {
  return errors.length > 0 ? `export { ${errors.join(", ")} } from "./errors.js";\n` : "";
}

function clientDoc(service: ServicePlan): string {
  return jsdoc([
    `Client of service '${service.name}'.`,
    `Base URL: ${service.clientName}.setBaseUrl(url), else $${service.envVar}, else ${service.defaultUrl}.`,
  ]);
}

/** The JSDoc of a route, or of one of its overload signatures (`signature`) when it is overloaded. */
function routeDoc(r: RoutePlan, signature: Pick<RoutePlan, "params" | "docs"> = r): string {
  const { params, docs } = signature;
  return jsdoc([
    docs.description,
    ...params.filter((p) => p.description).map((p) => `@param ${p.name} ${p.description}`),
    docs.returns ? `@returns ${docs.returns}` : undefined,
    docs.deprecated ? "@deprecated" : undefined,
  ]);
}
