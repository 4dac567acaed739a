import { ts } from "ts-morph";
import type { Node, Project, Symbol as MorphSymbol, Type } from "ts-morph";
import { DiagnosticCode, error } from "../diagnostics/diagnostic.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { locate } from "../ast/locate.js";
import type { ComponentIR, PropertyIR, TypeIR } from "./ir.js";

/**
 * Converts checker types to the wire IR. One converter is shared by all
 * functions of a build so that a named type becomes one component, whatever
 * uses it. Unsupported types produce a diagnostic naming the type, the path
 * to it (`order.items[].price`) and where it is used, and convert to a
 * placeholder so that every problem in the build is found in one pass.
 */
export class TypeConverter {
  readonly components: Record<string, ComponentIR> = {};
  readonly diagnostics: Diagnostic[] = [];
  /** Component name given to each named type, by checker type identity. */
  private readonly names = new Map<ts.Type, string>();
  /** Anonymous object types being converted, to catch unnamed recursion. */
  private readonly inProgress = new Set<ts.Type>();
  /** Problems already reported, so a component used twice reports once. */
  private readonly reported = new Set<string>();

  constructor(
    private readonly project: Project,
    private readonly rootDir: string,
  ) {}

  /**
   * Converts `type`, reached at `path` (for messages) and written at `at`
   * (for locations). `owner` names the function for messages.
   */
  convert(type: Type, path: string, at: Node, owner: string, mayBeMissing = false): TypeIR {
    if (mayBeMissing && type.isUnion()) return this.union(type, path, at, owner, true);
    const flags = type.getFlags();
    if (flags & ts.TypeFlags.String) return { kind: "string" };
    if (flags & ts.TypeFlags.Number) return { kind: "number" };
    if (flags & ts.TypeFlags.Boolean) return { kind: "boolean" };
    if (flags & ts.TypeFlags.Null) return { kind: "null" };
    if (type.isStringLiteral() || type.isNumberLiteral()) return { kind: "literal", value: type.getLiteralValue() as string | number };
    if (flags & ts.TypeFlags.BooleanLiteral) return { kind: "literal", value: type.getText() === "true" };
    const named = this.namedType(type);
    if (named) return this.component(named, type, path, at, owner);
    return this.structure(type, path, at, owner);
  }

  private structure(type: Type, path: string, at: Node, owner: string): TypeIR {
    if (type.isUnion()) return this.union(type, path, at, owner);
    if (type.isArray() || this.isReadonlyArray(type)) {
      const element = type.getArrayElementType() ?? type.getTypeArguments()[0];
      if (element) return { kind: "array", items: this.convert(element, `${path}[]`, at, owner) };
    }
    const unsupported = this.unsupportedReason(type);
    if (unsupported) return this.unsupported(type, path, at, owner, unsupported.what, unsupported.hint);
    if (type.isObject() || type.isIntersection()) return this.object(type, path, at, owner);
    return this.unsupported(type, path, at, owner, "is not supported", "Use string, number, boolean, null, literals, arrays or object types.");
  }

