/**
 * tsc-micro: split a TypeScript monolith into services at build time.
 * The library API; the `tsc-micro` CLI is a thin layer over {@link build},
 * {@link check} and {@link inspect}.
 */
export { build } from "./build.js";
export { defineConfig } from "./config/define-config.js";
export type { TscMicroConfig, ServiceOverrides } from "./config/define-config.js";
export { loadConfig } from "./config/load-config.js";
export type { LoadConfigOptions, LoadConfigResult } from "./config/load-config.js";
export type { BuildOptions, BuildResult, BuiltService } from "./build.js";
export { BUILD_PHASES } from "./build-progress.js";
export type { BuildPhase, BuildProgressEvent, BuildProgressListener } from "./build-progress.js";
export { DiagnosticCode } from "./diagnostics/diagnostic.js";
export type { Diagnostic } from "./diagnostics/diagnostic.js";
export { formatDiagnostics } from "./diagnostics/format.js";
export type { FormatOptions } from "./diagnostics/format.js";
export { DEFAULT_BASE_IMAGE } from "./emit/dockerfile.js";
export { parseTagOptions } from "./scan/tag-options.js";
export type { ServiceOptions } from "./scan/tag-options.js";
export { scan } from "./scan/scan.js";
export type { ScanResult, TaggedFunction } from "./scan/types.js";
export { model } from "./model/model.js";
export type { TypeIR, FunctionModel, ComponentIR } from "./model/ir.js";
export { plan } from "./plan/plan.js";
export { startOrder } from "./plan/start-order.js";
export type { Plan, ServicePlan, RoutePlan } from "./plan/types.js";
export { emit } from "./emit/emit.js";
export type { EmitResult } from "./emit/emit.js";
export { bundle } from "./bundle/bundle.js";
export { check } from "./check/check.js";
export type { CheckOptions, CheckResult } from "./check/check.js";
export type { Change, ChangeKind, Party, SchemaChangeKind } from "./check/types.js";
export type { PreviousBuild } from "./check/previous-build.js";
export { readPreviousBuild } from "./check/previous-build.js";
export { compareDocuments } from "./check/compare-documents.js";
export { diffSchemas } from "./check/diff-schemas.js";
export type { DiffOptions, SchemaChange } from "./check/diff-schemas.js";
export { formatCheckJson, formatCheckReport } from "./check/report.js";
export { inspect } from "./inspect/inspect.js";
export type { InspectOptions, InspectResult } from "./inspect/inspect.js";
export type { AsyncView, CallView, EntryView, FunctionView, InspectView, ServiceView, SourcePoint } from "./inspect/types.js";
export { formatInspect } from "./inspect/format.js";
export { dev } from "./dev/dev.js";
export type { DevOptions, DevService, DevSession } from "./dev/dev.js";
