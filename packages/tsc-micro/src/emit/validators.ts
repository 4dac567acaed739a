import { createRequire } from "node:module";
import { Ajv2020 } from "ajv/dist/2020.js";
import type { ComponentIR, TypeIR } from "../model/ir.js";
import { referencedComponents } from "../model/ir.js";
import type { ServicePlan } from "../plan/types.js";
import { GENERATED_HEADER, str } from "./header.js";
import { NameScope } from "./names.js";
import { documentKeys } from "./openapi.js";
import { componentSchemas, requestSchema, toJsonSchema, validatorDialect } from "./json-schema.js";
import type { SchemaDialect } from "./json-schema.js";
import { validatorFunctionModules, validatorModule } from "./validator-modules.js";
import type { CompiledValidator, SchemaEnvClass } from "./validator-modules.js";

// Ajv and ajv-formats ship CommonJS with default exports only; SchemaEnv and compileSchema are Ajv's compiler (see below).
const require = createRequire(import.meta.url);
const addFormats: typeof import("ajv-formats").default = require("ajv-formats");
const { SchemaEnv, compileSchema } = require("ajv/dist/compile/index.js") as { SchemaEnv: SchemaEnvClass; compileSchema: (this: unknown, env: object) => { validate: CompiledValidator } };

/** The `$id` of the one document all of a build's schemas live in: the components and every route's request and result. */
const DOCUMENT_ID = "tsc-micro:validators";

/**
 * Compiles each route's request schema (and result schema, checked in
 * development) to JavaScript at build time with Ajv's code generation
 * (https://ajv.js.org/standalone.html): the bundle carries plain functions, so
 * nothing is compiled when a request arrives and no `eval` runs.
 *
 * The whole build is one Ajv document: the components under `$defs`, beside
 * them every distinct route schema. Each route's function is compiled with the
 * document as its root, so its `$ref`s (`#/$defs/Customer`) resolve to the one
 * function Ajv compiles per component, shared by every route, instead of a copy
 * compiled per service; routes with equal schemas share one function. Each
 * function is a module of its own (validator-modules.ts); a service's module
 * (`tsc-micro:validators/<service>`) re-exports its routes' `<fn>Request` and
 * `<fn>Result`, and the bundler's code splitting puts what several services use
 * once into a shared chunk. Writing (and bundling) every component's validator
 * again in each of 500 services was a third of the bundler's time. Each
 * function's code is what Ajv writes for that schema on its own: the same
 * checks, error messages and paths (`schemaPath` "#/$defs/X/…" where a
 * component is inlined, "#/…" in a component's own function).
 */
export class ValidatorCompiler {
  private readonly ajv: InstanceType<typeof Ajv2020>;
  /** `$defs` keys are the documents' component keys, so both name a type alike. */
  private readonly dialect: SchemaDialect;
  /** Per service name, its export names → the function each exports. */
  private readonly exports = new Map<string, [string, string][]>();
  private readonly compiled: CompiledValidator[] = [];

