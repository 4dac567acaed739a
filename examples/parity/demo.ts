// `npm run demo`: what `tsc-micro dev` does, step by step, on examples/parity: builds it, starts
// each service as its own supervised process on 127.0.0.1, calls them through the generated
// clients and plain HTTP, kills a service to show the supervisor restart it, and stops everything.
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { dev } from "tsc-micro";

const here = path.dirname(fileURLToPath(import.meta.url));
const outDir = path.join(here, "dist");
const say = (line = "") => console.log(line);

say("tsc-micro demo: examples/parity (isEven, isOdd → isEven, factorial, fib)\n");
say(`1. tsc-micro dev -p examples/parity: build, then start every service (dependencies first)`);
const { result, session } = await dev({
  project: path.join(here, "tsconfig.json"),
  outDir,
  say: (line) => say(`   [dev] ${line}`),
  // The services' own log lines, prefixed with their names.
  write: (text) => process.stdout.write(text.replace(/^(?=.)/gm, "   ")),
});
if (!session) {
  console.error(result.diagnostics.map((d) => `${d.file}(${d.line},${d.column}): TSM${d.code}: ${d.message}`).join("\n"));
  process.exit(1);
}

try {
  const urls = Object.fromEntries(session.services().map((s) => [s.name, s.url]));
  say(`   is-odd reaches is-even through TSC_MICRO_IS_EVEN_URL=${urls["is-even"]}`);

  say(`\n2. Call them through the generated clients (dist/clients)`);
  const clients = await import(pathToFileURL(path.join(outDir, "clients/index.js")).href);
  clients.isEvenService.setBaseUrl(urls["is-even"]);
  clients.isOddService.setBaseUrl(urls["is-odd"]);
  clients.factorialService.setBaseUrl(urls.factorial);
  clients.fibService.setBaseUrl(urls.fib);
  const show = async (label: string, call: () => Promise<unknown>) => {
    try {
      say(`   ${label} → ${JSON.stringify(await call())}`);
      return true;
    } catch (e) {
      const err = e as Error & { status?: number; service?: string; code?: string };
      say(`   ${label} → threw ${err.name}${err.code ? ` ${err.code}` : ""}: ${err.message}${err.status ? `  (status ${err.status}, service ${err.service})` : ""}`);
      return false;
    }
  };
  await show("isEven(10)", () => clients.isEven(10));
  await show("isOdd(7)  [is-odd calls is-even over HTTP]", () => clients.isOdd(7));
  await show("factorial(10)", () => clients.factorial(10));
  await show("fib(30)", () => clients.fib(30));
  await show("factorial(-1)", () => clients.factorial(-1));

  say(`\n3. Any HTTP client works: POST /<function> with a JSON object of named arguments`);
  const curl = async (url: string, body: string) => {
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
    say(`   curl -s -X POST ${url} -H 'content-type: application/json' -d '${body}'`);
    say(`     → ${res.status} ${await res.text()}`);
  };
  await curl(`${urls["is-odd"]}/isOdd`, `{"x": 7}`);
  await curl(`${urls["is-even"]}/isEven`, `{"x": "seven", "y": 1}`);

  say(`\n4. Kill is-even (SIGKILL) and call isOdd: a failure names the service; the supervisor restarts it`);
  const isEven = session.services().find((s) => s.name === "is-even")!;
  process.kill(isEven.pid!, "SIGKILL");
  for (let attempt = 1; attempt <= 20; attempt++) {
    if (await show(`isOdd(7), call ${attempt}`, () => clients.isOdd(7))) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  for (const name of ["isEvenService", "isOddService", "factorialService", "fibService"]) clients[name].close();
} finally {
  say(`\n5. Stop every service (what Ctrl-C does under tsc-micro dev: SIGTERM, graceful)`);
  await session.stop();
  say(`   done. The output is in examples/parity/dist/: services/<name>/{index.mjs,Dockerfile,openapi.json}, services/_chunks/ (code they share), clients/, openapi.json`);
}
