import path from "node:path";
import type { Project, SourceFile } from "ts-morph";
import { functionId } from "../../ast/function-like.js";
import { relativeFile } from "../../ast/locate.js";
import type { ScanResult } from "../../scan/types.js";
import type { Follow } from "./classify-use.js";
import { collectBindings } from "./collect-bindings.js";
import { collectCalls } from "./collect-calls.js";
import { collectParameters } from "./collect-parameters.js";
import type { StateFacts } from "./types.js";

/**
 * Reads from the program what the state checks need, once per build: its
 * module-level bindings and their uses, what service functions do with their
 * parameters, and what the arguments of calls to them are. The checks then
 * judge these facts against a plan without touching the compiler.
 */
export function collectStateFacts(project: Project, rootDir: string, scan: ScanResult): StateFacts {
  const byFile = new Map<string, SourceFile>();
  for (const file of scan.files) {
    const sf = project.getSourceFile(path.join(rootDir, file));
    if (sf) byFile.set(file, sf);
  }
  const files = [...byFile.values()];
  const program = new Set(files);
  const services = new Set(scan.functions.map((f) => f.id));
  const follow: Follow = {
    depth: 0,
    seen: new Set(),
    isProgram: (sf) => program.has(sf),
    isServiceFunction: (fn) => services.has(functionId(relativeFile(rootDir, fn.getSourceFile()), fn)),
  };
  const sourceFileOf = (file: string): SourceFile | undefined => byFile.get(file);
  return {
    bindings: collectBindings(rootDir, files, follow),
    parameters: collectParameters(rootDir, scan.functions, sourceFileOf, follow),
    calls: collectCalls(rootDir, scan, sourceFileOf),
  };
}
