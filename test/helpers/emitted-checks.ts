// Checks that hold for every build's output, whatever the program: each
// emitted JavaScript file parses (`node --check`), each declaration file
// type-checks, and the clients' typings load. Used by tests that feed the
// compiler unusual programs (names, generated programs).
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { typecheck } from "./openapi-tools.ts";

/** Every file under `root`, as absolute paths. */
export function filesUnder(root: string): string[] {
  return readdirSync(root).flatMap((entry) => {
    const p = path.join(root, entry);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

/** `node --check` on each emitted .js/.mjs: the syntax errors, as "<file>: <first line of the error>". */
export function syntaxErrors(outDir: string): string[] {
  const files = filesUnder(outDir).filter((f) => /\.m?js$/.test(f));
  // One process checks them all: vm.SourceTextModule would need a flag, so compile each as a module with node itself.
  const script = `
    const { readFileSync } = require("node:fs");
    const { spawnSync } = require("node:child_process");
    const bad = [];
    for (const f of JSON.parse(process.argv[1])) {
      const r = spawnSync(process.execPath, ["--check", f], { encoding: "utf8" });
      if (r.status !== 0) bad.push(f + ": " + (r.stderr.split("\\n").find((l) => /Error/.test(l)) ?? r.stderr));
    }
    process.stdout.write(JSON.stringify(bad));`;
  const r = spawnSync(process.execPath, ["-e", script, JSON.stringify(files)], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(r.stderr);
  return (JSON.parse(r.stdout) as string[]).map((line) => path.relative(outDir, line.split(": ")[0]!) + ": " + line.split(": ").slice(1).join(": "));
}

/** Type errors in the generated clients' declarations (`dist/clients/*.d.ts`), with lib checking on. */
export function declarationErrors(outDir: string): string[] {
  const files = filesUnder(path.join(outDir, "clients")).filter((f) => f.endsWith(".d.ts"));
  return [...typecheck(files).values()].flat();
}
