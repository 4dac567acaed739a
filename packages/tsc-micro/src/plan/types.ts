import type { ComponentIR, ParameterModel, TypeIR } from "../model/ir.js";
import type { FunctionDocs } from "../scan/types.js";
import type { ServiceOptions } from "../scan/tag-options.js";
import type { ErrorClass } from "../scan/error-classes.js";

/** A change to a source file's text: replace [start, end) with `text`. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
  /** Among edits at the same position, lower comes first in the output. */
  order: number;
}

/** How one source file reads inside one service's bundle. */
export interface FileRewrite {
  file: string;
  edits: TextEdit[];
  /** Client functions the rewritten file imports: `import { name as alias } from "tsc-micro:client/<service>"`. */
  imports: { service: string; name: string; alias: string }[];
  /** The file calls the async array helpers (`$tsmAsync.map(…)`): the name it imports them under, fresh in the file. */
  asyncHelpers?: string;
}

/**
 * One overload signature of an overloaded service function, as the client's
 * typings declare it (with its own JSDoc). The route itself, its schema and
 * the client's call follow the implementation (`RoutePlan.params`): a call's
 * arguments go by position under the implementation's parameter names.
 */
export interface OverloadPlan {
  params: ParameterModel[];
  /** Result type; `null` for void. */
  result: TypeIR | null;
  docs: FunctionDocs;
}

/** One function served by a service: `POST /<name>`. */
export interface RoutePlan {
  functionId: string;
  name: string;
  exportName: string;
  file: string;
  params: ParameterModel[];
  /** Result type; `null` for void (204). */
  result: TypeIR | null;
  /** The function is async in the source. */
  isAsync: boolean;
  docs: FunctionDocs;
  options: ServiceOptions;
  /** The overload signatures, in source order, when the function is overloaded: what the client's typings declare instead of `params`/`result`. */
  overloads?: OverloadPlan[];
}

export interface ServicePlan {
  /** DNS-label service name, e.g. `is-even`. */
  name: string;
  /** Environment variable the clients read for the base URL, e.g. `TSC_MICRO_IS_EVEN_URL`. */
  envVar: string;
  /** URL used when the variable is unset: the name Docker Compose and Kubernetes give. */
  defaultUrl: string;
  /** The exported client object's name in generated clients, e.g. `isEvenService`. */
  clientName: string;
  port: number;
  routes: RoutePlan[];
  /** Options of the whole service, merged from its functions' tags and the configuration. */
  options: { replicas?: number; /** `replicas=MIN..MAX`: autoscale from `replicas` up to this. */ maxReplicas?: number; concurrency?: number; tags?: string[] };
  /** Components the service's routes use, sorted. */
  components: string[];
  /** Components only overload signatures name (the client's typings use them, the wire does not), sorted; absent when none. */
  typingComponents?: string[];
  /** Services this one calls, sorted. */
  dependencies: string[];
  /**
   * False when nothing in the service can read the call it answers (it calls no other service and
   * the program never names @tsc-micro/runtime, so no `callSignal()`): its functions then run
   * without the AsyncLocalStorage context, whose promise hooks cost every promise of the process.
   */
  callContext: boolean;
  /** Source files that read differently inside this service's bundle, sorted by file. */
  rewrites: FileRewrite[];
}

/** A program entry point (e.g. `src/main.ts`) bundled as its own process, calling the services. */
export interface EntryPlan {
  /** Output folder name: `entries/<name>/index.mjs`. */
  name: string;
  /** Project-relative path of the entry file. */
  file: string;
  dependencies: string[];
  rewrites: FileRewrite[];
}

/** Phase 3's output: everything emit needs, as plain data. */
export interface Plan {
  /** Project name and version for document titles. */
  project: { name: string; version: string; /** SPDX identifier from package.json's `license`, for the documents' info. */ license?: string };
  services: ServicePlan[];
  entries: EntryPlan[];
  /** The program's exported Error subclasses, rebuilt by class when thrown across the wire. */
  errorClasses: ErrorClass[];
  components: Record<string, ComponentIR>;
}
