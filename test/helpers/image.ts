// What a generated Dockerfile puts in its image, worked out offline (no Docker engine here):
// the Dockerfile is parsed with dockerfile-ast and its WORKDIR and COPY instructions are
// followed as Docker follows them, for the forms tsc-micro writes (anything else fails loudly).
// And what a bundle loads, read from the files themselves: the import statements of the
// written .mjs files, followed from file to file (TypeScript's parser), never
// from the build's own metadata, so the two can be held against each other.
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { hash } from "node:crypto";
import { isBuiltin } from "node:module";
import path from "node:path";
import { Copy, DockerfileParser, Workdir } from "dockerfile-ast";
import type { JSONInstruction } from "dockerfile-ast";
import { ts } from "ts-morph";

export interface Image {
  /** The working directory CMD runs in (absolute, in the image). */
  workdir: string;
  /** Every file copied in: path in the image → the file in the build context it comes from. */
  files: Map<string, string>;
  /** CMD's arguments (exec form). */
  cmd: string[];
}

/**
 * The files a Dockerfile copies from `context` and where they land. Every
 * COPY source must be a file of the context (no directories, globs, URLs,
 * `--from` or paths leaving the context): that is checked here.
 */
export function dockerImage(context: string, dockerfile: string): Image {
  const ast = DockerfileParser.parse(readFileSync(dockerfile, "utf8"));
  let workdir = "/";
  const files = new Map<string, string>();
  let cmd: string[] | undefined;
  for (const instruction of ast.getInstructions()) {
    const keyword = instruction.getKeyword();
    const where = `${dockerfile}: ${instruction.getTextContent()}`;
    assert.notEqual(keyword, "ADD", `${where}: ADD (COPY only)`);
    if (instruction instanceof Workdir) {
      workdir = path.posix.resolve(workdir, instruction.getPath() ?? "");
    } else if (instruction instanceof Copy) {
      assert.equal(instruction.getFlags().length, 0, `${where}: flags (--from, --chown, …)`);
      const args = (instruction as JSONInstruction).getArguments().map((a) => a.getValue());
      assert.ok(args.length >= 2, `${where}: needs a source and a destination`);
      const sources = args.slice(0, -1);
      const destination = args.at(-1)!;
      assert.ok(sources.length === 1 || destination.endsWith("/"), `${where}: several sources need a destination folder ending in /`);
      for (const source of sources) {
        assert.ok(!/[*?[\]]/.test(source) && !/^[a-z][a-z0-9+.-]*:\/\//i.test(source), `${where}: '${source}' is a glob or a URL`);
        const file = path.resolve(context, source);
        assert.ok(!path.relative(context, file).startsWith(".."), `${where}: '${source}' is outside the build context ${context}`);
        assert.ok(existsSync(file) && statSync(file).isFile(), `${where}: '${source}' is not a file of the build context ${context}`);
        const target = destination.endsWith("/") ? path.posix.join(path.posix.resolve(workdir, destination), path.posix.basename(source)) : path.posix.resolve(workdir, destination);
        assert.ok(!files.has(target), `${where}: ${target} copied twice`);
        files.set(target, file);
      }
    } else if (keyword === "CMD") {
      cmd = JSON.parse(instruction.getArgumentsContent() ?? "") as string[];
    }
  }
  assert.ok(cmd, `${dockerfile}: no CMD`);
  return { workdir, files, cmd };
}

/** Writes the image's files under `root` (image path `/app/x` → `<root>/app/x`); returns where CMD runs. */
export function materialize(image: Image, root: string): string {
  for (const [target, source] of image.files) {
    const file = path.join(root, target);
    mkdirSync(path.dirname(file), { recursive: true });
    copyFileSync(source, file);
  }
  const cwd = path.join(root, image.workdir);
  mkdirSync(cwd, { recursive: true });
  return cwd;
}

export interface Closure {
  /** The entry and every file it imports, directly or not (absolute paths, sorted). */
  files: string[];
  /** Bare specifiers imported anywhere in it (sorted): an image without node_modules may only import Node's built-ins. */
  bare: string[];
}

/**
 * The files `entry` loads: its static and dynamic imports and re-exports,
 * relative ones followed to the files they name (which must exist), read
 * from the text of each file.
 */
export function importClosure(entry: string): Closure {
  const files = new Set<string>();
  const bare = new Set<string>();
  const visit = function visitFile(file: string): void {
    if (files.has(file)) return;
    assert.ok(existsSync(file) && statSync(file).isFile(), `${file} is imported but missing`);
    files.add(file);
    for (const fileName of moduleSpecifiers(file)) {
      if (fileName.startsWith("./") || fileName.startsWith("../")) visitFile(path.resolve(path.dirname(file), fileName));
      else bare.add(fileName);
    }
  };
  visit(entry);
  return { files: [...files].sort(), bare: [...bare].sort() };
}

/**
 * The specifiers a module imports: import and export declarations and `import("…")` calls with a
 * string literal, found by parsing it. TypeScript's preProcessFile, used before, is a token scanner
 * that missed a dynamic import deep in a 400 KB bundle (after a regular expression it took for a
 * division, presumably): a lazily loaded chunk then looked like one the image need not hold.
 */
function moduleSpecifiers(file: string): string[] {
  const text = readFileSync(file, "utf8");
  // Every service of a build loads the same shared chunks (one of them ~440 KB): parsed once per
  // text, not once per service that loads it (that was half of service-images.test.ts's CPU).
  const key = hash("sha256", text);
  let found = specifiersByText.get(key);
  if (!found) specifiersByText.set(key, (found = parsedSpecifiers(file, text)));
  return found;
}

const specifiersByText = new Map<string, string[]>();

function parsedSpecifiers(file: string, text: string): string[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
  const found: string[] = [];
  const visit = function visitNode(node: ts.Node): void {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) found.push(node.moduleSpecifier.text);
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      // A computed specifier (some package's plugin loader) names no file of the output.
      const [arg] = node.arguments;
      if (arg && ts.isStringLiteralLike(arg)) found.push(arg.text);
    }
    ts.forEachChild(node, visitNode);
  };
  visit(sf);
  return found;
}

/** Asserts that every bare import of a closure is a Node built-in. */
export function assertBuiltinsOnly(closure: Closure, what: string): void {
  assert.deepEqual(closure.bare.filter((s) => !isBuiltin(s)), [], `${what} imports packages an image without node_modules does not have`);
}
