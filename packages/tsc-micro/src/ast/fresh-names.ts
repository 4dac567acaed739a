import { Node } from "ts-morph";
import type { SourceFile, ts } from "ts-morph";

/**
 * Every identifier a file spells, computed once per file: names the rewrite must not shadow.
 * Keyed by the compiler's node, not ts-morph's wrapper: a file refreshed from disk keeps its
 * wrapper but gets a new node (tsc-micro dev --watch keeps its project between rebuilds).
 */
const spelled = new WeakMap<ts.SourceFile, Set<string>>();

/** Every identifier the file spells, at any depth (declared, used, or a property name: over-approximating is harmless). */
export function namesIn(sourceFile: SourceFile): Set<string> {
  let names = spelled.get(sourceFile.compilerNode);
  if (!names) {
    const found = new Set<string>();
    sourceFile.forEachDescendant((node) => {
      if (Node.isIdentifier(node)) found.add(node.getText());
    });
    spelled.set(sourceFile.compilerNode, (names = found));
  }
  return names;
}

/**
 * A name for a parameter the rewrite introduces: `base` itself (`v$`), else
 * `base1`, `base2`… — the first the file does not spell anywhere, so the
 * parameter can never shadow a variable of the user's code.
 */
export function freshName(sourceFile: SourceFile, base: string): string {
  return freshNameAmong(namesIn(sourceFile), base);
}

/**
 * `base` unless `taken` holds it, else the first free `base<sep><n>` from
 * `first` on (`square$remote_2`, `square$remote_3`…): deterministic for a
 * given set of names.
 */
export function freshNameAmong(taken: ReadonlySet<string>, base: string, numbering: { separator: string; first: number } = { separator: "", first: 1 }): string {
  if (!taken.has(base)) return base;
  let n = numbering.first;
  while (taken.has(`${base}${numbering.separator}${n}`)) n++;
  return `${base}${numbering.separator}${n}`;
}

/**
 * The names the plan gives what a rewritten file imports: the client of a
 * remote function `f` as `f$remote`, the async array helpers as `$tsmAsync`
 * (numbered `_2`, `_3`… when the file already spells the name).
 */
export const REMOTE_SUFFIX = "$remote";
export const ASYNC_HELPERS = "$tsmAsync";
export const IMPORT_NUMBERING = { separator: "_", first: 2 } as const;

/**
 * The identifiers of a file a rewrite's imported names could collide with: kept
 * in the scan result (plain data) so the plan can choose fresh names without the AST.
 */
export function importNamesInUse(sourceFile: SourceFile): string[] {
  return [...namesIn(sourceFile)].filter((n) => n.includes(REMOTE_SUFFIX) || n.startsWith(ASYNC_HELPERS)).sort();
}
