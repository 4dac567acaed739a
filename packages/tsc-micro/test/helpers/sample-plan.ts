// Small hand-made plans for the emit unit tests: plain data, as plan/ hands to emit/.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import ts from "typescript";
import type { ComponentIR, ParameterModel, TypeIR } from "../../src/model/ir.ts";
import type { Plan, RoutePlan, ServicePlan } from "../../src/plan/types.ts";

export const param = (name: string, type: TypeIR, optional = false): ParameterModel => ({ name, type, optional });

export function route(name: string, params: ParameterModel[], result: TypeIR | null, extra: Partial<RoutePlan> = {}): RoutePlan {
  return { functionId: `src/${name}.ts:0`, name, exportName: name, file: `src/${name}.ts`, params, result, isAsync: false, docs: { params: {} }, options: {}, ...extra };
}

export function service(name: string, routes: RoutePlan[], extra: Partial<ServicePlan> = {}): ServicePlan {
  const camel = name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  const env = `TSC_MICRO_${name.replace(/-/g, "_").toUpperCase()}_URL`;
  return { name, envVar: env, defaultUrl: `http://${name}:3000`, clientName: `${camel}Service`, port: 3000, routes, options: {}, components: [], dependencies: [], callContext: true, rewrites: [], ...extra };
}

export function plan(services: ServicePlan[], components: Record<string, ComponentIR> = {}): Plan {
  return { project: { name: "demo", version: "1.2.3" }, services, entries: [], errorClasses: [], components };
}

/** Runs `fn` with a fresh temporary folder, removed afterwards. */
export function inTempDir<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(path.join(tmpdir(), "tsc-micro-emit-"));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Throws with node's message unless `text` parses as an ES module (`node --check`). */
export function nodeCheck(text: string): void {
  inTempDir((dir) => {
    const file = path.join(dir, "module.mjs");
    writeFileSync(file, text);
    execFileSync(process.execPath, ["--check", file], { stdio: "pipe" });
  });
}

/** TypeScript's diagnostics for declaration files (by name), as `file: message` lines; the runtime client is stubbed. */
export function typeCheck(files: Record<string, string>): string[] {
  return inTempDir((dir) => {
    const stub = "export declare class ServiceClient { constructor(o: object); call(n: string, a: object): Promise<unknown> }\nexport declare function registerErrorClasses(c: object): void;\n";
    const all = { ...files, "node_modules/@tsc-micro/runtime/client.d.ts": stub, "node_modules/@tsc-micro/runtime/package.json": '{"name":"@tsc-micro/runtime","type":"module","exports":{"./client":{"types":"./client.d.ts"}}}' };
    for (const [name, text] of Object.entries(all)) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), text);
    }
    const options: ts.CompilerOptions = { strict: true, noEmit: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, types: [] };
    const program = ts.createProgram(Object.keys(files).map((f) => path.join(dir, f)), options);
    return ts.getPreEmitDiagnostics(program).map((d) => `${d.file ? path.relative(dir, d.file.fileName) : ""}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
  });
}
