// `node --check` for many modules at once: one Node process parses every
// module given (file or text) as an ES module with `new vm.SourceTextModule`
// (parse and early errors, nothing runs) and reports the SyntaxErrors. One
// process instead of one per file: hundreds of files cost about a second.
import { spawn } from "node:child_process";

export interface ModuleText {
  id: string;
  /** A file to read, or the text itself. */
  file?: string;
  text?: string;
}

/** The checker, run by the child: reads JSON from stdin, prints JSON of {id: message} to stdout. */
const CHECKER = `
const vm = require("node:vm");
const fs = require("node:fs");
let input = "";
process.stdin.setEncoding("utf8").on("data", (d) => (input += d)).on("end", () => {
  const errors = {};
  for (const m of JSON.parse(input)) {
    try {
      const text = m.file !== undefined ? fs.readFileSync(m.file, "utf8") : m.text;
      new vm.SourceTextModule(text, { identifier: m.id });
    } catch (e) {
      errors[m.id] = (e && e.name ? e.name + ": " : "") + (e && e.message ? e.message : String(e));
    }
  }
  process.stdout.write(JSON.stringify(errors));
});
`;

/** Parses every module as `node --check` would an ES module; returns the errors by id (empty: all parse). */
export async function syntaxErrors(modules: readonly ModuleText[]): Promise<Map<string, string>> {
  if (modules.length === 0) return new Map();
  const child = spawn(process.execPath, ["--experimental-vm-modules", "--no-warnings", "-e", CHECKER], { stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.once("close", resolve));
  child.stdin.end(JSON.stringify(modules));
  const code = await exited;
  if (code !== 0) throw new Error(`the syntax checker exited with ${code}: ${err}`);
  return new Map(Object.entries(JSON.parse(out) as Record<string, string>));
}
