// Identifiers for generated programs: names that stress the tool (runtime
// exports, names of generated code, JavaScript globals, `$`, `_`, non-ASCII
// letters, joiners and combining marks), and a check, by the TypeScript
// compiler itself, that a name is legal where it is used. The check compiles
// tiny snippets (no lib: milliseconds) and caches the answers.
import ts from "typescript";
import { syntaxErrors } from "./syntax-check.ts";
import type { ModuleText } from "./syntax-check.ts";

/** Where a name is declared. Property keys need no check: any text is a key (print.ts quotes it). */
export type Position = "fn" | "param" | "type" | "member";

/** Names the runtime exports or generated code uses (`$c`, `$validators`, `args`, `v`, …): failures naming them say what broke. */
export const GENERATED_CODE_NAMES: readonly string[] = [
  "ServiceClient", "ServiceError", "startService", "registerErrorClasses", "$c", "$validators", "$openapi", "$startService",
  "$tsmAsync", "v", "args", "result", "mapObject", "encodeDate", "decodeDate", "decodeBigInt", "looksLike", "call", "close", "setBaseUrl",
];

/**
 * Names known to collide with something: the runtime's exports and the
 * names generated code uses, globals, contextual keywords, `$`-names,
 * non-ASCII names. Reserved words are here on purpose: the legality check
 * drops them where they are not allowed.
 */
export const SPECIAL_NAMES: readonly string[] = [
  ...GENERATED_CODE_NAMES,
  // JavaScript globals
  "Object", "Map", "Set", "Promise", "JSON", "Date", "URL", "process", "require", "module", "exports", "Math", "String", "Number",
  "Boolean", "BigInt", "Array", "Error", "TypeError", "Symbol", "globalThis", "console", "fetch", "Buffer", "undefined", "NaN", "Infinity",
  "eval", "arguments", "__dirname", "__filename", "import", "window", "self",
  // keywords, contextual keywords and special property names
  "await", "yield", "let", "static", "implements", "type", "of", "async", "get", "set", "from", "as", "declare", "namespace", "default",
  "string", "number", "any", "never", "constructor", "__proto__", "toString", "hasOwnProperty", "valueOf", "prototype", "name", "length",
  "then", "catch", "$", "_", "$$", "__", "$1",
  // non-ASCII
  "Café", "café", "Event$Log", "é", "ü", "中", "Ωmega", "Straße", "π", "ǅemal", "naïve", "e\u0301", "a\u200cb", "a\u200db", "ℵ0",
  // markers resolved against the program (realize.ts): another function's client object, a codec function
  "*Service", "decode$*", "encode$*",
];

/** Letters names are composed of: ASCII, Latin with diacritics, Greek, CJK, titlecase, a letter plus a combining mark. */
export const LETTERS: readonly string[] = ["a", "b", "x", "Q", "Z", "é", "ü", "Ω", "中", "ß", "ǅ", "ª", "ℵ", "π", "Ж", "ñ", "e\u0301"];
export const NAME_PREFIXES: readonly string[] = ["", "$", "_", "$_", "__", "$$"];
export const NAME_SUFFIXES: readonly string[] = ["", "$", "_", "1", "$1", "_$", "\u200c", "\u200d", "$X"];

const SNIPPETS: Record<Position, readonly ((n: string) => string)[]> = {
  fn: [(n) => `export function ${n}(a: number): number { return a; }\n`, (n) => `export const ${n} = async (a: number): Promise<number> => a;\n`],
  param: [(n) => `export function f(${n}: number, b?: number): number { return ${n}; }\nexport const g = (${n}: string): string => ${n};\n`],
  type: [
    (n) => `export interface ${n} { a: number }\nexport function f(x: ${n}): ${n} { return x; }\n`,
    (n) => `export type ${n} = { a: number };\nexport function f(x: ${n}): ${n} { return x; }\n`,
    (n) => `export enum ${n} { A = 1 }\nexport function f(x: ${n}): number { return x + ${n}.A; }\n`,
  ],
  member: [(n) => `export enum E { ${n} = 1, B = "b" }\nexport const y = E.${n};\n`],
};

