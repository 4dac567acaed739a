import type { ComponentIR, TypeIR } from "../model/ir.js";
import type { ServicePlan } from "../plan/types.js";
import { CodecWriter } from "./codec.js";
import { GENERATED_HEADER, str } from "./header.js";

/** Module specifiers the bundler resolves to generated modules (see bundle/plugin). */
export const VIRTUAL = {
  server: (service: string) => `tsc-micro:server/${service}`,
  client: (service: string) => `tsc-micro:client/${service}`,
  validators: (service: string) => `tsc-micro:validators/${service}`,
  openapi: (service: string) => `tsc-micro:openapi/${service}`,
} as const;

/**
 * The entry point of a service's bundle: imports the service's functions from
 * the program (paths relative to the project root), wires each to its route
 * and validator, and starts the server. Thin on purpose: the logic lives in
 * @tsc-micro/runtime.
 */
export function serverEntry(service: ServicePlan, components: Readonly<Record<string, ComponentIR>>): string {
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
${usesCodec ? 'import * as $c from "@tsc-micro/runtime/codec";\n' : ""}import { startService as $startService } from "@tsc-micro/runtime/server";
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
