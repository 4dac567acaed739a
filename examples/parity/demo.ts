// `npm run demo`: builds examples/parity, starts each service as its own process
// on 127.0.0.1, calls them through the generated clients and plain HTTP, shows
// what happens when a service goes away, and stops everything.
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "tsc-micro";
import { startBundle, stopAll } from "../../test/helpers/services.ts";
import type { RunningProcess } from "../../test/helpers/services.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
const outDir = path.join(here, "dist");
const say = (line = "") => console.log(line);

say("tsc-micro demo: examples/parity (isEven, isOdd → isEven, factorial, fib)\n");
say(`1. tsc-micro build -p examples/parity`);
const result = await build({ project: path.join(here, "tsconfig.json"), outDir });
if (!result.success) {
  console.error(result.diagnostics.map((d) => `${d.file}(${d.line},${d.column}): TSM${d.code}: ${d.message}`).join("\n"));
  process.exit(1);
}
for (const s of result.services) {
  say(`   ${s.name.padEnd(10)} ${s.routes.join(", ").padEnd(16)} ${(s.bundleBytes / 1024).toFixed(0)} KiB${s.dependencies.length ? `  calls ${s.dependencies.join(", ")}` : ""}`);
}

const procs: Record<string, RunningProcess> = {};
try {
  say(`\n2. Start each bundle as a process (node services/<name>/index.mjs, from a copy of its folder alone)`);
  for (const name of ["is-even", "factorial", "fib"]) procs[name] = await startBundle(name, path.join(outDir, "services", name));
  procs["is-odd"] = await startBundle("is-odd", path.join(outDir, "services", "is-odd"), {
    env: { TSC_MICRO_IS_EVEN_URL: procs["is-even"]!.url },
  });
  for (const p of Object.values(procs)) say(`   ${p.name.padEnd(10)} ${p.url}  (pid ${p.child.pid})`);
  say(`   is-odd reaches is-even through TSC_MICRO_IS_EVEN_URL=${procs["is-even"]!.url}`);

  say(`\n3. Call them through the generated clients (dist/clients)`);
  const clients = await import(pathToFileURL(path.join(outDir, "clients/index.js")).href);
  clients.isEvenService.setBaseUrl(procs["is-even"]!.url);
  clients.isOddService.setBaseUrl(procs["is-odd"]!.url);
  clients.factorialService.setBaseUrl(procs.factorial!.url);
  clients.fibService.setBaseUrl(procs.fib!.url);
  const show = async (label: string, call: () => Promise<unknown>) => {
    try {
      say(`   ${label} → ${JSON.stringify(await call())}`);
    } catch (e) {
      const err = e as Error & { status?: number; service?: string };
      say(`   ${label} → threw ${err.name}: ${err.message}${err.status ? `  (status ${err.status}, service ${err.service})` : ""}`);
    }
  };
  await show("isEven(10)", () => clients.isEven(10));
  await show("isOdd(7)  [is-odd calls is-even over HTTP]", () => clients.isOdd(7));
  await show("factorial(10)", () => clients.factorial(10));
  await show("fib(30)", () => clients.fib(30));
  await show("factorial(-1)", () => clients.factorial(-1));

  say(`\n4. Any HTTP client works: POST /<function> with a JSON object of named arguments`);
  const curl = async (url: string, body: string) => {
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
    say(`   curl -s -X POST ${url} -H 'content-type: application/json' -d '${body}'`);
    say(`     → ${res.status} ${await res.text()}`);
  };
  await curl(`${procs["is-odd"]!.url}/isOdd`, `{"x": 7}`);
  await curl(`${procs["is-even"]!.url}/isEven`, `{"x": "seven", "y": 1}`);

  say(`\n5. Stop is-even, then call isOdd: the failure names the service that is down`);
  await procs["is-even"]!.stop();
  await show("isOdd(7)", () => clients.isOdd(7));
  for (const name of ["isEvenService", "isOddService", "factorialService", "fibService"]) clients[name].close();
} finally {
  say(`\n6. Stop every service (SIGTERM)`);
  await stopAll(Object.values(procs));
  say(`   done. The output is in examples/parity/dist/: services/<name>/{index.mjs,Dockerfile,openapi.json}, clients/, openapi.json`);
}
