// openProject (src/program/open-project.ts): lib and node_modules declaration files parsed once per
// process and shared by later Projects — reused only where nothing that shapes them differs, and
// giving the same diagnostics and types as a Project that parses everything itself.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { Project } from "ts-morph";
import type { ts } from "ts-morph";
import { openProject, sharedDeclarationReuses } from "../src/program/open-project.ts";

const root = mkdtempSync(path.join(tmpdir(), "tsm-open-project-"));
// The hooks below belong to this file's tests only, so the file can share a process
// (scripts/test-processes.mjs).
describe("open-project", () => {
  after(() => rmSync(root, { recursive: true, force: true }));

  /** A project with a lib-typed error, a package's declaration file and its own tsconfig options. */
  function writeProject(name: string, options: Record<string, unknown>, packageTypes = "export declare function twice(x: number): number;\n"): string {
    const dir = path.join(root, name);
    mkdirSync(path.join(dir, "src"), { recursive: true });
    mkdirSync(path.join(dir, "node_modules", "twice"), { recursive: true });
    writeFileSync(path.join(dir, "node_modules", "twice", "package.json"), JSON.stringify({ name: "twice", version: "1.0.0", types: "index.d.ts" }));
    writeFileSync(path.join(dir, "node_modules", "twice", "index.d.ts"), packageTypes);
    writeFileSync(
      path.join(dir, "src", "main.ts"),
      [
        'import { twice } from "twice";',
        "export const n: number = twice(2);",
        "export const pending = Promise.all([1, Promise.resolve('a')]);",
        'export const wrong: string = [1, 2].at(0);',
        "",
      ].join("\n"),
    );
    writeFileSync(
      path.join(dir, "tsconfig.json"),
      // skipLibCheck: the program's own errors are what a build reads; checking the lib files is seconds.
      JSON.stringify({ compilerOptions: { strict: true, module: "NodeNext", moduleResolution: "NodeNext", types: [], skipLibCheck: true, ...options }, include: ["src"] }),
    );
    return path.join(dir, "tsconfig.json");
  }

  /** The program's compiler source file whose path ends so. */
  function fileOf(project: Project, suffix: string): ts.SourceFile {
    const file = project.getProgram().compilerObject.getSourceFiles().find((f) => f.fileName.endsWith(suffix));
    assert.ok(file, `no ${suffix}`);
    return file;
  }

  /** What a build reads of a project: TypeScript's errors and the types of the exports. */
  function readingOf(project: Project): string[] {
    const diagnostics = project.getPreEmitDiagnostics().map((d) => `${d.getSourceFile()?.getBaseName()}:${d.getStart()}: ${JSON.stringify(d.getMessageText())}`);
    const main = project.getSourceFiles().find((f) => f.getFilePath().endsWith("src/main.ts"))!;
    const types = main.getVariableDeclarations().map((v) => `${v.getName()}: ${v.getType().getText(v)}`);
    return [...diagnostics, ...types];
  }

  test("a second Project of the same tsconfig takes every lib and package declaration file from the first, and reads the program the same as one that parses everything itself", () => {
    const tsconfig = writeProject("same", { target: "ES2022" });
    const first = openProject(tsconfig);
    const before = sharedDeclarationReuses();
    const second = openProject(tsconfig);
    const libs = second.getProgram().compilerObject.getSourceFiles().filter((f) => f.fileName.startsWith("/node_modules/typescript/lib/"));
    assert.ok(libs.length > 10, `lib files: ${libs.length}`);
    assert.equal(sharedDeclarationReuses() - before, libs.length + 1, "every lib file and the package's index.d.ts reused");
    assert.equal(fileOf(second, "lib.es5.d.ts"), fileOf(first, "lib.es5.d.ts"));
    assert.equal(fileOf(second, "twice/index.d.ts"), fileOf(first, "twice/index.d.ts"));
    // The program's own files are never shared.
    assert.notEqual(fileOf(second, "src/main.ts"), fileOf(first, "src/main.ts"));

    const own = new Project({ tsConfigFilePath: tsconfig });
    const expected = readingOf(own);
    assert.ok(expected.some((line) => line.includes("not assignable to type 'string'")), expected.join("\n"));
    assert.deepEqual(readingOf(second), expected);
    assert.deepEqual(readingOf(first), expected, "the first Project still reads the same after the second bound nothing anew");
  });

  test("a shared file is reused only with the same options that shape a parse or bind, and the same text", () => {
    const es2022 = openProject(writeProject("es2022", { target: "ES2022" }));
    const es2017 = openProject(writeProject("es2017", { target: "ES2017" }));
    assert.notEqual(fileOf(es2017, "lib.es5.d.ts"), fileOf(es2022, "lib.es5.d.ts"), "another target parses its own");
    const loose = openProject(writeProject("loose", { target: "ES2022", alwaysStrict: false }));
    assert.notEqual(fileOf(loose, "lib.es5.d.ts"), fileOf(es2022, "lib.es5.d.ts"), "alwaysStrict binds differently");

    // The package's declaration file changed on disk: the new text is read, not the shared parse.
    const tsconfig = writeProject("edited", { target: "ES2022" });
    openProject(tsconfig);
    writeFileSync(path.join(root, "edited", "node_modules", "twice", "index.d.ts"), "export declare function twice(x: number): string;\n");
    const edited = openProject(tsconfig);
    assert.match(fileOf(edited, "twice/index.d.ts").text, /: string;/);
    assert.ok(readingOf(edited).some((line) => line.startsWith("main.ts:") && line.includes("'string' is not assignable to type 'number'")), readingOf(edited).join("\n"));
  });
});
