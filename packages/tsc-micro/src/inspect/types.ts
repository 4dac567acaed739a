import type { SchemaObject } from "openapi3-ts/oas31";

/** Where in the project's source (project-relative POSIX path, 1-based line and column). */
export interface SourcePoint {
  file: string;
  line: number;
  column: number;
}

/** A tagged function as its service serves it. */
export interface FunctionView extends SourcePoint {
  name: string;
  /** As a caller sees it: `quote(sku: string, qty: number): Quote` (components by name). */
  signature: string;
  /** Async in the source. */
  async: boolean;
  /** Its call options (tag and configuration): retries, deadline, idempotence. */
  options: { retry?: number; timeoutMs?: number; idempotent?: boolean };
  /** The request body's JSON Schema (`$ref`s into {@link InspectView.components}), as in openapi.json. */
  request: SchemaObject;
  /** The 200 answer's JSON Schema, or null for a function that returns nothing (204). */
  response: SchemaObject | null;
}

/** A call of a tagged function in code a bundle holds. */
export interface CallView extends SourcePoint {
  /** The function (or module top level) the call is in, as messages name it: `quadruple`, `Shop.total`, `<module>`. */
  from: string;
  /** The tagged function called. */
  callee: string;
  /** The service serving it. */
  service: string;
  /** `network`: rewritten into a call of that service's client; `local`: the function is in this bundle, called as written. */
  kind: "network" | "local";
  /**
   * `inserted`: the rewrite adds an `await` (a sync function became a network call);
   * `written`: the source awaits it already; `none`: no await (a local call, or an async callee whose promise the source handles).
   */
  await: "inserted" | "written" | "none";
}

/** A function of the program the rewrite makes async in this bundle. */
export interface AsyncView extends SourcePoint {
  /** `quadruple`, `<callback>`, `Shop.total`. */
  function: string;
  /** Why, in words: `calls 'double' over the network (service double)`. */
  reason: string;
  /** The call (or array method call) that makes it so. */
  because: SourcePoint & { callee: string };
}

export interface ServiceView {
  name: string;
  /** The address its clients use by default (Docker Compose and Kubernetes name). */
  url: string;
  /** The variable that overrides the address. */
  envVar: string;
  options: { replicas?: number; maxReplicas?: number; concurrency?: number; tags?: string[] };
  /** Services its bundle calls over the network. */
  dependencies: string[];
  functions: FunctionView[];
  /** Calls of tagged functions in the code its bundle holds, by file and position. */
  calls: CallView[];
  /** Functions made async in its bundle, by file and position. */
  async: AsyncView[];
}

/** A program entry point (config `entry`): a process calling the services. */
export interface EntryView {
  name: string;
  file: string;
  dependencies: string[];
  calls: CallView[];
  async: AsyncView[];
}

/** The plan of a build, as `tsc-micro inspect` shows it (and `--json` prints it). */
export interface InspectView {
  project: { name: string; version: string };
  services: ServiceView[];
  entries: EntryView[];
  /** The named types the schemas refer to, by component key (as in openapi.json). */
  components: Record<string, SchemaObject>;
}
