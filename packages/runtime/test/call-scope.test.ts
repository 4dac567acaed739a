// The call context a function sees must not keep its call alive: V8 keeps an object literal with a
// getter in dictionary mode, its getter in an old-generation AccessorPair, and that held each call's
// request, response and socket past the next young-generation GC (~3 KB per call promoted, a full
// GC every ~8,000 calls). Checked where it is decided: the context object has V8's fast properties.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const here = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));

test("the context of a call is a fast-properties object that still gives signal, deadline and span", () => {
  // A child with --allow-natives-syntax asks V8 itself (%HasFastProperties); the runtime's source
  // is loaded through tsx like the other unit tests.
  const script = `
    const { createApp } = await import(${JSON.stringify(here("../src/server/index.ts"))});
    const { currentCall } = await import(${JSON.stringify(here("../src/call-context.ts"))});
    const { mathService, post, route } = await import(${JSON.stringify(here("./helpers.ts"))});
    const seen = [];
    const def = mathService();
    def.routes.push(route({ name: "probe", invoke: () => { seen.push(currentCall()); return true; } }));
    const { app } = createApp(def, { env: { LOG_LEVEL: "silent" }, logError: () => {} });
    await app.request("/probe", post("{}", { "tsc-micro-timeout": "5000" }));
    await app.request("/probe", post("{}"));
    const fast = new Function("o", "return %HasFastProperties(o)");
    const [timed, open] = seen;
    console.log(JSON.stringify({
      fast: seen.map((c) => fast(c)),
      signal: timed.signal instanceof AbortSignal && !timed.signal.aborted,
      deadline: [typeof timed.deadline, typeof open.deadline],
      span: typeof timed.span?.spanContext,
    }));
  `;
  const out = execFileSync(process.execPath, ["--allow-natives-syntax", "--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8" });
  const result = JSON.parse(out.trim().split("\n").at(-1)!) as Record<string, unknown>;
  assert.deepEqual(result, { fast: [true, true], signal: true, deadline: ["number", "undefined"], span: "function" });
});
