/** "@tsc-micro/runtime/server": what a generated service entry imports. */
export { createApp } from "./create-app.js";
export type { AppState, CreateAppOptions } from "./create-app.js";
export { startService } from "./start-service.js";
export type { RunningService, StartOptions } from "./start-service.js";
export { EXIT_CODES, exitCodeOf, oneShotCommand, runOneShot } from "./run-once.js";
export type { ExitCode, OneShotCommand, OneShotIo, OneShotOptions } from "./run-once.js";
export { toIssues } from "./to-issues.js";
export type { IssueContext } from "./to-issues.js";
export type { AjvErrorLike, RouteDef, ServiceDef, ValidateFunction } from "./types.js";
export { ServiceError, ERROR_CODES } from "../errors.js";
export type { ErrorCode, ValidationIssue, WireCause, WireError, WireThrown } from "../errors.js";
