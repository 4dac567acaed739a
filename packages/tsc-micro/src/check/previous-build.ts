/**
 * The previous build `check --against` compares with: its merged openapi.json
 * (a file, or the `openapi.json` of its output folder) and, given the folder,
 * the error classes its clients export (`clients/errors.d.ts`).
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { DiagnosticCode, error } from "../diagnostics/diagnostic.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { isNode } from "./normalize.js";

export interface PreviousBuild {
  /** The document compared with, as given (absolute). */
  file: string;
  /** Its OpenAPI 3.1 document, every service in one (a build's `openapi.json`). */
  document: unknown;
  /** The error classes the previous build's clients export; unknown (undefined) when only a document was given. */
  errorClasses?: string[];
}

const HINT = "Pass the openapi.json of the build that is deployed (or its output folder), kept as an artifact of the pipeline that deployed it.";

/** Reads `against` (a build's openapi.json or its output folder), or says why it cannot. */
export function readPreviousBuild(against: string): { previous?: PreviousBuild; diagnostics: Diagnostic[] } {
  const fail = (message: string) => ({ diagnostics: [error(DiagnosticCode.PreviousBuildUnreadable, message, undefined, HINT)] });
  if (!existsSync(against)) return fail(`Cannot find the previous build '${against}'.`);
  const folder = statSync(against).isDirectory();
  const file = folder ? path.join(against, "openapi.json") : against;
  if (!existsSync(file)) return fail(`'${against}' is not a tsc-micro build folder: it has no openapi.json.`);
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    return fail(`Cannot read '${file}' as JSON: ${(e as Error).message}`);
  }
  if (!isNode(document) || typeof document.openapi !== "string" || !document.openapi.startsWith("3.") || !isNode(document.paths)) {
    return fail(`'${file}' is not an OpenAPI 3 document with paths, as a tsc-micro build writes.`);
  }
  const errorClasses = folder ? exportedErrorClasses(path.join(against, "clients")) : undefined;
  return { previous: { file, document, ...(errorClasses ? { errorClasses } : {}) }, diagnostics: [] };
}

/** The classes `clients/errors.d.ts` declares (none when the build had no error classes); undefined without clients. */
function exportedErrorClasses(clients: string): string[] | undefined {
  if (!existsSync(clients)) return undefined;
  const file = path.join(clients, "errors.d.ts");
  if (!existsSync(file)) return [];
  return [...readFileSync(file, "utf8").matchAll(/^export declare class ([^\s<]+)/gm)].map((m) => m[1]!).sort();
}
