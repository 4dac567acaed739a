/**
 * Loaded into each service by `tsc-micro dev` (`node --import <this file>`) when
 * the dashboard runs, never in a build's output: registers OpenTelemetry's
 * SDK (sdk-trace-base) as the global tracer provider, so the spans the
 * runtime makes through @opentelemetry/api are recorded, and exports every
 * finished span to the dashboard (TSC_MICRO_DEV_SPANS_URL).
 *
 * The service's bundle embeds its own copy of the API; copies meet in one
 * global registry, and a copy only uses a provider registered through an API
 * of its minor version or newer. The SDK's own API copy may be older than the
 * bundle's (sdk-trace-base 2.x asks for an API below 1.10), so the provider is
 * registered through the newest copy found: this package's, the runtime's (which
 * the bundles embed), the project's.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import * as ownApi from "@opentelemetry/api";
import { BasicTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { DashboardExporter } from "./dashboard/span-exporter.js";

type Api = typeof ownApi;

function version(entry: string): number[] {
  const root = entry.slice(0, entry.lastIndexOf(`${path.sep}@opentelemetry${path.sep}api${path.sep}`)) + `${path.sep}@opentelemetry${path.sep}api`;
  const { version: text } = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { version: string };
  return text.split(/[.-]/).slice(0, 3).map(Number);
}

/** The newest API copy of major version 1 among those this process could load. */
export function newestApi(): Api {
  const own = createRequire(import.meta.url);
  const from: NodeRequire[] = [own];
  try {
    from.push(createRequire(own.resolve("@tsc-micro/runtime")));
  } catch {
    // no runtime beside this package
  }
  from.push(createRequire(path.join(process.cwd(), "package.json")));
  let best: { api: Api; version: number[] } = { api: ownApi, version: [1, 0, 0] };
  try {
    best.version = version(own.resolve("@opentelemetry/api"));
  } catch {
    // keep the imported copy
  }
  for (const require of from.slice(1)) {
    try {
      const entry = require.resolve("@opentelemetry/api");
      const found = version(entry);
      if (found[0] === 1 && (found[1]! > best.version[1]! || (found[1] === best.version[1] && found[2]! > best.version[2]!))) {
        best = { api: require(entry) as Api, version: found };
      }
    } catch {
      // not installed there
    }
  }
  return best.api;
}

const url = process.env.TSC_MICRO_DEV_SPANS_URL;
if (url) {
  const exporter = new DashboardExporter({ url, service: process.env.TSC_MICRO_DEV_SERVICE ?? "unknown" });
  newestApi().trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
}
