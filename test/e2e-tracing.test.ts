// Traces across a three-service chain on real processes: front → middle → back, called through
// the generated client from this test process. An OpenTelemetry SDK is registered here (in-memory
// exporter) and, by a preload (NODE_OPTIONS=--import), in each service process (an exporter that
// appends finished spans as JSON lines to a file); the bundles themselves carry only the API.
// One trace id across all spans of the call; kinds, names and attributes per the README's
// "Traces"; the parent/child chain client(test) → server(front) → client → server(middle) →
// client → server(back). Counts and relations only; every process is killed in `finally`.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { test } from "node:test";
import { build, formatDiagnostics } from "../packages/tsc-micro/src/index.ts";
import { registerMemoryTracing } from "../packages/runtime/test/otel-memory.ts";
import { REPO, TMP } from "./helpers/paths.ts";
import { startBundle, stopAll } from "./helpers/services.ts";
import type { RunningProcess } from "./helpers/services.ts";

const otel = registerMemoryTracing();
const { SpanKind } = otel.api;

const CHAIN = `/** @microservice */
export async function front(x: number): Promise<number> {
  return (await middle(x)) + 1;
}

/** @microservice */
export async function middle(x: number): Promise<number> {
  return (await back(x)) + 1;
}

/** @microservice */
export function back(x: number): number {
  return x * 2;
}
`;

const TSCONFIG = {
  compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, skipLibCheck: true, types: ["node"] },
  include: ["src"],
};

const PRELOAD = pathToFileURL(path.join(REPO, "test/helpers/otel-spans-preload.mjs")).href;

/** A span as the preload writes it. */
interface SpanLine {
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  scope: string;
  attributes: Record<string, unknown>;
  status: { code: number };
}

test("one trace across front → middle → back, with the client/server parent chain", { timeout: 180_000 }, async () => {
  const dir = mkdtempSync(path.join(TMP, "e2e-tracing-"));
  mkdirSync(path.join(dir, "src"));
  writeFileSync(path.join(dir, "src", "chain.ts"), CHAIN);
  writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(TSCONFIG));
  const result = await build({ project: path.join(dir, "tsconfig.json"), outDir: path.join(dir, "dist") });
  assert.ok(result.success, formatDiagnostics(result.diagnostics));
  const clients = (await import(pathToFileURL(path.join(result.outDir, "clients/index.js")).href)) as Record<string, any>;

  const spansFile = path.join(dir, "spans.jsonl");
  const processes: RunningProcess[] = [];
  const ports: Record<string, number> = {};
  try {
    const env: Record<string, string> = { NODE_OPTIONS: `--import ${PRELOAD}`, TSC_MICRO_TEST_SPANS_FILE: spansFile };
    for (const name of ["back", "middle", "front"]) {
      const service = result.plan!.services.find((s) => s.name === name)!;
      const p = await startBundle(name, path.join(result.outDir, "services", name), { env: { ...env } });
      processes.push(p);
      ports[name] = p.port;
      env[service.envVar] = p.url;
      clients[service.clientName].setBaseUrl(p.url);
    }

    assert.equal(await clients.front(20), 42);
    // Stopped before reading, so every span a service ended is in the file.
    await stopAll(processes);

    const local = otel.finished();
    assert.equal(local.length, 1, "the test process made one span: its client call");
    const caller = local[0]!;
    assert.equal(caller.name, "front/front");
    assert.equal(caller.kind, SpanKind.CLIENT);
    assert.equal(caller.parentSpanContext, undefined, "the test's call starts the trace");
    const traceId = caller.spanContext().traceId;

    const remote = existsSync(spansFile) ? readFileSync(spansFile, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as SpanLine) : [];
    assert.equal(remote.length, 5, `spans from the services:\n${remote.map((s) => s.name).join("\n")}\n${processes.map((p) => p.output()).join("\n")}`);
    assert.deepEqual(new Set(remote.map((s) => s.traceId)), new Set([traceId]), "one trace id across every span of the call");
    for (const span of remote) assert.equal(span.scope, "@tsc-micro/runtime");

    const byName = (name: string) => {
      const found = remote.filter((s) => s.name === name);
      assert.equal(found.length, 1, `one span named ${name}`);
      return found[0]!;
    };
    const serverFront = byName("POST /front");
    const toMiddle = byName("middle/middle");
    const serverMiddle = byName("POST /middle");
    const toBack = byName("back/back");
    const serverBack = byName("POST /back");

    // The parent/child chain.
    assert.equal(serverFront.parentSpanId, caller.spanContext().spanId);
    assert.equal(toMiddle.parentSpanId, serverFront.spanId);
    assert.equal(serverMiddle.parentSpanId, toMiddle.spanId);
    assert.equal(toBack.parentSpanId, serverMiddle.spanId);
    assert.equal(serverBack.parentSpanId, toBack.spanId);

    // Kinds and attributes.
    for (const [span, service] of [[serverFront, "front"], [serverMiddle, "middle"], [serverBack, "back"]] as const) {
      assert.equal(span.kind, SpanKind.SERVER);
      assert.deepEqual(span.attributes, {
        "rpc.system": "tsc-micro",
        "rpc.service": service,
        "rpc.method": service,
        "http.request.method": "POST",
        "http.route": `/${service}`,
        "http.response.status_code": 200,
      });
    }
    for (const [span, service] of [[toMiddle, "middle"], [toBack, "back"]] as const) {
      assert.equal(span.kind, SpanKind.CLIENT);
      assert.deepEqual(span.attributes, {
        "rpc.system": "tsc-micro",
        "rpc.service": service,
        "rpc.method": service,
        "server.address": "127.0.0.1",
        "server.port": ports[service],
        "http.response.status_code": 200,
      });
    }
    assert.equal(caller.attributes["server.port"], ports.front);
  } finally {
    for (const service of result.plan!.services) clients[service.clientName]?.close();
    await stopAll(processes);
  }
});
