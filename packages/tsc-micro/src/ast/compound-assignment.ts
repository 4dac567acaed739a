import { Node } from "ts-morph";
import type { BinaryExpression } from "ts-morph";
import type { CompoundAssignment } from "../scan/types.js";
import { freshName } from "./fresh-names.js";
import { isFunctionScope, unwrapExpression } from "./function-like.js";

/** The arithmetic compound assignments. The logical ones (`??=`, `||=`, `&&=`) read their target first by definition. */
const ARITHMETIC = new Set(["+=", "-=", "*=", "/=", "%=", "**=", "<<=", ">>=", ">>>=", "&=", "|=", "^="]);

/**
 * The compound assignments, innermost first, whose right side holds `site`
 * (in the same function): `total += f(x)`, `total += 2 * f(x)`,
 * `box().items[k()] *= f(x)`. Once the call is awaited, each of them is
 * rewritten to read its target after the await.
 */
export function compoundsAround(site: Node): CompoundAssignment[] {
  const found: CompoundAssignment[] = [];
  let child = site;
  for (let node = site.getParent(); node && !isFunctionScope(node) && !Node.isPropertyDeclaration(node) && !Node.isSourceFile(node); node = node.getParent()) {
    if (Node.isBinaryExpression(node) && node.getRight() === child && ARITHMETIC.has(node.getOperatorToken().getText())) {
      const compound = describeCompound(node);
      if (compound) found.push(compound);
    }
    child = node;
  }
  return found;
}

/**
 * How the rewrite reads and writes the target. A name, `this.p` or `super.p`
 * can be read again without effects; any other object, and every key that is
 * not a literal, is evaluated once, in place and in order, into a parameter of
 * the rewrite's arrow (`o$`, `k$`).
 */
function describeCompound(binary: BinaryExpression): CompoundAssignment | undefined {
  const sourceFile = binary.getSourceFile();
  const target = unwrapExpression(binary.getLeft());
  const base = {
    start: binary.getStart(),
    end: binary.getEnd(),
    rightStart: binary.getRight().getStart(),
    operator: binary.getOperatorToken().getText().slice(0, -1),
    value: freshName(sourceFile, "v$"),
  };
  const captures: CompoundAssignment["captures"] = [];
  /** The object's text in the rewrite: itself for `this`/`super`, else a parameter holding it. */
  const objectOf = (object: Node): string => {
    if (Node.isThisExpression(object) || Node.isSuperExpression(object)) return object.getText();
    const name = freshName(sourceFile, "o$");
    captures.push({ start: object.getStart(), end: object.getEnd(), name });
    return name;
  };
  if (Node.isIdentifier(target)) return { ...base, access: target.getText(), captures };
  if (Node.isPropertyAccessExpression(target)) {
    const object = objectOf(target.getExpression());
    return { ...base, access: `${object}.${target.getNameNode().getText()}`, captures };
  }
  if (Node.isElementAccessExpression(target)) {
    const key = target.getArgumentExpression();
    if (!key) return undefined;
    const object = objectOf(target.getExpression());
    if (Node.isStringLiteral(key) || Node.isNumericLiteral(key) || Node.isNoSubstitutionTemplateLiteral(key)) {
      return { ...base, access: `${object}[${key.getText()}]`, captures };
    }
    const name = freshName(sourceFile, "k$");
    captures.push({ start: key.getStart(), end: key.getEnd(), name });
    return { ...base, access: `${object}[${name}]`, captures };
  }
  return undefined;
}
