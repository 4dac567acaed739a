import type { ComponentIR, TypeIR } from "../model/ir.js";
import type { ServicePlan } from "../plan/types.js";
import type { ErrorClass } from "../scan/error-classes.js";
import { CodecWriter } from "./codec.js";
import { GENERATED_HEADER, str } from "./header.js";
import { importSpecifier, isIdentifierName, NameScope } from "./names.js";
import { CLIENT_EXPORTS, RUNTIME, SERVER_EXPORTS } from "./runtime-api.js";
import { validatorExports } from "./validators.js";

/** Module specifiers the bundler resolves to generated modules (see bundle/plugin). */
export const VIRTUAL = {
  server: (service: string) => `tsc-micro:server/${service}`,
  client: (service: string) => `tsc-micro:client/${service}`,
  validators: (service: string) => `tsc-micro:validators/${service}`,
  openapi: (service: string) => `tsc-micro:openapi/${service}`,
  entry: (name: string) => `tsc-micro:entry/${name}`,
  errors: (bundle: string) => `tsc-micro:errors/${bundle}`,
  /** Async versions of the array methods (@tsc-micro/runtime/async). */
  async: "tsc-micro:async",
} as const;

/**
 * The entry point of a service's bundle: imports the service's functions from
 * the program (paths relative to the project root), wires each to its route
 * and validator, and starts the server. Thin on purpose: the logic lives in
 * @tsc-micro/runtime.
 */
/**
 * Registers the program's Error subclasses with the client runtime of one
 * bundle, so errors from other services are rebuilt as those very classes.
 * Imported first by the bundle's entry.
 */
export function errorRegistry(errorClasses: readonly ErrorClass[]): string {
  const unique = [...new Map(errorClasses.map((c) => [c.name, c])).values()];
  // The classes register under their own names (the wire carries them); only the local bindings are allocated.
  const scope = new NameScope();
  const locals = unique.map((c) => scope.allocate(c.name));
  const register = scope.allocate(CLIENT_EXPORTS.registerErrorClasses);
  const imports = unique.map((c, i) => `import { ${importSpecifier(c.exportName, locals[i]!)} } from ${str(`./${c.file}`)};`);
  const entries = unique.map((c, i) => (locals[i] === c.name ? c.name : `${propertyName(c.name)}: ${locals[i]}`));
  return `${GENERATED_HEADER}
// The program's own error classes: thrown in one service, caught by class in another.
import { ${importSpecifier(CLIENT_EXPORTS.registerErrorClasses, register)} } from ${str(RUNTIME.client)};
${imports.join("\n")}

${register}({ ${entries.join(", ")} });
`;
}

export function serverEntry(service: ServicePlan, components: Readonly<Record<string, ComponentIR>>, registry = false): string {
  // The program's functions first, under their own names where possible; then every name the entry itself needs.
  const scope = new NameScope();
  const locals = service.routes.map((r) => scope.allocate(r.name));
  const startService = scope.allocate(`$${SERVER_EXPORTS.startService}`);
  const openapi = scope.allocate("$openapi");
  const validators = scope.allocate("$validators");
  const argsName = scope.allocate("args");
  const resultName = scope.allocate("result");
  const codecs = new CodecWriter(components, scope);
  const imports = service.routes.map((r, i) => `import { ${importSpecifier(r.exportName, locals[i]!)} } from ${str(`./${r.file}`)};`).join("\n");
  const validatorNames = validatorExports(service);
  const routes = service.routes
    .map((r, i) => {
      const args = r.params.map((p) => `${argsName}[${str(p.name)}]`).join(", ");
      const argsType: TypeIR = { kind: "object", properties: r.params.map((p) => ({ name: p.name, type: p.type, optional: p.optional })) };
      const decode = codecs.expr(argsType, "decode", argsName);
      const encode = r.result ? codecs.expr(r.result, "encode", resultName) : undefined;
      return [
        "    {",
        `      name: ${str(r.name)},`,
        `      params: [${r.params.map((p) => str(p.name)).join(", ")}],`,
        `      validate: ${member(validators, validatorNames[i]!.request)},`,
        ...(r.result ? [`      validateResult: ${member(validators, validatorNames[i]!.result!)},`] : []),
        `      returnsVoid: ${r.result === null},`,
        ...(decode ? [`      decode: (${argsName}) => ${decode},`] : []),
        ...(encode ? [`      encode: (${resultName}) => ${encode},`] : []),
        `      invoke: (${argsName}) => ${locals[i]}(${args}),`,
        "    },",
      ].join("\n");
    })
    .join("\n");
  const declarations = codecs.declarations();
  return `${GENERATED_HEADER}
// Entry point of service '${service.name}'.
${registry ? `import ${str(VIRTUAL.errors(service.name))};\n` : ""}${codecs.importLine()}import { ${importSpecifier(SERVER_EXPORTS.startService, startService)} } from ${str(RUNTIME.server)};
import ${openapi} from ${str(VIRTUAL.openapi(service.name))};
import * as ${validators} from ${str(VIRTUAL.validators(service.name))};
${imports}
${declarations ? `\n${declarations}` : ""}
await ${startService}({
  name: ${str(service.name)},
  openapi: ${openapi},
${service.options.concurrency !== undefined ? `  concurrency: ${service.options.concurrency},\n` : ""}${service.callContext ? "" : "  callContext: false,\n"}  routes: [
${routes}
  ],
});
`;
}

/** `object.name`, or `object["name"]` when the name is no identifier. */
function member(object: string, name: string): string {
  return isIdentifierName(name) ? `${object}.${name}` : `${object}[${str(name)}]`;
}

/** An object key: bare when it can be, quoted otherwise. */
function propertyName(name: string): string {
  return isIdentifierName(name) ? name : str(name);
}
