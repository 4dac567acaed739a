// A generated program as TypeScript source, file by file: imports (from the
// file's scope, printed last as they are only known once everything else
// is), declared types, then the tagged functions in every form the tag
// accepts, with their JSDoc (description, tag options, @param, @returns).
import type { FnDecl, Program, TypeDecl } from "./model.ts";
import { isAsyncFn } from "./model.ts";
import { docBlock, printKey, printLiteral, printType } from "./scope.ts";
import type { FileScope } from "./scope.ts";

const HEADER = "// A generated program: test/property-programs.test.ts (test/helpers/program-gen).\n";

/** Every file's source text by project-relative path. */
export function printProgram(program: Program, scopes: readonly FileScope[]): Record<string, string> {
  const typeNames = new Set(program.types.map((t) => t.name));
  const sources: Record<string, string> = {};
  program.files.forEach((file, i) => {
    const scope = scopes[i]!;
    const parts = [
      ...program.types.filter((t) => t.file === i).map((t) => typeText(t, scope, typeNames)),
      ...program.functions.filter((f) => f.file === i).map((f) => fnText(f, scope, typeNames)),
    ];
    const imports = scope.importLines();
    sources[file.path] = `${HEADER}${imports.length ? `${imports.join("\n")}\n` : ""}\n${parts.join("\n")}${parts.length === 0 ? "export {};\n" : ""}`;
  });
  return sources;
}

function typeText(t: TypeDecl, scope: FileScope, typeNames: ReadonlySet<string>): string {
  const doc = t.doc !== undefined ? docBlock([t.doc]) : "";
  const type = (u: Parameters<typeof printType>[0]) => printType(u, scope, typeNames);
  switch (t.kind) {
    case "enum":
      return `${doc}export enum ${t.name} {\n${t.members
        .map((m) => `${m.doc !== undefined ? docBlock([m.doc], "  ") : ""}  ${m.name}${m.init !== undefined ? ` = ${printLiteral(m.init)}` : ""},\n`)
        .join("")}}\n`;
    case "interface":
      return `${doc}export interface ${t.name} {\n${t.props
        .map((p) => `${p.doc !== undefined ? docBlock([p.doc], "  ") : ""}  ${printKey(p.key)}${p.optional ? "?" : ""}: ${type(p.type)};\n`)
        .join("")}}\n`;
    case "alias":
      return `${doc}export type ${t.name} = ${type(t.type)};\n`;
    case "union":
      return `${doc}export type ${t.name} =\n${t.members
        .map((m) => `  | ${type({ k: "object", props: [{ key: t.tag, optional: false, type: { k: "literals", values: [m.tagValue] } }, ...m.props] })}`)
        .join("\n")};\n`;
  }
}

function fnText(fn: FnDecl, scope: FileScope, typeNames: ReadonlySet<string>): string {
  const type = (u: Parameters<typeof printType>[0]) => printType(u, scope, typeNames);
  const options = [fn.service !== undefined ? `service=${fn.service}` : "", fn.extraOption ?? ""].filter(Boolean).join(" ");
  const doc = docBlock([
    ...(fn.doc !== undefined ? [fn.doc] : []),
    `@microservice${options ? ` ${options}` : ""}`,
    ...fn.params.filter((p) => p.doc !== undefined).map((p) => `@param ${p.name} - ${p.doc}`),
    ...(fn.returnsDoc !== undefined ? [`@returns ${fn.returnsDoc}`] : []),
  ]);
  const params = fn.params.map((p) => `${p.name}${p.optional ? "?" : ""}: ${type(p.type)}`).join(", ");
  const isAsync = isAsyncFn(fn);
  const plain = fn.result === null ? "void" : type(fn.result);
  const result = isAsync ? `${typeNames.has("Promise") ? "globalThis.Promise" : "Promise"}<${plain}>` : plain;
  const exported = fn.notExported ? "" : "export ";
  const block = `{\n${fn.body.map((s) => `  ${s}\n`).join("")}}`;
  const single = fn.body.length === 1 && fn.body[0]!.startsWith("return ") ? fn.body[0]!.slice("return ".length, -1) : undefined;
  const arrowBody = single === undefined ? block : single.startsWith("{") ? `(${single})` : single;
  switch (fn.form) {
    case "function":
    case "async function":
      return `${doc}${exported}${isAsync ? "async " : ""}function ${fn.name}(${params}): ${result} ${block}\n`;
    case "arrow":
    case "async arrow":
      return `${doc}${exported}const ${fn.name} = ${isAsync ? "async " : ""}(${params}): ${result} => ${arrowBody};\n`;
    case "function expression":
      return `${doc}${exported}const ${fn.name} = function (${params}): ${result} ${block};\n`;
  }
}