  /** Compiles every route of `services` at once (one Ajv instance, one set of compiled formats, one document). */
  constructor(
    components: Readonly<Record<string, ComponentIR>>,
    services: readonly ServicePlan[],
  ) {
    this.dialect = validatorDialect(documentKeys(components));
    // The document is held against the 2020-12 meta-schema by the process's one checker (below), not by this instance.
    this.ajv = validatorAjv({ validateSchema: false });

    // Each distinct route schema once, keyed by content; `route:<n>` cannot clash with a component key (^[a-zA-Z0-9._-]+$).
    const routeKeys = new Map<string, string>();
    const defs: Record<string, object> = {};
    const used = new Set<string>();
    const routeKey = (body: object, types: readonly TypeIR[]): string => {
      referencedComponents(types, components).forEach((c) => used.add(c));
      const content = contentKey(body);
      let key = routeKeys.get(content);
      if (key === undefined) {
        key = `route:${routeKeys.size}`;
        routeKeys.set(content, key);
        defs[key] = body;
      }
      return key;
    };
    const wanted: { service: string; exportName: string; key: string }[] = [];
    for (const service of services) {
      const names = validatorExports(service);
      service.routes.forEach((route, i) => {
        const { request, result } = names[i]!;
        wanted.push({ service: service.name, exportName: request, key: routeKey(requestSchema(route.params, this.dialect), route.params.map((p) => p.type)) });
        if (route.result && result) wanted.push({ service: service.name, exportName: result, key: routeKey(toJsonSchema(route.result, this.dialect), [route.result]) });
      });
    }
    if (wanted.length === 0) return;
    // Components first, as a route's `$defs` held them; Ajv checks the whole document against the 2020-12 meta-schema here.
    const document = { $id: DOCUMENT_ID, $defs: { ...componentSchemas([...used].sort(), components, this.dialect), ...defs } };
    checkSchema(document);
    this.ajv.addSchema(document);
    const root = (this.ajv as unknown as { schemas: Record<string, object> }).schemas[DOCUMENT_ID]!;
    // A route's schema compiled as a function of its own under the document, as Ajv compiles a `$ref`'s target, but
    // never collapsed into the component a bare `{ $ref }` result names (getSchema would): its errors keep that
    // component's path ("#/$defs/X/…") as they did when each route was a document of its own.
    const byKey = new Map<string, CompiledValidator>();
    for (const { service, exportName, key } of wanted) {
      let validate = byKey.get(key);
      if (!validate) {
        const env = new SchemaEnv({ schema: defs[key]!, schemaId: "$id", root, baseId: DOCUMENT_ID });
        validate = compileSchema.call(this.ajv, env).validate;
        byKey.set(key, validate);
        this.compiled.push(validate);
      }
      const list = this.exports.get(service) ?? [];
      list.push([exportName, validate.source!.validateName.toString()]);
      this.exports.set(service, list);
    }
  }

  /** The validator module of one service: `<fn>Request` and `<fn>Result` for each of its routes (see {@link validatorExports}), re-exported from the functions' modules. */
  module(service: ServicePlan): string {
    const lines = (this.exports.get(service.name) ?? []).map(([as, fn]) => `export { ${fn === as ? fn : `${fn} as ${as}`} } from ${str(validatorModule(fn))};`);
    return `${GENERATED_HEADER}\n// Validators of service '${service.name}', compiled by Ajv.\n${lines.join("\n")}\n`;
  }

  /** Every compiled function's module, by specifier (`tsc-micro:validator/validate12`). */
  functionModules(): Record<string, string> {
    const header = `${GENERATED_HEADER}\n// A validator compiled by Ajv.\n`;
    return Object.fromEntries(Object.entries(validatorFunctionModules(this.compiled, String(this.ajv.scope.opts._n))).map(([name, text]) => [validatorModule(name), `${header}${text}`]));
  }
}

/**
 * The Ajv instance validators are compiled with, its formats added. Exported for the tests, whose
 * reference compiles each route's schema on its own with the same options. `validateSchema: false`
 * leaves checking schemas against the meta-schema to the caller ({@link checkSchema}).
 */
export function validatorAjv(options: { validateSchema?: boolean } = {}): InstanceType<typeof Ajv2020> {
  const ajv = new Ajv2020({
    validateSchema: options.validateSchema ?? true,
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
  addFormats(ajv);
  return ajv;
}

let metaSchemaChecker: InstanceType<typeof Ajv2020> | undefined;

/**
 * Throws as `addSchema` does (`schema is invalid: …`) when `document` breaks the 2020-12
 * meta-schema. One instance per process: Ajv compiles the meta-schema once per instance, and a
 * new instance per build made that compile a quarter of the emit phase of every build after the
 * first (`tsc-micro dev`'s rebuilds, `check`, the library called repeatedly, the tests).
 */
function checkSchema(document: object): void {
  metaSchemaChecker ??= validatorAjv();
  metaSchemaChecker.validateSchema(document, true);
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

/** A key equal for schemas Ajv sees as equal: JSON, with what JSON would blur (`undefined`, `-0`, `NaN`) spelled out. */
function contentKey(body: object): string {
  return JSON.stringify(body, (_key, v: unknown) => {
    if (v === undefined) return "\u0000undefined";
    if (typeof v === "number" && (!Number.isFinite(v) || Object.is(v, -0))) return `\u0000number:${Object.is(v, -0) ? "-0" : String(v)}`;
    if (typeof v === "string" && v.startsWith("\u0000")) return `\u0000${v}`;
    return v;
  });
}
