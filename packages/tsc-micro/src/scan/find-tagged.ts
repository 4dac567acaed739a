import { Node, SyntaxKind } from "ts-morph";
import type { JSDoc, JSDocTag, SourceFile } from "ts-morph";
import { DiagnosticCode, error } from "../diagnostics/diagnostic.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { functionId, functionOfDeclaration } from "../ast/function-like.js";
import type { ServiceFunctionNode } from "../ast/function-like.js";
import { locate, relativeFile } from "../ast/locate.js";
import { parseTagOptions } from "./tag-options.js";
import type { FunctionDocs, ScannedParameter, TaggedFunction } from "./types.js";

export const TAG_NAME = "microservice";

/**
 * Finds every `@microservice` tag in a file. A tag on an exported function
 * declaration or an exported `const` initialised with a function yields a
 * {@link TaggedFunction}; a tag anywhere else yields a diagnostic.
 */
export function findTaggedFunctions(
  rootDir: string,
  sourceFile: SourceFile,
  diagnostics: Diagnostic[],
): TaggedFunction[] {
  const found: TaggedFunction[] = [];
  if (!sourceFile.getFullText().includes(`@${TAG_NAME}`)) return found;
  sourceFile.forEachDescendant((node) => {
    if (!Node.isJSDocable(node)) return;
    const tags = node.getJsDocs().flatMap((doc) => doc.getTags().filter((t) => t.getTagName() === TAG_NAME));
    if (tags.length === 0) return;
    const fn = taggedFunction(rootDir, node, tags[0]!, diagnostics);
    if (fn) found.push(fn);
  });
  return found;
}

function taggedFunction(rootDir: string, node: Node, tag: JSDocTag, diagnostics: Diagnostic[]): TaggedFunction | undefined {
  const tagAt = locate(rootDir, tag, { start: tag.getStart(), end: tag.getStart() + TAG_NAME.length + 1 });
  const target = taggedTarget(node);
  if (!target) {
    diagnostics.push(
      error(
        DiagnosticCode.TagOnNonFunction,
        `@${TAG_NAME} is on ${describe(node)}, not on a function.`,
        tagAt,
        "Put the tag on an exported function declaration or an exported `const f = (…) => …`.",
      ),
    );
    return undefined;
  }
  const { fn, name, statement } = target;
  if (!name) {
    diagnostics.push(error(DiagnosticCode.TagOnNonFunction, `@${TAG_NAME} needs a named function.`, tagAt, "Give the function a name: it becomes the route."));
    return undefined;
  }
  const exportName = exportNameOf(statement, name);
  if (!exportName) {
    diagnostics.push(
      error(
        DiagnosticCode.TagOnNonExported,
        `'${name}' is tagged @${TAG_NAME} but is not exported.`,
        tagAt,
        `Add 'export': a service function must be importable by the generated server, e.g. 'export function ${name}(…)'.`,
      ),
    );
    return undefined;
  }
  if (Node.isVariableStatement(statement) && statement.getDeclarationKind() !== "const") {
    diagnostics.push(
      error(DiagnosticCode.TagOnNonFunction, `'${name}' is declared with '${statement.getDeclarationKind()}'; a service function must not be reassigned.`, tagAt, `Declare it with 'const'.`),
    );
    return undefined;
  }
  const file = relativeFile(rootDir, node.getSourceFile());
  const optionsText = firstLine(tag.getCommentText() ?? "");
  const { options, problems } = parseTagOptions(optionsText);
  const optionsStart = tag.getText().indexOf(optionsText, TAG_NAME.length + 1);
  for (const p of problems) {
    const start = tag.getStart() + Math.max(0, optionsStart) + p.offset;
    const at = locate(rootDir, tag, { start, end: start + p.length });
    diagnostics.push(error(p.kind === "unknown" ? DiagnosticCode.UnknownTagOption : DiagnosticCode.InvalidTagOption, p.message, at, p.hint));
  }
  const params = parameters(rootDir, fn, name, diagnostics);
  if (!Node.isArrowFunction(fn) && fn.isGenerator()) {
    diagnostics.push(error(DiagnosticCode.TagOnNonFunction, `'${name}' is a generator; a service function returns one value.`, tagAt, "Return an array instead of yielding values."));
    return undefined;
  }
  return {
    id: functionId(file, fn),
    name,
    exportName,
    file,
    location: locate(rootDir, (Node.isFunctionDeclaration(fn) ? fn.getNameNode() : undefined) ?? (Node.isVariableStatement(statement) ? statement.getDeclarations()[0]!.getNameNode() : statement)),
    isAsync: fn.isAsync(),
    docs: docsOf(statement),
    options,
    params: params ?? [],
  };
}

