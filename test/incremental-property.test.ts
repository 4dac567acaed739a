// The incremental rebuild of `tsc-micro dev --watch` (src/incremental/) against the whole build, on
// random edits: fast-check draws a sequence of edits (a number or a string changed, a statement
// inserted or removed, an expression parenthesised — which moves a call the plan rewrites inside a
// longer span —, a call duplicated, and a few that are not body edits: a parameter added, a comment
// between declarations), each resolved against the program's current text, in every function body
// of the program (helpers, services, arrows, methods, constructors, the entry point). After every
// edit the watch builder rebuilds, incrementally or in full, and the output folder must be, file for
// file and byte for byte, what a whole build of the same sources writes; after an incremental one,
// the checks that follow must find the plan it used (not stale) and no error. How each rebuild went
// is counted and reported (t.diagnostic); fallbacks are allowed, wrong output never.
//
// Knobs: INCREMENTAL_EDITS (24), INCREMENTAL_SEED (13_2026).
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import fc from "fast-check";
import { ts } from "ts-morph";
import { build } from "../packages/tsc-micro/src/index.ts";
import { watchBuilder } from "../packages/tsc-micro/src/incremental/watch-builder.ts";
import { filesUnder } from "./helpers/emitted-checks.ts";
import { MORE_FILES, writeIncrementalProgram } from "./helpers/incremental-program.ts";
import { tempOutDir } from "./helpers/paths.ts";

const EDITS = Number(process.env.INCREMENTAL_EDITS ?? 24);
const SEED = Number(process.env.INCREMENTAL_SEED ?? 13_2026);
const FILES = ["src/prices.ts", "src/labels.ts", "src/checkout.ts", "src/errors.ts", "src/main.ts", "src/stats.ts"];

type Kind = "number" | "string" | "insert" | "remove" | "parenthesise" | "duplicate-call" | "parameter" | "top-level-comment";
/** Kinds that are never edits of one body: they must take the whole build. */
const NOT_BODY: readonly Kind[] = ["parameter", "top-level-comment"];

/** An edit as drawn: which file, which kind, and numbers that pick a place and a value in the current text. */
interface Draw {
  file: number;
  kind: Kind;
  pick: number;
  value: number;
}

const drawArbitrary: fc.Arbitrary<Draw> = fc.record({
  file: fc.nat({ max: FILES.length - 1 }),
  kind: fc.oneof(
    { weight: 3, arbitrary: fc.constant<Kind>("number") },
    { weight: 3, arbitrary: fc.constant<Kind>("string") },
    { weight: 4, arbitrary: fc.constant<Kind>("insert") },
    { weight: 2, arbitrary: fc.constant<Kind>("remove") },
    { weight: 4, arbitrary: fc.constant<Kind>("parenthesise") },
    { weight: 2, arbitrary: fc.constant<Kind>("duplicate-call") },
    { weight: 1, arbitrary: fc.constant<Kind>("parameter") },
    { weight: 1, arbitrary: fc.constant<Kind>("top-level-comment") },
  ),
  pick: fc.nat({ max: 1_000_000 }),
  value: fc.nat({ max: 999 }),
});

/** A replacement of [start, end) by `text`, or why the draw does not apply to this file now. */
type Resolved = { start: number; end: number; text: string; what: string } | { skip: string };

function parse(file: string, text: string): ts.SourceFile {
  return ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
}

/** Every node inside some function body of the file (bodies of nested functions included). */
function insideBodies(sf: ts.SourceFile): ts.Node[] {
  const found: ts.Node[] = [];
  const visit = function visitNode(node: ts.Node, inBody: boolean): void {
    if (inBody) found.push(node);
    const body = ts.isFunctionLike(node) || ts.isClassStaticBlockDeclaration(node) ? (node as { body?: ts.Node }).body : undefined;
    ts.forEachChild(node, (child) => visitNode(child, inBody || child === body));
  };
  visit(sf, false);
  return found;
}

function pickOf<T>(items: readonly T[], pick: number): T | undefined {
  return items.length === 0 ? undefined : items[pick % items.length];
}

