// Scans, plans and rewrites a small program as a build does (service `main`
// calling `f` of service `remote`), and runs a module's `main()` here: the
// original with a sync `f`, the rewrite with an async client `f$remote`.
import assert from "node:assert/strict";
import { Project, ts } from "ts-morph";
import * as asyncHelpers from "../../../runtime/src/async.ts";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.ts";
import { rewriteSource } from "../../src/emit/rewrite-source.ts";
import { planRewrites } from "../../src/plan/rewrites.ts";
import { scan } from "../../src/scan/scan.ts";

const REMOTE = `/** @microservice service=remote */
export function f(x: number): number {
  return x * 10;
}
`;

/** `main` of service `main`, with `body` inside; `f` is another service's function. */
export function program(body: string, outside = ""): string {
  return `import { f } from "./remote.js";
${outside}
/** @microservice service=main */
export function main(): unknown {
  const log: string[] = [];
  const note = <T>(label: string, value: T): T => (log.push(label), value);
  void note;
${body}
}
`;
}

/** The text of src/main.ts inside service `main`'s bundle. */
export function rewrite(text: string): { text: string; diagnostics: Diagnostic[] } {
  const project = new Project({ useInMemoryFileSystem: true, compilerOptions: { strict: true, target: ts.ScriptTarget.ES2022 } });
  project.createSourceFile("/p/src/remote.ts", REMOTE);
  project.createSourceFile("/p/src/main.ts", text);
  const scanned = scan(project, { rootDir: "/p" });
  const serviceOf = new Map(scanned.functions.map((fn) => [fn.id, fn.options.name!]));
  const diagnostics: Diagnostic[] = [...scanned.diagnostics];
  const { rewrites } = planRewrites("main", scanned, serviceOf, diagnostics);
  const main = rewrites.find((r) => r.file === "src/main.ts");
  return { text: main ? rewriteSource(text, main) : text, diagnostics };
}

/** Runs a module's `main()` (CommonJS after transpiling), with `f` sync or async. */
export async function run(text: string): Promise<unknown> {
  const js = ts.transpileModule(text, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
  const modules: Record<string, unknown> = {
    "./remote.js": { f: (x: number) => x * 10 },
    "tsc-micro:client/remote": { f: async (x: number) => x * 10 },
    "tsc-micro:async": asyncHelpers,
  };
  const exports: Record<string, unknown> = {};
  const require = (id: string): unknown => modules[id] ?? assert.fail(`unexpected import ${id}`);
  new Function("exports", "require", js)(exports, require);
  return await (exports.main as () => unknown)();
}

/** Rewrites `body`, checks the rewrite contains each of `expect`, and that both versions agree. */
export async function agrees(body: string, expect: readonly string[], outside = ""): Promise<string> {
  const source = program(body, outside);
  const { text, diagnostics } = rewrite(source);
  assert.deepEqual(diagnostics, []);
  for (const e of expect) assert.ok(text.includes(e), `the rewrite holds ${e}:\n${text}`);
  const monolith = await run(source);
  const split = await run(text);
  assert.deepEqual(split, monolith, `same result and side effects:\n${text}`);
  return text;
}
