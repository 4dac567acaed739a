import { createRequire } from "node:module";
import { Ajv2020 } from "ajv/dist/2020.js";
import type { ComponentIR, TypeIR } from "../model/ir.js";
import { referencedComponents } from "../model/ir.js";
import type { ServicePlan } from "../plan/types.js";
import { GENERATED_HEADER } from "./header.js";
import { NameScope } from "./names.js";
import { documentKeys } from "./openapi.js";
import { componentSchemas, requestSchema, toJsonSchema, validatorDialect } from "./json-schema.js";
import type { SchemaDialect } from "./json-schema.js";
import { ValidatorReuse } from "./validator-reuse.js";
import type { ModuleSchema } from "./validator-reuse.js";

// Ajv and ajv-formats ship CommonJS with default exports only.
const require = createRequire(import.meta.url);
const standaloneCode: typeof import("ajv/dist/standalone/index.js").default = require("ajv/dist/standalone/index.js");
const addFormats: typeof import("ajv-formats").default = require("ajv-formats");

/**
 * Compiles each route's request schema (and result schema, checked in
 * development) to JavaScript at build time with Ajv's standalone code
 * generation (https://ajv.js.org/standalone.html): the bundle carries plain
 * functions, so nothing is compiled when a request arrives and no `eval` runs.
 * One ESM module per service exporting `<fn>Request` and `<fn>Result`.
 */
export class ValidatorCompiler {
  private readonly ajv: InstanceType<typeof Ajv2020>;
  private readonly added = new Set<string>();
  /** Services with the same schemas as an earlier one get its code, renumbered as Ajv would have (validator-reuse.ts). */
  private readonly reuse: ValidatorReuse;
  /** `$defs` keys are the documents' component keys, so both name a type alike. */
  private readonly dialect: SchemaDialect;

  /**
   * One Ajv instance (and one set of compiled formats) for the whole build: most of emit's time was making them per service.
   * `reuse: false` compiles every module: the reference the tests hold reuse to.
   */
  constructor(
    private readonly components: Readonly<Record<string, ComponentIR>>,
    options: { reuse?: boolean } = {},
  ) {
    this.dialect = validatorDialect(documentKeys(components));
    this.ajv = new Ajv2020({
      code: { source: true, esm: true, lines: true },
      // Report every failing field, not just the first.
      allErrors: true,
      // Only a body's own properties count: a missing optional `toString` must not find Object.prototype's.
      ownProperties: true,
      strict: true,
      // Tuples with optional or rest elements are open-ended on purpose.
      strictTuples: false,
      // `type: ["string", "null"]` is how `T | null` reads best.
      allowUnionTypes: true,
      // `oneOf` + `discriminator` picks the branch by its tag and reports that branch's errors only.
      discriminator: true,
    });
    addFormats(this.ajv);
    this.reuse = new ValidatorReuse(options.reuse === false ? undefined : ValidatorReuse.countersOf(this.ajv));
  }

  /** How many modules were written from an earlier one's code instead of compiled. */
  get reused(): number {
    return this.reuse.reused;
  }

  /** The validator module of one service: `<fn>Request` and `<fn>Result` for each of its routes (see {@link validatorExports}). */
  module(service: ServicePlan): string {
    const names = validatorExports(service);
    const schemas: ModuleSchema[] = [];
    const add = (id: string, exportName: string, root: object, types: readonly TypeIR[]): void => {
      const refs = referencedComponents(types, this.components);
      schemas.push({ id, exportName, body: { ...root, ...(refs.length > 0 ? { $defs: componentSchemas(refs, this.components, this.dialect) } : {}) } });
    };
    service.routes.forEach((route, i) => {
      const { request, result } = names[i]!;
      add(`request:${route.name}`, request, requestSchema(route.params, this.dialect), route.params.map((p) => p.type));
      if (route.result && result) add(`result:${route.name}`, result, toJsonSchema(route.result, this.dialect), [route.result]);
    });
    const compile = (): string => {
      for (const { id, body } of schemas.filter((s) => !this.added.has(s.id))) {
        this.ajv.addSchema({ $id: id, ...body });
        this.added.add(id);
      }
      return standaloneCode(this.ajv, Object.fromEntries(schemas.map((s) => [s.exportName, s.id])));
    };
    return `${GENERATED_HEADER}\n// Validators of service '${service.name}', compiled by Ajv.\n${this.reuse.code(schemas, compile).replace(/^"use strict";\n?/, "")}`;
  }
}

/**
 * The export names of a service's validator module, by route index. Ajv's
 * standalone code takes ASCII identifiers only, so a function named `π` or
 * `ℵ0` gets `_Request`-style names from one scope; the server entry reads the
 * same table, never a name glued together again.
 */
export function validatorExports(service: ServicePlan): { request: string; result?: string }[] {
  const scope = new NameScope();
  return service.routes.map((route) => {
    const base = asciiHint(route.name);
    return { request: scope.allocate(`${base}Request`), ...(route.result ? { result: scope.allocate(`${base}Result`) } : {}) };
  });
}

function asciiHint(name: string): string {
  const ascii = name.replace(/[^A-Za-z0-9_$]/g, "_");
  return /^[A-Za-z_$]/.test(ascii) ? ascii : `_${ascii}`;
}