/** Whether parentheses around `node` keep the program meaning and typing the same. */
function parenthesisable(node: ts.Node): boolean {
  const parent = node.parent;
  if (!ts.isCallExpression(node) && !ts.isBinaryExpression(node) && !ts.isAwaitExpression(node) && !ts.isPropertyAccessExpression(node) && !ts.isTemplateExpression(node) && !ts.isNumericLiteral(node) && !(ts.isIdentifier(node) && ts.isExpression(parent) && !ts.isPropertyAccessExpression(parent))) return false;
  // Not where a name or a callee is expected: the callee of a call, a tag, a declaration's name, a property name, an assignment's target.
  if ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.expression === node) return false;
  // super(…) stays a statement of its own (TypeScript requires it so in a class with parameter properties).
  if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.SuperKeyword) return false;
  if (ts.isTaggedTemplateExpression(parent) || ts.isShorthandPropertyAssignment(parent) || ts.isPropertyAssignment(parent) && parent.name === node) return false;
  if (ts.isBinaryExpression(parent) && parent.left === node && parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment) return false;
  if (ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent) || ts.isVariableDeclaration(parent) && parent.name === node) return false;
  if (ts.isForOfStatement(parent) && parent.initializer === node) return false;
  if (ts.isBinaryExpression(node) && node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment && ts.isExpressionStatement(parent)) return true;
  return !ts.isTypeNode(parent) && !ts.isDecorator(parent);
}

let counter = 0;

/** The draw as a text edit of the file's current text. */
function resolve(file: string, text: string, draw: Draw): Resolved {
  const sf = parse(file, text);
  const inBodies = insideBodies(sf);
  const n = ++counter;
  switch (draw.kind) {
    case "number": {
      const node = pickOf(inBodies.filter(ts.isNumericLiteral), draw.pick);
      if (!node) return { skip: "no number in a body" };
      return { start: node.getStart(sf), end: node.end, text: String(draw.value), what: `${node.getText(sf)} → ${draw.value}` };
    }
    case "string": {
      const node = pickOf(inBodies.filter((x) => ts.isStringLiteral(x) || ts.isNoSubstitutionTemplateLiteral(x) || ts.isTemplateHead(x) || ts.isTemplateMiddle(x) || ts.isTemplateTail(x)), draw.pick);
      if (!node) return { skip: "no string in a body" };
      const start = node.getStart(sf);
      const raw = node.getText(sf);
      // Keep the delimiters (`"…"`, `` `…${ ``, `}…` ``), change what is between them.
      const close = ts.isTemplateHead(node) || ts.isTemplateMiddle(node) ? 2 : 1;
      return { start: start + 1, end: start + raw.length - close, text: `s${draw.value}`, what: `${raw} → …s${draw.value}…` };
    }
    case "insert": {
      const block = pickOf(inBodies.filter((x): x is ts.Block => ts.isBlock(x) && !ts.isClassStaticBlockDeclaration(x.parent)), draw.pick);
      if (!block) return { skip: "no block" };
      // At the block's start or before one of its statements (in a constructor, after super()).
      const places = [block.getStart(sf) + 1, ...block.statements.map((s) => s.getFullStart())].filter((at) => !ts.isConstructorDeclaration(block.parent) || at > block.statements[0]!.end - 1);
      const at = pickOf(places, draw.value)!;
      const line = draw.value % 2 === 0 ? `\n    const inserted${n} = ${draw.value};` : `\n    // inserted note ${n}`;
      return { start: at, end: at, text: line, what: `inserted ${JSON.stringify(line.trim())}` };
    }
    case "remove": {
      const lines = [...text.matchAll(/\n {4}(?:const inserted\d+ = \d+;|\/\/ inserted note \d+)/g)];
      const line = pickOf(lines, draw.pick);
      if (!line) return { skip: "nothing inserted to remove" };
      return { start: line.index!, end: line.index! + line[0].length, text: "", what: `removed ${JSON.stringify(line[0].trim())}` };
    }
    case "parenthesise": {
      const node = pickOf(inBodies.filter(parenthesisable), draw.pick);
      if (!node) return { skip: "nothing to parenthesise" };
      return { start: node.getStart(sf), end: node.end, text: `(${node.getText(sf)})`, what: `(${node.getText(sf)})` };
    }
    case "duplicate-call": {
      // A call that is a whole statement's expression or its awaited value, evaluated once more just before it.
      const call = pickOf(inBodies.filter((x): x is ts.CallExpression => ts.isCallExpression(x) && !ts.isCallExpression(x.parent) && x.expression.kind !== ts.SyntaxKind.SuperKeyword), draw.pick);
      if (!call) return { skip: "no call" };
      let statement: ts.Node = call;
      while (!ts.isBlock(statement.parent) && !ts.isSourceFile(statement.parent)) statement = statement.parent;
      if (!ts.isBlock(statement.parent) || !ts.isStatement(statement)) return { skip: "the call is not inside a block's statement" };
      // Only calls whose arguments are in scope before the statement (not its own bindings): no arrow parameters.
      if (/=>/.test(call.getText(sf)) || bindsBetween(call, statement)) return { skip: "the call may use the statement's own bindings" };
      const at = statement.getFullStart();
      const line = `\n    void ${call.getText(sf)};`;
      return { start: at, end: at, text: line, what: `duplicated ${call.getText(sf)}` };
    }
    case "parameter": {
      const fn = pickOf(sf.statements.filter((s): s is ts.FunctionDeclaration => ts.isFunctionDeclaration(s) && s.body !== undefined && s.parameters.length > 0), draw.pick);
      if (!fn) return { skip: "no function declaration with parameters" };
      const last = fn.parameters.at(-1)!;
      if (last.questionToken || last.initializer) return { skip: "already has an optional parameter" };
      const text = `, extra${n}?: number`;
      return { start: last.end, end: last.end, text, what: `parameter added to ${fn.name?.text}` };
    }
    case "top-level-comment": {
      const at = pickOf(sf.statements.slice(1).map((s) => s.getFullStart()), draw.pick);
      if (at === undefined) return { skip: "one statement" };
      return { start: at, end: at, text: `\n// between declarations ${n}`, what: "comment between declarations" };
    }
  }
}

