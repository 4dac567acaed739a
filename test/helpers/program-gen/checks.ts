// The checks every generated program goes through: the build (success, or a
// refusal with the expected diagnostic; never a throw), every emitted .js and
// .mjs parses as an ES module, every emitted .d.ts type-checks, every OpenAPI
// document is valid OpenAPI 3.1, and the program itself type-checks (else the
// generator is wrong, not the tool). Each takes many builds at once: one
// parser process, one compiler program, one validator for all of them.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { build, formatDiagnostics } from "../../../packages/tsc-micro/src/index.ts";
import type { BuildResult } from "../../../packages/tsc-micro/src/index.ts";
import type { Program } from "./model.ts";
import { signatureOf } from "./problems.ts";
import type { Problem } from "./problems.ts";
import { syntaxErrors } from "./syntax-check.ts";
import { DECLARATION_OPTIONS, SOURCE_OPTIONS, typecheckFiles } from "./typecheck.ts";
import { writeProgram } from "./write.ts";
import { openapiValidator } from "../openapi-validator.ts";

export interface Built {
  index: number;
  program: Program;
  dir: string;
  tsconfig: string;
  outDir: string;
  result?: BuildResult;
  /** What build() threw, if it threw. */
  threw?: unknown;
}

/** DNS-1123 label, as the README promises for service names. */
const DNS_LABEL = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** Writes program `index` under `root` and builds it. */
export async function buildOne(index: number, program: Program, root: string): Promise<Built> {
  const dir = path.join(root, `p${index}`);
  const tsconfig = writeProgram(program, dir);
  const outDir = path.join(dir, "dist");
  const built: Built = { index, program, dir, tsconfig, outDir };
  try {
    built.result = await build({ project: tsconfig, outDir });
  } catch (e) {
    built.threw = e;
  }
  return built;
}

export function succeeded(b: Built): b is Built & { result: BuildResult } {
  return b.result?.success === true;
}

/**
 * The build's verdict: it must not throw; it must succeed, serving every
 * tagged function under a DNS-label service name, or refuse what the program
 * must be refused for, with those codes only.
 */
export function buildProblems(b: Built): Problem[] {
  const problem = (text: string, detail = text): Problem => ({ index: b.index, check: "build", signature: signatureOf("build", text, b.program), detail });
  if (b.threw !== undefined) {
    const e = b.threw as Error;
    return [problem(`build() threw ${e?.name}: ${e?.message}`, String(e?.stack ?? e).split("\n").slice(0, 8).join("\n"))];
  }
  const r = b.result!;
  const errors = r.diagnostics.filter((d) => d.category === "error");
  const refusals = b.program.refusals;
  if (refusals.length > 0) {
    const codes = new Set(refusals.map((x) => x.code));
    if (r.success) return [problem(`a program with ${refusals[0]!.reason} built: expected TSM${refusals[0]!.code}`)];
    const out = errors.filter((d) => !codes.has(d.code)).map((d) => problem(`TSM${d.code} ${d.message}`, formatDiagnostics([d])));
    for (const x of refusals) {
      if (!errors.some((d) => d.code === x.code)) out.push(problem(`${x.reason} refused without TSM${x.code}`, formatDiagnostics(errors)));
    }
    return out;
  }
  if (!r.success) {
    if (errors.length === 0) return [problem("the build failed with no error diagnostic", formatDiagnostics(r.diagnostics))];
    return errors.map((d) => problem(`TSM${d.code} ${d.message}`, formatDiagnostics([d])));
  }
  const out = r.services.filter((s) => !DNS_LABEL.test(s.name)).map((s) => problem(`service name ${JSON.stringify(s.name)} is not a DNS label`));
  // Every tagged function is served: none silently left out.
  const routes = new Set(r.services.flatMap((s) => s.routes));
  for (const f of b.program.functions) if (!routes.has(`POST /${f.name}`)) out.push(problem(`the tagged function ${f.name} has no route (services: ${r.services.map((s) => s.name).join(", ")})`));
  return out;
}

