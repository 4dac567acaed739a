/**
 * Is a change of a file an edit of one function's body, and nothing else?
 * What a body holds stays inside it: no signature, tag, export, import or
 * type of the program changes, except through an inferred return type
 * (`returnTyped` says whether there is one to worry about). Read from the two
 * texts alone, parsed without the rest of the program (cheap: one file).
 */
import path from "node:path";
import { ts } from "ts-morph";
import type { TextChange } from "./text-change.js";

export type BodyEdit =
  | {
      ok: true;
      /**
       * The name the edited function's top-level declaration (function, class or
       * variable) binds, which a bundle holding its code prints (esbuild keeps names
       * when not minifying, adding a number on a clash); undefined when it binds none.
       */
      name?: string;
      /** Its return type is written out (or it has none: constructor, setter, static block), so the body cannot change it. */
      returnTyped: boolean;
    }
  | { ok: false; why: string };

/** A function-like declaration at the top level of a file, whose body holds the change. */
interface Outermost {
  fn: ts.FunctionLikeDeclaration | ts.ClassStaticBlockDeclaration;
  name?: string;
  returnTyped: boolean;
}

export function bodyEdit(fileName: string, before: string, after: string, change: TextChange): BodyEdit {
  const oldFile = parse(fileName, before);
  const newFile = parse(fileName, after);
  const old = outermostAround(oldFile, change.start, change.oldEnd);
  if (!old) return { ok: false, why: "the change is not inside one function's body" };
  const now = outermostAround(newFile, change.start, change.newEnd);
  // The same function, starting where it did, its body ending where the old one did plus the change:
  // anything else (an unclosed string or comment, a brace typed) changed more than the body.
  if (!now || now.fn.kind !== old.fn.kind || now.fn.getStart(newFile) !== old.fn.getStart(oldFile) || now.name !== old.name) {
    return { ok: false, why: "the change is not inside one function's body" };
  }
  if (now.fn.body!.end !== old.fn.body!.end + change.delta) return { ok: false, why: "the change is not inside one function's body" };
  // A dynamic import or require() in the body is an edge of the module graph, which esbuild's chunks follow.
  if (moduleLoads(old.fn.body!, oldFile).join("\n") !== moduleLoads(now.fn.body!, newFile).join("\n")) {
    return { ok: false, why: "the change adds or removes an import() or require()" };
  }
  return { ok: true, ...(old.name !== undefined ? { name: old.name } : {}), returnTyped: old.returnTyped && now.returnTyped };
}

function parse(fileName: string, text: string): ts.SourceFile {
  return ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, scriptKind(fileName));
}

function scriptKind(fileName: string): ts.ScriptKind {
  switch (path.extname(fileName)) {
    case ".tsx":
      return ts.ScriptKind.TSX;
    case ".js":
    case ".mjs":
    case ".cjs":
      return ts.ScriptKind.JS;
    case ".jsx":
      return ts.ScriptKind.JSX;
    default:
      return ts.ScriptKind.TS;
  }
}

/**
 * The top-level function whose body holds [start, end): a function
 * declaration, a method, constructor, accessor or static block of a
 * top-level class, or the arrow or function expression a top-level variable
 * is initialised with. Functions elsewhere (a callback passed at the top
 * level, a class field, a default value) give their types to what holds them.
 */
function outermostAround(file: ts.SourceFile, start: number, end: number): Outermost | undefined {
  const statement = file.statements.find((s) => s.getStart(file) <= start && end <= s.end);
  if (!statement) return undefined;
  let found: Outermost | undefined;
  if (ts.isFunctionDeclaration(statement)) {
    found = { fn: statement, ...named(statement.name), returnTyped: statement.type !== undefined };
  } else if (ts.isClassDeclaration(statement)) {
    const member = statement.members.find((m) => m.getStart(file) <= start && end <= m.end);
    if (member && (ts.isMethodDeclaration(member) || ts.isGetAccessorDeclaration(member))) found = { fn: member, ...named(statement.name), returnTyped: member.type !== undefined };
    else if (member && (ts.isConstructorDeclaration(member) || ts.isSetAccessorDeclaration(member) || ts.isClassStaticBlockDeclaration(member))) found = { fn: member, ...named(statement.name), returnTyped: true };
  } else if (ts.isVariableStatement(statement)) {
    const decl = statement.declarationList.declarations.find((d) => d.getStart(file) <= start && end <= d.end);
    const init = decl?.initializer;
    if (decl && init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) {
      found = { fn: init, ...(ts.isIdentifier(decl.name) ? named(decl.name) : {}), returnTyped: init.type !== undefined || decl.type !== undefined };
    }
  } else if (ts.isExportAssignment(statement) && (ts.isArrowFunction(statement.expression) || ts.isFunctionExpression(statement.expression))) {
    found = { fn: statement.expression, returnTyped: statement.expression.type !== undefined };
  }
  return found && insideBody(found.fn, file, start, end) ? found : undefined;
}

function named(name: ts.Identifier | undefined): { name?: string } {
  return name ? { name: name.text } : {};
}

/** Strictly between a block body's braces, or within an arrow's expression body. */
function insideBody(fn: Outermost["fn"], file: ts.SourceFile, start: number, end: number): boolean {
  const body = fn.body;
  if (!body) return false;
  if (ts.isBlock(body)) return body.getStart(file) < start && end < body.end;
  return body.getStart(file) <= start && end <= body.end;
}

/** `import(…)` and `require(…)` calls in a body, as written, in order. */
function moduleLoads(body: ts.Node, file: ts.SourceFile): string[] {
  const found: string[] = [];
  const visit = function visitNode(node: ts.Node): void {
    if (ts.isCallExpression(node) && (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === "require"))) {
      found.push(node.getText(file));
    }
    ts.forEachChild(node, visitNode);
  };
  visit(body);
  return found;
}
