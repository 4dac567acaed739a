import { Node, ts } from "ts-morph";
import type { SourceFile } from "ts-morph";
import { DiagnosticCode, warning } from "../diagnostics/diagnostic.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { locate } from "../ast/locate.js";
import { closestKey } from "../diagnostics/suggest.js";
import { correctedOptions } from "./tag-options.js";

const TAG = "microservice";

/**
 * Tags the user meant as `@microservice` that TypeScript will not give us, so
 * the function would silently stay local: a misspelling (`@Microservice`,
 * `@microservices`, `@micro-service`), the tag in a comment TypeScript does not
 * read as docs (`// @microservice`, `/* @microservice *\/`), or a doc comment
 * that documents nothing. Each is a warning at the tag, with the fix.
 *
 * Only words that start a comment line count as tags (as in JSDoc), so prose
 * that mentions the tag mid-sentence is left alone.
 */
export function findNearMissTags(rootDir: string, sourceFile: SourceFile): Diagnostic[] {
  const text = sourceFile.getFullText();
  // Cheap: most files have no word anywhere near the tag, and walking every token's comments is not free.
  if (!candidateWords(text).some(isTagLike)) return [];
  const diagnostics: Diagnostic[] = [];
  const attached = attachedDocs(sourceFile);
  for (const comment of commentsOf(sourceFile.compilerNode)) {
    const commentText = text.slice(comment.pos, comment.end);
    const isDoc = comment.kind === ts.SyntaxKind.MultiLineCommentTrivia && /^\/\*\*(?!\/)/.test(commentText);
    for (const tag of tagsIn(commentText, isDoc)) {
      if (!isTagLike(tag.name)) continue;
      const exact = tag.name === TAG;
      if (exact && isDoc && attached.has(comment.pos)) continue; // a real tag: find-tagged handles it
      const start = comment.pos + tag.offset;
      const at = locate(rootDir, sourceFile, { start, end: start + tag.name.length + 1 });
      const what = comment.owner ? `'${comment.owner}' stays a local function` : "nothing becomes a service";
      // The options as they should be written too: a fix that copies `retries=3` only leads to TSM1003.
      const rest = tag.rest ? correctedOptions(tag.rest) : "";
      const fixed = `/** @${TAG}${rest ? ` ${rest}` : ""} */`;
      if (!exact) {
        const why = isDoc ? "" : `, and it is in ${kindOf(comment.kind)}, which TypeScript does not read as docs`;
        diagnostics.push(
          warning(DiagnosticCode.NearMissTag, `@${tag.name} is not the tag @${TAG}${why}: ${what}.`, at, `Did you mean ${fixed}? Tags are case-sensitive and singular.`),
        );
      } else if (!isDoc) {
        diagnostics.push(
          warning(
            DiagnosticCode.NearMissTag,
            `@${TAG} is in ${kindOf(comment.kind)}, which TypeScript does not read as docs: ${what}.`,
            at,
            `Write it as a doc comment, ${fixed}, right above the exported function.`,
          ),
        );
      } else {
        diagnostics.push(
          warning(
            DiagnosticCode.NearMissTag,
            `@${TAG} is in a doc comment that documents no declaration: nothing becomes a service.`,
            at,
            "Put the doc comment right above an exported function declaration or `export const f = (…) => …`.",
          ),
        );
      }
    }
  }
  return diagnostics;
}

/** `@microservice` itself, or a word the did-you-mean finds close to it (case, plural, `-`/`_`, a typo). */
export function isTagLike(word: string): boolean {
  return word === TAG || closestKey(word, [TAG], { prefix: false }) === TAG;
}

function candidateWords(text: string): string[] {
  return [...text.matchAll(/@([A-Za-z][\w-]*)/g)].map((m) => m[1]!);
}

interface Comment {
  pos: number;
  end: number;
  kind: ts.CommentKind;
  /** The declaration the comment sits above, when it has a name. */
  owner?: string;
}

/** Every comment of the file, once, in order: the leading and trailing comments of every node and token. */
function commentsOf(sourceFile: ts.SourceFile): Comment[] {
  const text = sourceFile.getFullText();
  const byPos = new Map<number, Comment>();
  const add = (ranges: ts.CommentRange[] | undefined, owner: ts.Node | undefined): void => {
    for (const r of ranges ?? []) {
      const known = byPos.get(r.pos);
      if (!known) byPos.set(r.pos, { pos: r.pos, end: r.end, kind: r.kind, ...(owner && nameOf(owner) ? { owner: nameOf(owner)! } : {}) });
      // Outer nodes come first and share their first child's position (a statement list): name the declaration.
      else if (!known.owner && owner && nameOf(owner)) known.owner = nameOf(owner)!;
    }
  };
  (function visit(node: ts.Node): void {
    if (node.kind >= ts.SyntaxKind.FirstJSDocNode && node.kind <= ts.SyntaxKind.LastJSDocNode) return;
    add(ts.getLeadingCommentRanges(text, node.pos), node);
    add(ts.getTrailingCommentRanges(text, node.end), undefined);
    for (const child of node.getChildren(sourceFile)) visit(child);
  })(sourceFile);
  return [...byPos.values()].sort((a, b) => a.pos - b.pos);
}

function nameOf(node: ts.Node): string | undefined {
  if (ts.isFunctionDeclaration(node)) return node.name?.text;
  if (ts.isVariableStatement(node)) {
    const decl = node.declarationList.declarations[0];
    return decl && ts.isIdentifier(decl.name) && decl.initializer && (ts.isArrowFunction(decl.initializer) || ts.isFunctionExpression(decl.initializer)) ? decl.name.text : undefined;
  }
  return undefined;
}

/** Start positions of the doc comments TypeScript attached to a declaration. */
function attachedDocs(sourceFile: SourceFile): Set<number> {
  const docs = new Set<number>();
  sourceFile.forEachDescendant((node) => {
    if (Node.isJSDocable(node)) for (const doc of node.getJsDocs()) docs.add(doc.getPos());
  });
  return docs;
}

/**
 * The tags of a comment, with the rest of their line. In a doc comment, as for
 * TypeScript, any `@word` after white space; in other comments only a word that
 * starts a line (after `//`, `/*` or a `*`), so prose is left alone.
 */
function tagsIn(comment: string, isDoc: boolean): { name: string; offset: number; rest: string }[] {
  const tags: { name: string; offset: number; rest: string }[] = [];
  const re = isDoc ? /(^|\s)()@([A-Za-z][\w-]*)([^@\n]*)/g : /(^|\n)([ \t]*(?:\/\/+|\/\*+|\*+)?[ \t]*)@([A-Za-z][\w-]*)([^\n]*)/g;
  for (let m = re.exec(comment); m; m = re.exec(comment)) {
    const rest = m[4]!.replace(/\*+\/\s*$/, "").trim();
    tags.push({ name: m[3]!, offset: m.index + m[1]!.length + m[2]!.length, rest });
  }
  return tags;
}

function kindOf(kind: ts.CommentKind): string {
  return kind === ts.SyntaxKind.SingleLineCommentTrivia ? "a line comment (//)" : "a block comment (/* */, not /** */)";
}