function walk(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

/** Emitted files of a successful build, by kind. */
export function emitted(b: Built): { js: string[]; dts: string[]; openapi: string[] } {
  const files = walk(b.outDir);
  return {
    js: files.filter((f) => /\.m?js$/.test(f)),
    dts: files.filter((f) => f.endsWith(".d.ts")),
    openapi: files.filter((f) => path.basename(f) === "openapi.json"),
  };
}

// Which kind of emitted file, for signatures: clients/<x>.js becomes clients/*.js,
// services/<x>/index.mjs becomes services/*/index.mjs.
function kindOf(b: Built, file: string): string {
  const rel = path.relative(b.outDir, file).split(path.sep);
  if (rel.length === 3) return `${rel[0]}/*/${rel[2]}`;
  const name = rel[1] ?? "";
  if (rel[0] === "clients" && !["index.js", "index.d.ts", "types.d.ts", "package.json"].includes(name)) return `clients/*${name.endsWith(".d.ts") ? ".d.ts" : path.extname(name)}`;
  return rel.join("/");
}

/** Every emitted .js / .mjs of every successful build parses as an ES module (one parser process for all). */
export async function syntaxProblems(builds: readonly Built[]): Promise<Problem[]> {
  const byId = new Map<string, Built>();
  const modules = builds.filter(succeeded).flatMap((b) =>
    emitted(b).js.map((file) => {
      byId.set(file, b);
      return { id: file, file };
    }),
  );
  const errors = await syntaxErrors(modules);
  return [...errors].map(([file, message]) => {
    const b = byId.get(file)!;
    const text = `${kindOf(b, file)}: ${message}`;
    return { index: b.index, check: "syntax", signature: signatureOf("syntax", text, b.program), detail: `${path.relative(b.dir, file)}: ${message}` };
  });
}

/** Every emitted .d.ts type-checks (strict, NodeNext, lib checks on), all builds in one compiler program. */
export function dtsProblems(builds: readonly Built[], root: string): Problem[] {
  const owner = new Map<string, Built>();
  for (const b of builds.filter(succeeded)) for (const f of emitted(b).dts) owner.set(f, b);
  const found = typecheckFiles([...owner.keys()], DECLARATION_OPTIONS, [root]);
  return [...found].flatMap(([file, lines]) => {
    const b = owner.get(file)!;
    return lines.map((line) => ({
      index: b.index,
      check: "dts" as const,
      signature: signatureOf("dts", `${kindOf(b, file)}: ${line.replace(/^[^:]*: /, "")}`, b.program),
      detail: `${path.relative(b.dir, path.dirname(file))}/${line}`,
    }));
  });
}

/** The generated programs type-check with their own tsconfig (else the generator, not the tool, is wrong). */
export function generatorProblems(builds: readonly Built[], root: string): Problem[] {
  const owner = new Map<string, Built>();
  for (const b of builds) for (const f of Object.keys(b.program.sources)) owner.set(path.join(b.dir, f), b);
  const found = typecheckFiles([...owner.keys()], SOURCE_OPTIONS, [root]);
  return [...found].flatMap(([file, lines]) => {
    const b = owner.get(file)!;
    return lines.map((line) => ({ index: b.index, check: "generator" as const, signature: signatureOf("generator", line.replace(/^[^:]*: /, ""), b.program), detail: line }));
  });
}

/** Every OpenAPI document (per service and merged) is valid OpenAPI 3.1, its $refs resolving. */
export async function openapiProblems(builds: readonly Built[]): Promise<Problem[]> {
  const validator = openapiValidator();
  const out: Problem[] = [];
  for (const b of builds.filter(succeeded)) {
    for (const file of emitted(b).openapi) {
      const doc = JSON.parse(readFileSync(file, "utf8")) as unknown;
      const res = await validator.validate(doc as Record<string, unknown>);
      const where = path.relative(b.outDir, file);
      if (!res.valid) {
        const errors = Array.isArray(res.errors) ? res.errors : [{ instancePath: "", message: String(res.errors) }];
        for (const e of errors as { instancePath: string; message?: string; params?: unknown }[]) {
          const text = `${e.instancePath || "/"} ${e.message ?? ""} ${JSON.stringify(e.params ?? {})}`;
          out.push({ index: b.index, check: "openapi", signature: signatureOf("openapi", text, b.program), detail: `${where}: ${text}` });
        }
      } else if (validator.version !== "3.1") {
        out.push({ index: b.index, check: "openapi", signature: "openapi: not OpenAPI 3.1", detail: `${where}: version ${validator.version}` });
      }
    }
  }
  return out;
}
