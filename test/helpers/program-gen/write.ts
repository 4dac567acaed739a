// A generated program on disk: a project folder like the fixtures' (a
// tsconfig.json including src, strict, NodeNext, without the DOM lib) with a package.json saying
// ES module, inside the repository's .tmp/ so that the generated clients
// resolve @tsc-micro/runtime and the monolith side can import the sources.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Program } from "./model.ts";

export const PROJECT_TSCONFIG = {
  compilerOptions: {
    target: "ES2022",
    // Not the default ES2022 "full" lib: parsing lib.dom.d.ts was two thirds of every build's time, and the programs use only ECMAScript globals.
    lib: ["ES2022"],
    module: "NodeNext",
    moduleResolution: "NodeNext",
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  },
  include: ["src"],
};

/** Writes the program into `dir` (created); returns the path of its tsconfig.json. */
export function writeProgram(program: Program, dir: string): string {
  mkdirSync(path.join(dir, "src"), { recursive: true });
  writeFileSync(path.join(dir, "tsconfig.json"), `${JSON.stringify(PROJECT_TSCONFIG, null, 2)}\n`);
  writeFileSync(path.join(dir, "package.json"), `${JSON.stringify({ name: "generated-program", version: "0.0.0", private: true, type: "module" }, null, 2)}\n`);
  for (const [file, text] of Object.entries(program.sources)) writeFileSync(path.join(dir, file), text);
  return path.join(dir, "tsconfig.json");
}

/** The program as one text, for failure messages: every file under its path. */
export function programText(program: Program): string {
  return Object.entries(program.sources)
    .map(([file, text]) => `// ---- ${file}\n${text}`)
    .join("\n");
}
