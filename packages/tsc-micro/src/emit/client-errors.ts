import type { ServicePlan } from "../plan/types.js";
import type { ErrorClass } from "../scan/error-classes.js";
import { GENERATED_HEADER, str } from "./header.js";
import { isIdentifierName, NameScope } from "./names.js";
import { CLIENT_EXPORTS, RUNTIME } from "./runtime-api.js";

/** Bundle name of `dist/clients/errors.js` (a dot: no service or entry bundle is named so). */
export const CLIENT_ERRORS_BUNDLE = "clients.errors";

/** One error class as `dist/clients` exports it. */
export interface ExportedErrorClass {
  cls: ErrorClass;
  /** The name it is exported under: the program's export name, or the class's own for a default export. */
  as: string;
}

/**
 * The program's error classes `dist/clients` exports: one per registered name
 * (the first, as in the bundles' registry), under the name the program
 * exports it by. A class whose name would shadow a client function or client
 * object of `index.js` is left out: that one keeps the name.
 */
export function exportedErrorClasses(errorClasses: readonly ErrorClass[], services: readonly ServicePlan[]): ExportedErrorClass[] {
  const taken = new Set(services.flatMap((s) => [s.clientName, ...s.routes.map((r) => r.name)]));
  const unique = [...new Map(errorClasses.map((c) => [c.name, c])).values()];
  const out: ExportedErrorClass[] = [];
  for (const cls of unique) {
    const as = isIdentifierName(cls.exportName) && cls.exportName !== "default" ? cls.exportName : cls.name;
    if (taken.has(as)) continue;
    taken.add(as);
    out.push({ cls, as });
  }
  return out;
}

/**
 * Entry of `dist/clients/errors.js`, bundled from the program's sources with
 * @tsc-micro/runtime left external: exports the classes and registers them
 * with the runtime the clients use, so `instanceof` holds for an error a
 * service threw. `{ replace: false }`: a class the consumer registered itself
 * under the same name wins, whichever ran first.
 */
export function clientErrorsEntry(classes: readonly ExportedErrorClass[]): string {
  const scope = new NameScope(classes.map((c) => c.as));
  const register = scope.allocate(CLIENT_EXPORTS.registerErrorClasses);
  const imports = classes.map(({ cls, as }) => `import { ${cls.exportName === as ? as : `${isIdentifierName(cls.exportName) ? cls.exportName : str(cls.exportName)} as ${as}`} } from ${str(`./${cls.file}`)};`);
  const entries = classes.map(({ cls, as }) => (cls.name === as ? as : `${isIdentifierName(cls.name) ? cls.name : str(cls.name)}: ${as}`));
  return `${GENERATED_HEADER}
// The program's exported error classes, for code that calls the services through dist/clients.
import { ${register === CLIENT_EXPORTS.registerErrorClasses ? register : `${CLIENT_EXPORTS.registerErrorClasses} as ${register}`} } from ${str(RUNTIME.client)};
${imports.join("\n")}

${register}({ ${entries.join(", ")} }, { replace: false });

export { ${classes.map((c) => c.as).join(", ")} };
`;
}

/**
 * `dist/clients/errors.d.ts`. Deliberately loose: the fields of a program's
 * error are whatever its class declares, which may name any of the program's
 * types; they are typed `unknown` (narrow them), the constructor takes
 * anything. `instanceof` narrows to the class, and subclasses of Error keep
 * Error's members.
 */
export function clientErrorsDeclarations(classes: readonly ExportedErrorClass[]): string {
  const decls = classes.map(({ cls, as }) =>
    `/** The program's \`${cls.name}\` (${cls.file}). */\nexport declare class ${as} extends Error {\n  constructor(...args: any[]);\n  [field: string]: unknown;\n}\n`,
  );
  return `${GENERATED_HEADER}\n${decls.join("\n")}${classes.length === 0 ? "export {};\n" : ""}`;
}
