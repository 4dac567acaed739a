import type { FileRewrite } from "../plan/types.js";
import { VIRTUAL } from "./server-entry.js";

/**
 * Applies a planned rewrite to a source file's text: the text edits, then the
 * imports of the client functions the file now calls. Edits never overlap
 * (the plan only inserts around calls and replaces callee names), so applying
 * them from the end keeps every offset valid.
 */
export function rewriteSource(text: string, rewrite: FileRewrite): string {
  let out = text;
  const edits = [...rewrite.edits].sort((a, b) => b.start - a.start || b.end - a.end || b.order - a.order);
  for (const e of edits) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  if (rewrite.imports.length === 0 && !rewrite.asyncHelpers) return out;
  const lines = rewrite.imports.map(
    (i) => `import { ${i.name} as ${i.alias} } from ${JSON.stringify(VIRTUAL.client(i.service))}; // tsc-micro: remote call`,
  );
  if (rewrite.asyncHelpers) lines.push(`import * as ${rewrite.asyncHelpers} from ${JSON.stringify(VIRTUAL.async)}; // tsc-micro: async array methods`);
  // Keep a shebang first; ESM hoists imports, so the top is as good as anywhere.
  const shebang = /^#![^\n]*\n/.exec(out)?.[0] ?? "";
  return `${shebang}${lines.join("\n")}\n${out.slice(shebang.length)}`;
}
