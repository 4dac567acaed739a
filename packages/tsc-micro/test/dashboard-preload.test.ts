// The dev tracing preload (src/dev/tracing-preload.ts) in a real process: a program whose
// @opentelemetry/api is newer than the SDK's own copy (the bundles embed the runtime's API; the SDK
// asks for one below 1.10) still has its spans recorded and posted to the dashboard, with the
// service name dev gave it. Kills its process in `finally`.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import { startDashboard } from "../src/dev/dashboard/server.ts";
import type { DevSpan } from "../src/dev/dashboard/dev-span.ts";
import { TMP } from "../../../test/helpers/paths.ts";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, "../../..");
const PRELOAD = path.resolve(HERE, "../src/dev/tracing-preload.ts");

test("the preload records spans made through the runtime's API copy and posts them to the dashboard", { timeout: 60_000 }, async () => {
  // The API copy the runtime (and so every bundle) uses.
  const runtimeApi = createRequire(createRequire(path.join(REPO, "packages/tsc-micro/package.json")).resolve("@tsc-micro/runtime")).resolve("@opentelemetry/api");
  const dir = mkdtempSync(path.join(TMP, "dashboard-preload-"));
  const program = path.join(dir, "program.mjs");
  writeFileSync(
    program,
    `import api from ${JSON.stringify(pathToFileURL(runtimeApi).href)};
const tracer = api.trace.getTracerProvider().getTracer("@tsc-micro/runtime");
const server = tracer.startSpan("POST /isOdd", { kind: api.SpanKind.SERVER }, api.ROOT_CONTEXT);
tracer.startSpan("is-even/isEven", { kind: api.SpanKind.CLIENT }, api.trace.setSpan(api.ROOT_CONTEXT, server)).end();
server.end();
setInterval(() => {}, 1000); // stays until the test kills it
`,
  );
  const dashboard = await startDashboard({ services: () => [], openapi: () => undefined });
  const child = spawn(process.execPath, ["--import", "tsx", "--import", pathToFileURL(PRELOAD).href, program], {
    cwd: REPO,
    env: { ...process.env, TSC_MICRO_DEV_SPANS_URL: dashboard.spansUrl, TSC_MICRO_DEV_SERVICE: "is-odd" },
    stdio: ["ignore", "inherit", "inherit"],
  });
  try {
    let spans: DevSpan[] = [];
    for (let i = 0; i < 400 && spans.length < 2 && child.exitCode === null; i++) {
      const { traces } = (await (await fetch(`${dashboard.url}/api/traces`)).json()) as { traces: { spans: DevSpan[] }[] };
      spans = traces.flatMap((t) => t.spans);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.deepEqual(spans.map((s) => [s.service, s.name, s.parentSpanId === undefined]), [["is-odd", "POST /isOdd", true], ["is-odd", "is-even/isEven", false]]);
    assert.equal(spans[1]!.parentSpanId, spans[0]!.spanId);
  } finally {
    child.kill("SIGKILL");
    await dashboard.close();
  }
});
