/**
 * The shapes the compiler generates for each service. The generated entry
 * file builds a {@link ServiceDef} and hands it to `startService`.
 */

/** One error in the shape Ajv reports it (`ErrorObject`, the fields we use). */
export interface AjvErrorLike {
  /** JSON Pointer to the failing value, e.g. "/user/tags/2"; "" for the root. */
  instancePath: string;
  /** The failing JSON Schema keyword, e.g. "type", "required". */
  keyword: string;
  /** Where the keyword is in the schema, e.g. "#/properties/x/anyOf/2/type": tells a union's branches apart. */
  schemaPath?: string;
  params: Record<string, any>;
  message?: string;
}

/** A validator as produced by Ajv standalone code: returns true or sets .errors */
export interface ValidateFunction {
  (data: unknown): boolean;
  errors?: null | AjvErrorLike[];
}

export interface RouteDef {
  /** The function name; served at `POST /<name>`. */
  name: string;
  /** The function's parameter names in order. */
  params: readonly string[];
  /** Validates the whole request body object `{ param: value }`. */
  validate: ValidateFunction;
  /** Calls the real function; may return a promise. */
  invoke(args: Record<string, unknown>): unknown;
  /** True → answer 204 with no body. */
  returnsVoid: boolean;
  /** Revives wire values (Date, bigint, Map…) in the validated arguments before `invoke`. */
  decode?(args: Record<string, unknown>): Record<string, unknown>;
  /** Turns the result into its wire form (Map → pairs, bigint → string…) before JSON. */
  encode?(result: unknown): unknown;
  /** Checks the encoded result against its schema; used only with NODE_ENV=development. */
  validateResult?: ValidateFunction;
}

export interface ServiceDef {
  /** The service name, e.g. "is-even"; used in logs and error messages. */
  name: string;
  routes: readonly RouteDef[];
  /** The OpenAPI document served at `GET /openapi.json`. */
  openapi: unknown;
  /**
   * `concurrency=N` from the tag or config: at most N calls of the service's
   * functions run at once per instance; absent → no run limit (see concurrency-limit.ts).
   */
  concurrency?: number;
  /**
   * `false` when the build proved that nothing in the service reads the call it answers (no calls
   * to other services, no `callSignal()`): the functions then run outside AsyncLocalStorage, whose
   * promise hooks, once on, cost every promise in the process (≈ a fifth of a trivial call's CPU).
   * Absent → the context is kept. A `ServiceClient` made in the process turns it back on.
   */
  callContext?: boolean;
}