interface Target {
  fn: ServiceFunctionNode;
  name: string | undefined;
  statement: Node;
}

function taggedTarget(node: Node): Target | undefined {
  if (Node.isFunctionDeclaration(node)) {
    const fn = functionOfDeclaration(node);
    return fn ? { fn, name: node.getName(), statement: node } : undefined;
  }
  if (Node.isVariableStatement(node)) {
    const decls = node.getDeclarations();
    if (decls.length !== 1) return undefined;
    const fn = functionOfDeclaration(decls[0]!);
    return fn ? { fn, name: decls[0]!.getName(), statement: node } : undefined;
  }
  return undefined;
}

/** The name the declaration is exported under, or undefined when it is not exported. */
/** A file's exports, computed once per file however many tagged functions it has (the checker walk is not cheap). */
const exportsCache = new WeakMap<SourceFile, ReturnType<SourceFile["getExportedDeclarations"]>>();
function exportsOf(sourceFile: SourceFile): ReturnType<SourceFile["getExportedDeclarations"]> {
  let exported = exportsCache.get(sourceFile);
  if (!exported) exportsCache.set(sourceFile, (exported = sourceFile.getExportedDeclarations()));
  return exported;
}

function exportNameOf(statement: Node, name: string): string | undefined {
  const sourceFile = statement.getSourceFile();
  const decl = Node.isVariableStatement(statement) ? statement.getDeclarations()[0]! : statement;
  const exported = exportsOf(sourceFile);
  const names = [...exported.entries()].filter(([, decls]) => decls.some((d) => d === decl)).map(([n]) => n);
  if (names.includes(name)) return name;
  return names.sort()[0];
}

function parameters(rootDir: string, fn: ServiceFunctionNode, name: string, diagnostics: Diagnostic[]): ScannedParameter[] | undefined {
  const params: ScannedParameter[] = [];
  let ok = true;
  for (const p of fn.getParameters()) {
    const nameNode = p.getNameNode();
    if (!Node.isIdentifier(nameNode)) {
      ok = false;
      diagnostics.push(
        error(
          DiagnosticCode.UnsupportedParameter,
          `A parameter of '${name}' is destructured; requests carry named arguments, so each parameter needs a name.`,
          locate(rootDir, nameNode),
          `Name the parameter (e.g. 'order: Order') and destructure it in the body.`,
        ),
      );
      continue;
    }
    if (nameNode.getText() === "this") continue;
    if (p.isRestParameter()) {
      ok = false;
      diagnostics.push(
        error(
          DiagnosticCode.UnsupportedParameter,
          `Rest parameter '...${nameNode.getText()}' of '${name}' is not supported yet.`,
          locate(rootDir, p),
          `Take an array instead: '${nameNode.getText()}: T[]'.`,
        ),
      );
      continue;
    }
    params.push({ name: nameNode.getText(), optional: p.isOptional() || p.hasInitializer() });
  }
  return ok ? params : undefined;
}

function docsOf(statement: Node): FunctionDocs {
  const docs: JSDoc[] = Node.isJSDocable(statement) ? statement.getJsDocs() : [];
  const result: FunctionDocs = { params: {} };
  const description = docs.map((d) => d.getDescription().trim()).filter(Boolean).join("\n\n");
  if (description) result.description = description;
  for (const tag of docs.flatMap((d) => d.getTags())) {
    if (Node.isJSDocParameterTag(tag)) {
      const text = (tag.getCommentText() ?? "").replace(/^\s*-\s*/, "").trim();
      if (text) result.params[tag.getName()] = text;
    } else if (Node.isJSDocReturnTag(tag)) {
      const text = (tag.getCommentText() ?? "").trim();
      if (text) result.returns = text;
    } else if (tag.getTagName() === "deprecated") {
      result.deprecated = true;
    }
  }
  return result;
}

function firstLine(text: string): string {
  return text.split(/\r?\n/)[0]!.trim();
}

function describe(node: Node): string {
  switch (node.getKind()) {
    case SyntaxKind.ClassDeclaration:
      return "a class";
    case SyntaxKind.InterfaceDeclaration:
      return "an interface";
    case SyntaxKind.TypeAliasDeclaration:
      return "a type alias";
    case SyntaxKind.MethodDeclaration:
      return "a method";
    case SyntaxKind.PropertyDeclaration:
    case SyntaxKind.PropertySignature:
      return "a property";
    case SyntaxKind.VariableStatement:
      return "a variable that is not initialised with a function";
    case SyntaxKind.EnumDeclaration:
      return "an enum";
    default:
      return `a ${node.getKindName()}`;
  }
}