/** The same snippets as JavaScript (what V8 sees of them); enum members are property keys, nothing to check. */
const JS_SNIPPETS: Record<Position, readonly ((n: string) => string)[]> = {
  fn: [(n) => `export function ${n}(a) { return a; }\n`, (n) => `export const ${n} = async (a) => a;\n`],
  param: [(n) => `export function f(${n}, b) { return ${n}; }\nexport const g = (${n}) => ${n};\n`],
  type: [(n) => `export var ${n};\n(function (${n}) { ${n}[${n}["A"] = 1] = "A"; })(${n} || (${n} = {}));\n`],
  member: [],
};

const cache = new Map<string, boolean>();
const keyOf = (name: string, position: Position) => `${position}\u0000${name}`;
/** Special names V8 refuses where TypeScript does not (`await` as a parameter of a module). */
const refusedByV8 = new Set<string>();

/**
 * Checks every special name in every position, by TypeScript and then by V8
 * itself (TypeScript and esbuild accept a parameter named `await` in an ES
 * module; V8 does not): the compiled snippets are parsed as modules. Call
 * once before generating programs.
 */
export async function prepareNames(): Promise<void> {
  const positions = Object.keys(SNIPPETS) as Position[];
  checkNames(SPECIAL_NAMES.flatMap((n) => positions.map((p) => [n, p] as const)));
  const modules: ModuleText[] = [];
  for (const name of SPECIAL_NAMES) {
    for (const position of positions) {
      if (!cache.get(keyOf(name, position))) continue;
      JS_SNIPPETS[position].forEach((snippet, i) => modules.push({ id: `${keyOf(name, position)}\u0000${i}`, text: snippet(name) }));
    }
  }
  for (const id of (await syntaxErrors(modules)).keys()) refusedByV8.add(id.slice(0, id.lastIndexOf("\u0000")));
}

/**
 * Whether TypeScript accepts `name` in that position of an ES module
 * (strict mode). Answers from the cache; unknown names are checked one batch
 * at a time (see {@link checkNames}).
 */
export function isLegal(name: string, position: Position): boolean {
  const key = keyOf(name, position);
  if (!cache.has(key)) checkNames([[name, position]]);
  return cache.get(key)! && !refusedByV8.has(key);
}

/** Checks many names at once (one compiler program), filling the cache. */
export function checkNames(pairs: Iterable<readonly [string, Position]>): void {
  const todo = new Map<string, [string, Position]>();
  for (const [name, position] of pairs) {
    const key = keyOf(name, position);
    if (cache.has(key) || todo.has(key)) continue;
    // Not even an identifier (or a keyword, where the scanner says so): no need to ask the checker.
    if (!isIdentifierName(name)) cache.set(key, false);
    else todo.set(key, [name, position]);
  }
  if (todo.size === 0) return;
  const files = new Map<string, string>();
  const owner = new Map<string, string>();
  let i = 0;
  for (const [key, [name, position]] of todo) {
    for (const snippet of SNIPPETS[position]) {
      const file = `/names/n${i++}.mts`;
      files.set(file, snippet(name));
      owner.set(file, key);
    }
  }
  const options: ts.CompilerOptions = { noLib: true, types: [], strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, noEmit: true };
  const host = ts.createCompilerHost(options);
  host.fileExists = (f) => files.has(f);
  host.readFile = (f) => files.get(f);
  host.getSourceFile = (f, languageVersion) => (files.has(f) ? ts.createSourceFile(f, files.get(f)!, languageVersion, true) : undefined);
  const program = ts.createProgram([...files.keys()], options, host);
  const bad = new Set<string>();
  for (const sf of program.getSourceFiles()) {
    const key = owner.get(sf.fileName);
    if (!key) continue;
    // Without a lib, global types are missing (TS2318) and `Promise` cannot be found: not about the name.
    const problems = [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)].filter((d) => d.code !== 2318 && d.code !== 2583 && d.code !== 2705 && d.code !== 2468);
    if (problems.length > 0) bad.add(key);
  }
  for (const key of todo.keys()) cache.set(key, !bad.has(key));
}

/** The text is an IdentifierName (keywords included), by the scanner's own character classes. */
export function isIdentifierName(text: string): boolean {
  const points = [...text].map((c) => c.codePointAt(0)!);
  return points.length > 0 && ts.isIdentifierStart(points[0]!, ts.ScriptTarget.ESNext) && points.slice(1).every((p) => ts.isIdentifierPart(p, ts.ScriptTarget.ESNext));
}
