import { readFileSync } from "node:fs";
import path from "node:path";
import { ts } from "ts-morph";
import type { Location } from "../diagnostics/diagnostic.js";

/**
 * Where a key of the config file is written, e.g. `["services", "billing"]`
 * for `services: { billing: { … } }`, so a problem with a configured value
 * points at it. Read from the file's text (the loaded config is a plain object
 * with no positions); when the key cannot be found (computed, spread, built by
 * a function), the file's first character.
 *
 * @param rootDir - the project folder; `file` is relative to it (POSIX).
 */
export function configKeyLocation(rootDir: string, file: string, keyPath: readonly string[]): Location {
  let text: string;
  try {
    text = readFileSync(path.join(rootDir, file), "utf8");
  } catch {
    return { file, start: 0, length: 0, line: 1, column: 1 };
  }
  const sourceFile = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const name = findKey(sourceFile, keyPath);
  if (!name) return { file, start: 0, length: 0, line: 1, column: 1 };
  const start = name.getStart(sourceFile);
  const { line, character } = sourceFile.getLineAndCharacterOfPosition(start);
  return { file, start, length: name.getEnd() - start, line: line + 1, column: character + 1 };
}

/** The name node of the first property at `keyPath` in any object literal of the file. */
function findKey(sourceFile: ts.SourceFile, keyPath: readonly string[]): ts.Node | undefined {
  let found: ts.Node | undefined;
  (function visit(node: ts.Node): void {
    if (found) return;
    if (ts.isObjectLiteralExpression(node)) found = inObject(node, keyPath);
    if (!found) ts.forEachChild(node, visit);
  })(sourceFile);
  return found;
}

function inObject(object: ts.ObjectLiteralExpression, keyPath: readonly string[]): ts.Node | undefined {
  const [first, ...rest] = keyPath;
  for (const property of object.properties) {
    if (!property.name || keyText(property.name) !== first) continue;
    if (rest.length === 0) return property.name;
    if (ts.isPropertyAssignment(property) && ts.isObjectLiteralExpression(property.initializer)) return inObject(property.initializer, rest);
  }
  return undefined;
}

function keyText(name: ts.PropertyName): string | undefined {
  return ts.isIdentifier(name) || ts.isStringLiteralLike(name) || ts.isNumericLiteral(name) ? name.text : undefined;
}
