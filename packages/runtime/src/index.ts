/**
 * Root entry: only the error types, so code that merely inspects errors (or a
 * client-only service) does not pull in Hono. Server and client live in the
 * "./server" and "./client" entries.
 */
export {
  ERROR_CODES,
  ServiceError,
  codeOfStatus,
  isErrorCode,
  statusOf,
} from "./errors.js";
export type {
  ErrorCode,
  ServiceErrorInit,
  ValidationIssue,
  WireCause,
  WireError,
  WireThrown,
} from "./errors.js";
export { registerErrorClasses } from "./error-classes.js";
export type { ErrorClass } from "./error-classes.js";
// For service functions: the abort signal and remaining time of the call being answered.
export { callSignal, callTimeRemaining } from "./call-context.js";
