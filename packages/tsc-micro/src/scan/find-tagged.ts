import { Node, SyntaxKind } from "ts-morph";
import type { JSDocTag, SourceFile, ts } from "ts-morph";
import { DiagnosticCode, error } from "../diagnostics/diagnostic.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { functionId, functionOfDeclaration } from "../ast/function-like.js";
import type { ServiceFunctionNode } from "../ast/function-like.js";
import { locate, relativeFile } from "../ast/locate.js";
import { docsOf, overloadGroupDocs } from "./function-docs.js";
import { declarationGroup, scanOverloads } from "./overloads.js";
import { parseTagOptions } from "./tag-options.js";
import type { ScannedParameter, TaggedFunction } from "./types.js";

export const TAG_NAME = "microservice";

/**
 * Finds every `@microservice` tag in a file. A tag on an exported function
 * declaration or an exported `const` initialised with a function yields a
 * {@link TaggedFunction}; a tag anywhere else yields a diagnostic. An
 * overloaded function is one group: the tag may be on any overload signature
 * (TypeScript keeps an overloaded function's docs on the first) or on the
 * implementation, once; the implementation is the route.
 */
export function findTaggedFunctions(
  rootDir: string,
  sourceFile: SourceFile,
  diagnostics: Diagnostic[],
): TaggedFunction[] {
  const found: TaggedFunction[] = [];
  if (!sourceFile.getFullText().includes(`@${TAG_NAME}`)) return found;
  /** First declarations of the groups already handled (a group is met at each of its tagged declarations). */
  const seen = new Set<Node>();
  sourceFile.forEachDescendant((node) => {
    // Only tagged nodes look for their group: finding a function's overloads walks its siblings.
    if (!Node.isJSDocable(node) || tagsOf(node).length === 0) return;
    const group = declarationGroup(node);
    if (seen.has(group[0]!)) return;
    seen.add(group[0]!);
    const tags = group.flatMap(tagsOf);
    const fn = taggedFunction(rootDir, group, tags[0]!, diagnostics);
    if (!fn) return;
    reportExtraTags(rootDir, fn.name, group.length > 1, tags, diagnostics);
    found.push(fn);
  });
  return found;
}

function tagsOf(node: Node): JSDocTag[] {
  return Node.isJSDocable(node) ? node.getJsDocs().flatMap((doc) => doc.getTags().filter((t) => t.getTagName() === TAG_NAME)) : [];
}

/**
 * One tag per function, overloads included: which one's options would hold is
 * not for the compiler to guess. The same options again is redundant, other
 * options a conflict; the first tag counts either way.
 */
function reportExtraTags(rootDir: string, name: string, overloaded: boolean, tags: readonly JSDocTag[], diagnostics: Diagnostic[]): void {
  const first = tags[0]!;
  const firstText = optionsTextOf(first);
  const firstOptions = JSON.stringify(sortedOptions(firstText));
  const where = overloaded ? `the overloads of '${name}'` : `'${name}'`;
  const keep = overloaded ? "Keep one tag, on the first overload or on the implementation" : "Keep one tag";
  const firstLineNo = first.getStartLineNumber();
  for (const tag of tags.slice(1)) {
    const at = locate(rootDir, tag, { start: tag.getStart(), end: tag.getStart() + TAG_NAME.length + 1 });
    const text = optionsTextOf(tag);
    if (JSON.stringify(sortedOptions(text)) === firstOptions) {
      diagnostics.push(
        error(DiagnosticCode.InvalidTagOption, `@${TAG_NAME} is given twice on ${where} (first on line ${firstLineNo}).`, at, `${keep}.`),
      );
    } else {
      diagnostics.push(
        error(
          DiagnosticCode.ConflictingServiceOptions,
          `@${TAG_NAME} on ${where} is given twice with different options: ${quoted(firstText)} on line ${firstLineNo}, ${quoted(text)} here.`,
          at,
          `${keep}, with the options you mean.`,
        ),
      );
    }
  }
}

function quoted(optionsText: string): string {
  return optionsText ? `'${optionsText}'` : "none";
}

function optionsTextOf(tag: JSDocTag): string {
  return firstLine(tag.getCommentText() ?? "");
}

function sortedOptions(text: string): [string, unknown][] {
  return Object.entries(parseTagOptions(text).options).sort(([a], [b]) => a.localeCompare(b));
}

function taggedFunction(rootDir: string, group: readonly Node[], tag: JSDocTag, diagnostics: Diagnostic[]): TaggedFunction | undefined {
  const tagAt = locate(rootDir, tag, { start: tag.getStart(), end: tag.getStart() + TAG_NAME.length + 1 });
  // The route is the implementation: the group's last declaration.
  const node = group[group.length - 1]!;
  if (Node.isFunctionDeclaration(node) && !node.hasBody()) {
    diagnostics.push(
      error(
        DiagnosticCode.TagOnNonFunction,
        `@${TAG_NAME} is on '${node.getName() ?? "default"}', a function declaration without a body: there is nothing for a service to run.`,
        tagAt,
        "Tag a function that has an implementation (for an overloaded function: any of its overloads, or the implementation).",
      ),
    );
    return undefined;
  }
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
  const optionsText = optionsTextOf(tag);
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
  const overloadNodes = group.slice(0, -1).filter(Node.isFunctionDeclaration);
  const overloads = overloadNodes.length > 0 ? scanOverloads(rootDir, file, name, overloadNodes, params ?? [], diagnostics) : undefined;
  const ownDocs = docsOf(statement);
  const docs = overloads ? overloadGroupDocs(ownDocs, overloads.map((o) => o.docs), (params ?? []).map((p) => p.name)) : ownDocs;
  return {
    id: functionId(file, fn),
    name,
    exportName,
    file,
    location: locate(rootDir, (Node.isFunctionDeclaration(fn) ? fn.getNameNode() : undefined) ?? (Node.isVariableStatement(statement) ? statement.getDeclarations()[0]!.getNameNode() : statement)),
    isAsync: fn.isAsync(),
    docs,
    options,
    params: params ?? [],
    ...(overloads ? { overloads } : {}),
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
/**
 * A file's exports, computed once per file however many tagged functions it has (the checker walk is not cheap).
 * Keyed by the compiler's node, which a file refreshed from disk replaces (its ts-morph wrapper stays).
 */
const exportsCache = new WeakMap<ts.SourceFile, ReturnType<SourceFile["getExportedDeclarations"]>>();
function exportsOf(sourceFile: SourceFile): ReturnType<SourceFile["getExportedDeclarations"]> {
  let exported = exportsCache.get(sourceFile.compilerNode);
  if (!exported) exportsCache.set(sourceFile.compilerNode, (exported = sourceFile.getExportedDeclarations()));
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