/** Whether something between the call and its statement (a function, a loop, a block, a catch) may bind names the call uses. */
function bindsBetween(node: ts.Node, statement: ts.Node): boolean {
  for (let at: ts.Node = node; ; at = at.parent) {
    if (ts.isFunctionLike(at) || ts.isIterationStatement(at, false) || ts.isBlock(at) || ts.isCatchClause(at)) return true;
    if (at === statement) return false;
  }
}

function contents(outDir: string): Map<string, Buffer> {
  return new Map(filesUnder(outDir).map((f) => [path.relative(outDir, f), readFileSync(f)]));
}

test("watch rebuilds on random edits: every rebuild, incremental or whole, writes what a whole build writes", { timeout: 1_800_000 }, async (t) => {
  const dir = writeIncrementalProgram("incremental-property", MORE_FILES);
  const outDir = tempOutDir("incremental-property");
  const options = { project: path.join(dir, "tsconfig.json"), entry: "src/main.ts" };
  const { result, builder } = await watchBuilder({ ...options, outDir });
  assert.ok(result.success, JSON.stringify(result.diagnostics));

  const draws = fc.sample(fc.array(drawArbitrary, { minLength: EDITS, maxLength: EDITS }), { seed: SEED, numRuns: 1 })[0]!;
  const counts = new Map<string, number>();
  const count = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
  for (const [i, draw] of draws.entries()) {
    const file = FILES[draw.file]!;
    const abs = path.join(dir, file);
    const before = readFileSync(abs, "utf8");
    const edit = resolve(file, before, draw);
    if ("skip" in edit) {
      count(`skipped (${edit.skip})`);
      continue;
    }
    const step = `edit ${i} (seed ${SEED}), ${draw.kind} in ${file}: ${edit.what}`;
    writeFileSync(abs, before.slice(0, edit.start) + edit.text + before.slice(edit.end));
    const r = await builder.rebuild(new Set([abs]));
    count(r.how === "full" ? `full: ${r.why}` : r.how);
    if (NOT_BODY.includes(draw.kind)) assert.equal(r.how, "full", `${step}: not a body edit`);

    const wholeDir = tempOutDir("incremental-property-whole");
    const whole = await build({ ...options, outDir: wholeDir, typeCheck: false });
    assert.ok(whole.success, `${step}: the edit made the program fail to build (fix the generator): ${JSON.stringify(whole.diagnostics)}`);
    assert.ok(r.result.success, `${step}: ${JSON.stringify(r.result.diagnostics)}`);
    const written = contents(outDir);
    const expected = contents(wholeDir);
    assert.deepEqual([...written.keys()].sort(), [...expected.keys()].sort(), `${step} (${r.how}): the same files`);
    const differing = [...expected].filter(([rel, bytes]) => !bytes.equals(written.get(rel)!)).map(([rel]) => rel);
    assert.deepEqual(differing, [], `${step} (${r.how}): the same bytes`);
    if (r.how === "incremental") {
      const checked = await builder.check();
      assert.equal(checked.stale, false, `${step}: the checks planned otherwise`);
      assert.ok(checked.result.success, `${step}: ${JSON.stringify(checked.result.diagnostics)}`);
    }
  }
  const summary = [...counts].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${v} × ${k}`);
  t.diagnostic(`seed ${SEED}, ${EDITS} edits: ${summary.join("; ")}`);
  assert.ok((counts.get("incremental") ?? 0) > 0, `no edit took the incremental path: ${summary.join("; ")}`);
});
