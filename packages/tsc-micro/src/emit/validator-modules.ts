/**
 * Ajv's standalone code (ajv/dist/standalone), cut per compiled function: one
 * ES module per validator function instead of one module per call. A function
 * module holds the function as Ajv wrote it, the values its code uses (schema
 * constants, patterns, formats: `const schema12 = …`, each module its own copy,
 * as a standalone module would hold them) and imports the functions it calls
 * from their own modules. So every function exists once however many services
 * use it, and a bundler that splits code puts it where exactly its users load
 * it (see validators.ts).
 *
 * Reads what Ajv keeps for standalone code (`validate.source`: the function's
 * name, code, the scope values it uses, its `evaluated` annotation), as
 * ajv/dist/standalone/index.js does.
 */

/** The module of one compiled validator function. */
export function validatorModule(functionName: string): string {
  return `tsc-micro:validator/${functionName}`;
}

/** A name in Ajv's scope (`validate12`, `schema3`, `func0`), with the value it stands for. */
interface ScopeName {
  readonly prefix: string;
  readonly value?: { ref?: unknown; code?: unknown };
  toString(): string;
}

/** A validation function Ajv compiled with `code.source`. */
export interface CompiledValidator {
  source?: {
    validateName: ScopeName;
    validateCode: unknown;
    scopeValues: Record<string, Set<ScopeName> | undefined>;
    /** Ajv's annotation of what the function evaluated, as code, when the dialect tracks it (2020-12). */
    evaluated?: unknown;
  };
}

/** Ajv's SchemaEnv (ajv/dist/compile/index.js), as far as it is used here. */
export type SchemaEnvClass = new (env: { schema: object; schemaId: string; root: object; baseId: string }) => object;

/**
 * The module text of every function the given ones use, themselves included,
 * by function name. `newline` is Ajv's line separator (`ajv.scope.opts._n`).
 */
export function validatorFunctionModules(roots: readonly CompiledValidator[], newline: string): Record<string, string> {
  const modules: Record<string, string> = {};
  const pending = [...roots];
  while (pending.length > 0) {
    const source = pending.shift()!.source;
    if (!source) throw new Error("tsc-micro bug: an Ajv function without source (code.source must be on)");
    const name = source.validateName.toString();
    if (name in modules) continue;
    const imports = new Set<string>();
    const lines: string[] = [];
    const uses = (fn: CompiledValidator | undefined): string => {
      const called = fn?.source?.validateName.toString();
      if (!fn || called === undefined) throw new Error(`tsc-micro bug: ${name} calls a function Ajv has no source for`);
      if (called !== name) {
        imports.add(called);
        pending.push(fn);
      }
      return called;
    };
    // In the order Ajv's standalone code writes them (scope.ts _reduceValues): per prefix, then per name.
    for (const prefix of Object.keys(source.scopeValues)) {
      for (const value of source.scopeValues[prefix] ?? []) {
        const ref = value.value?.ref;
        if (value.value?.code !== undefined) {
          lines.push(`const ${value} = ${String(value.value.code)};`);
        } else if (value.prefix === "validate" && typeof ref === "function") {
          uses(ref as CompiledValidator);
        } else if ((value.prefix === "root" || value.prefix === "wrapper") && typeof ref === "object" && ref !== null) {
          // A reference to a function still being compiled (a recursive type): Ajv calls it through `{ validate }`.
          lines.push(`const ${value} = {validate: ${uses((ref as { validate?: CompiledValidator }).validate)}};`);
        } else {
          throw new Error(`tsc-micro bug: Ajv scope value ${value} has no code`);
        }
      }
    }
    const importLines = [...imports].sort().map((fn) => `import { ${fn} } from ${JSON.stringify(validatorModule(fn))};`);
    const evaluated = source.evaluated !== undefined ? `${name}.evaluated = ${String(source.evaluated)};${newline}` : "";
    modules[name] = [...importLines, ...lines, `${String(source.validateCode)}${newline}${evaluated}export { ${name} };`].join(newline) + newline;
  }
  return modules;
}
