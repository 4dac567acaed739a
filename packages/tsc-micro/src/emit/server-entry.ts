import type { ComponentIR, TypeIR } from "../model/ir.js";
import type { ServicePlan } from "../plan/types.js";
import type { ErrorClass } from "../scan/error-classes.js";
import { CodecWriter } from "./codec.js";
import { GENERATED_HEADER, str } from "./header.js";

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
  const imports = unique.map((c) => `import { ${c.exportName === c.name ? c.name : `${c.exportName} as ${c.name}`} } from ${str(`./${c.file}`)};`);
  return `${GENERATED_HEADER}
// The program's own error classes: thrown in one service, caught by class in another.
import { registerErrorClasses } from "@tsc-micro/runtime/client";
${imports.join("\n")}

registerErrorClasses({ ${unique.map((c) => c.name).join(", ")} });
`;
}

export function serverEntry(service: ServicePlan, components: Readonly<Record<string, ComponentIR>>, registry = false): string {
  const codecs = new CodecWriter(components);
  const imports = service.routes
    .map((r) => `import { ${r.exportName === r.name ? r.name : `${r.exportName} as ${r.name}`} } from ${str(`./${r.file}`)};`)
    .join("\n");
  const routes = service.routes
    .map((r) => {
      const args = r.params.map((p) => `args[${str(p.name)}]`).join(", ");
      const argsType: TypeIR = { kind: "object", properties: r.params.map((p) => ({ name: p.name, type: p.type, optional: p.optional })) };
      const decode = codecs.expr(argsType, "decode", "args");
      const encode = r.result ? codecs.expr(r.result, "encode", "result") : undefined;
      return [
        "    {",
        `      name: ${str(r.name)},`,
        `      params: [${r.params.map((p) => str(p.name)).join(", ")}],`,
        `      validate: $validators.${r.name}Request,`,
        ...(r.result ? [`      validateResult: $validators.${r.name}Result,`] : []),
        `      returnsVoid: ${r.result === null},`,
        ...(decode ? [`      decode: (args) => ${decode},`] : []),
        ...(encode ? [`      encode: (result) => ${encode},`] : []),
        `      invoke: (args) => ${r.name}(${args}),`,
        "    },",
      ].join("\n");
    })
    .join("\n");
  const declarations = codecs.declarations();
  const usesCodec = routes.includes("$c.") || declarations.includes("$c.");
  return `${GENERATED_HEADER}
// Entry point of service '${service.name}'.
${registry ? `import ${str(VIRTUAL.errors(service.name))};\n` : ""}${usesCodec ? 'import * as $c from "@tsc-micro/runtime/codec";\n' : ""}import { startService as $startService } from "@tsc-micro/runtime/server";
import $openapi from ${str(VIRTUAL.openapi(service.name))};
import * as $validators from ${str(VIRTUAL.validators(service.name))};
${imports}
${declarations ? `\n${declarations}` : ""}
await $startService({
  name: ${str(service.name)},
  openapi: $openapi,
  routes: [
${routes}
  ],
});
`;
}