  /** With `mayBeMissing` (optional properties and parameters), `undefined` members mean "absent". */
  private union(type: Type, path: string, at: Node, owner: string, mayBeMissing = false): TypeIR {
    const parts = type.getUnionTypes().filter((t) => !(t.getFlags() & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)));
    if (parts.length < type.getUnionTypes().length && !mayBeMissing) {
      return this.unsupported(type, path, at, owner, "includes undefined, which JSON cannot carry", "Make the property or parameter optional (`x?: T`) or use `T | null`.");
    }
    // `boolean` is `true | false` to the checker; keep it one member.
    const hasTrue = parts.some((t) => t.getFlags() & ts.TypeFlags.BooleanLiteral && t.getText() === "true");
    const hasFalse = parts.some((t) => t.getFlags() & ts.TypeFlags.BooleanLiteral && t.getText() === "false");
    const members: TypeIR[] = [];
    if (hasTrue && hasFalse) members.push({ kind: "boolean" });
    for (const t of parts) {
      if (hasTrue && hasFalse && t.getFlags() & ts.TypeFlags.BooleanLiteral) continue;
      members.push(this.convert(t, path, at, owner));
    }
    return members.length === 1 ? members[0]! : { kind: "union", members };
  }

  private object(type: Type, path: string, at: Node, owner: string): TypeIR {
    const key = type.compilerType;
    if (this.inProgress.has(key)) {
      return this.unsupported(type, path, at, owner, "is recursive without a name", "Declare it as a named interface or type alias so it can refer to itself.");
    }
    if (type.getCallSignatures().length > 0 || type.getConstructSignatures().length > 0) {
      return this.unsupported(type, path, at, owner, "is a function, which cannot cross a process boundary", "Pass data instead, and call the function on the side that has it.");
    }
    if (type.getStringIndexType() || type.getNumberIndexType()) {
      return this.unsupported(type, path, at, owner, "has an index signature, which is not supported yet", "Use an array of entries or an object type with known properties.");
    }
    this.inProgress.add(key);
    try {
      const properties: PropertyIR[] = [];
      for (const symbol of type.getProperties().sort((a, b) => order(a) - order(b))) {
        properties.push(this.property(symbol, path, at, owner));
      }
      return { kind: "object", properties };
    } finally {
      this.inProgress.delete(key);
    }
  }

  private property(symbol: MorphSymbol, path: string, at: Node, owner: string): PropertyIR {
    const name = symbol.getName();
    const decl = symbol.getValueDeclaration() ?? symbol.getDeclarations()[0];
    const where = decl && this.isProjectNode(decl) ? decl : at;
    const type = symbol.getTypeAtLocation(where);
    // JSON has no undefined: `p?: T` and `p: T | undefined` both mean "may be missing".
    const optional = symbol.isOptional() || (type.isUnion() && type.getUnionTypes().some((t) => t.getFlags() & ts.TypeFlags.Undefined) === true);
    const propPath = path ? `${path}.${name}` : name;
    const ir: PropertyIR = { name, type: this.convert(type, propPath, where, owner, optional), optional };
    const description = ts.displayPartsToString(symbol.compilerSymbol.getDocumentationComment(this.project.getTypeChecker().compilerObject)).trim();
    if (description) ir.description = description;
    return ir;
  }

  /** Interfaces and type aliases (of non-primitive types) become components. */
  private namedType(type: Type): { name: string; symbol: MorphSymbol } | undefined {
    const alias = type.getAliasSymbol();
    if (alias && this.isProjectSymbol(alias)) {
      const args = type.getAliasTypeArguments();
      return { name: componentName(alias.getName(), args), symbol: alias };
    }
    const symbol = type.getSymbol();
    if (symbol && type.isInterface() && this.isProjectSymbol(symbol)) {
      return { name: componentName(symbol.getName(), type.getTypeArguments()), symbol };
    }
    return undefined;
  }

  private component(named: { name: string; symbol: MorphSymbol }, type: Type, path: string, at: Node, owner: string): TypeIR {
    const existing = this.names.get(type.compilerType);
    if (existing) return { kind: "ref", name: existing };
    let name = named.name;
    for (let i = 2; this.components[name]; i++) name = `${named.name}_${i}`;
    this.names.set(type.compilerType, name);
    const entry: ComponentIR = { name, type: { kind: "null" } };
    this.components[name] = entry;
    const decl = named.symbol.getDeclarations()[0];
    entry.type = this.structure(type, path, decl && this.isProjectNode(decl) ? decl : at, owner);
    const description = ts.displayPartsToString(named.symbol.compilerSymbol.getDocumentationComment(this.project.getTypeChecker().compilerObject)).trim();
    if (description) entry.description = description;
    return { kind: "ref", name };
  }

  private unsupportedReason(type: Type): { what: string; hint: string } | undefined {
    const flags = type.getFlags();
    if (flags & ts.TypeFlags.Any) return { what: "is 'any', which has no schema", hint: "Give it a concrete type." };
    if (flags & ts.TypeFlags.Unknown) return { what: "is 'unknown', which has no schema", hint: "Give it a concrete type." };
    if (flags & ts.TypeFlags.Never) return { what: "is 'never'", hint: "Give it a type that a value can have." };
    if (flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)) return { what: "is undefined, which JSON cannot carry", hint: "Make it optional or use null." };
    if (flags & (ts.TypeFlags.BigInt | ts.TypeFlags.BigIntLiteral)) return { what: "is a bigint, which JSON cannot carry yet", hint: "Send it as a string of digits." };
    if (flags & (ts.TypeFlags.ESSymbol | ts.TypeFlags.UniqueESSymbol)) return { what: "is a symbol, which cannot cross a process boundary", hint: "Use a string." };
    if (flags & ts.TypeFlags.TypeParameter) return { what: "is an unresolved generic type parameter", hint: "Use a concrete type in the service function's signature." };
    if (flags & ts.TypeFlags.TemplateLiteral) return { what: "is a template literal type, not supported yet", hint: "Use string." };
    if (flags & ts.TypeFlags.Enum || flags & ts.TypeFlags.EnumLiteral) return undefined;
    if (type.isTuple()) return { what: "is a tuple, not supported yet", hint: "Use an array or an object type." };
    const symbol = type.getSymbol();
    if (symbol && this.isLibrarySymbol(symbol)) {
      return { what: `is the built-in '${symbol.getName()}', which JSON cannot carry yet`, hint: hintFor(symbol.getName()) };
    }
    if (symbol && symbol.getFlags() & ts.SymbolFlags.Class) {
      return { what: "is a class instance; its methods and prototype would not survive the wire", hint: "Use an interface of its data fields." };
    }
    return undefined;
  }

  private unsupported(type: Type, path: string, at: Node, owner: string, what: string, hint: string): TypeIR {
    const text = type.getText(undefined, ts.TypeFormatFlags.UseAliasDefinedOutsideCurrentScope);
    const loc = locate(this.rootDir, at);
    const key = `${loc.file}:${loc.start}:${path}:${text}`;
    if (!this.reported.has(key)) {
      this.reported.add(key);
      this.diagnostics.push(
        error(DiagnosticCode.UnsupportedType, `Type '${text}' at '${path}' in '${owner}' ${what}.`, loc, hint),
      );
    }
    return { kind: "null" };
  }

  private isReadonlyArray(type: Type): boolean {
    return type.getSymbol()?.getName() === "ReadonlyArray" && type.getTypeArguments().length === 1;
  }

  private isProjectNode(node: Node): boolean {
    return !this.isLibraryFile(node);
  }

  private isProjectSymbol(symbol: MorphSymbol): boolean {
    const decl = symbol.getDeclarations()[0];
    return !!decl && !this.isLibraryFile(decl);
  }

  private isLibrarySymbol(symbol: MorphSymbol): boolean {
    const decl = symbol.getDeclarations()[0];
    return !!decl && this.isLibraryFile(decl);
  }

  private isLibraryFile(node: Node): boolean {
    const program = this.project.getProgram().compilerObject;
    const sf = program.getSourceFile(node.getSourceFile().getFilePath());
    return !!sf && program.isSourceFileDefaultLibrary(sf);
  }
}

/** Declaration order, so schemas list properties as the source does. */
function order(symbol: MorphSymbol): number {
  return symbol.getDeclarations()[0]?.getStart() ?? 0;
}

function componentName(base: string, args: readonly Type[]): string {
  if (args.length === 0) return base;
  const parts = args.map((a) => (a.getAliasSymbol() ?? a.getSymbol())?.getName() ?? a.getText().replace(/[^A-Za-z0-9]+/g, ""));
  return [base, ...parts].join("_");
}

function hintFor(name: string): string {
  switch (name) {
    case "Date":
      return "Send an ISO string (date.toISOString()) or epoch milliseconds.";
    case "Map":
      return "Send an array of [key, value] entries or a plain object.";
    case "Set":
      return "Send an array.";
    case "Promise":
      return "Await it first: only a function's result may be a Promise.";
    default:
      return "Convert it to plain JSON data (strings, numbers, booleans, arrays, objects).";
  }
}

