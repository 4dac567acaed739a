import { Node, ts } from "ts-morph";
import type { Project, Symbol as MorphSymbol, Type } from "ts-morph";
import { DiagnosticCode, error } from "../diagnostics/diagnostic.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { locate } from "../ast/locate.js";
import { readConstraints } from "./constraints.js";
import type { DocTag } from "./constraints.js";
import { findDiscriminator } from "./discriminator.js";
import type { ComponentIR, PropertyIR, TupleElementIR, TypeIR } from "./ir.js";
import { specialKind, templatePattern } from "./library-types.js";
import { ambiguity } from "./ambiguity.js";
import { componentName, pascal, settledNames } from "./type-names.js";
import type { NameClaim } from "./type-names.js";
import { RESERVED_KEYS } from "@tsc-micro/runtime/codec";
import { TypeSites } from "./type-sites.js";
import { unsupportedReason } from "./unsupported-types.js";

/** A program type that becomes a component, and the name it asks for. */
interface NamedType {
  name: string;
  symbol: MorphSymbol;
  /** Its type arguments: none for a type under its declared name. */
  args: readonly Type[];
}

export interface ConverterOptions {
  /** Accept `any` and `unknown` as "any JSON value" instead of reporting them. Default false. */
  allowAny?: boolean;
}

/** Where a type is used: for messages (`order.items[].price`) and locations. */
interface Site {
  path: string;
  at: Node;
  owner: string;
  /** Name for a component made from an anonymous union member. */
  nameHint?: string;
}

/**
 * Converts checker types to the wire IR. One converter serves all functions of
 * a build, so a named type becomes one component whatever uses it. A problem
 * produces a diagnostic naming the type, the path to it and where it is used,
 * and converts to a placeholder, so every problem in the build is found in one pass.
 */
export class TypeConverter {
  /** Null-prototype: a program type may be named `__proto__` or `constructor`. */
  readonly components: Record<string, ComponentIR> = Object.create(null) as Record<string, ComponentIR>;
  readonly diagnostics: Diagnostic[] = [];
  private readonly names = new Map<ts.Type, string>();
  /** Names as first given; settleNames() makes them final (settledNames in type-names.ts). */
  private readonly claims: NameClaim[] = [];
  /** Every ref and discriminator mapping handed out, renamed in place when the names settle. */
  private readonly refs: { kind: "ref"; name: string }[] = [];
  private readonly mappings: Record<string, string>[] = [];
  private readonly inProgress = new Set<ts.Type>();
  private readonly reported = new Set<string>();
  private readonly checker: ts.TypeChecker;
  /** Where types are declared: the program or a library, and a machine-independent order (type-sites.ts). */
  private readonly sites: TypeSites;

  constructor(
    private readonly project: Project,
    private readonly rootDir: string,
    private readonly options: ConverterOptions = {},
  ) {
    this.checker = project.getTypeChecker().compilerObject;
    this.sites = new TypeSites(project.getProgram().compilerObject, this.checker, rootDir);
  }

  /** Converts `type` at `path`; `mayBeMissing` (optional properties, parameters) lets `undefined` mean "absent". */
  convert(type: Type, path: string, at: Node, owner: string, mayBeMissing = false): TypeIR {
    return this.type(type, { path, at, owner }, mayBeMissing);
  }

  /**
   * Gives every component its final name (see settledNames in type-names.ts),
   * renaming the refs handed out so far in place. Call once, after the last convert.
   */
  settleNames(): void {
    const final = settledNames(this.claims);
    if ([...final].every(([provisional, name]) => provisional === name)) return;
    for (const ref of this.refs) ref.name = final.get(ref.name)!;
    for (const mapping of this.mappings) for (const tag of Object.keys(mapping)) mapping[tag] = final.get(mapping[tag]!)!;
    for (const [type, name] of this.names) this.names.set(type, final.get(name)!);
    const entries = Object.entries(this.components);
    for (const [provisional] of entries) delete this.components[provisional];
    for (const [provisional, component] of entries) {
      component.name = final.get(provisional)!;
      this.components[component.name] = component;
    }
  }

  /** JSDoc constraints of a property or parameter, checked against its wire type. */
  constraints(tags: readonly DocTag[], type: TypeIR, path: string, at: Node, owner: string) {
    const { constraints, problems } = readConstraints(tags, type);
    for (const p of problems) this.report(`${p} (at '${path}' in '${owner}')`, at, "Fix or remove the JSDoc tag.", DiagnosticCode.InvalidConstraint);
    return constraints;
  }

  private type(type: Type, site: Site, mayBeMissing = false): TypeIR {
    if (mayBeMissing && type.isUnion() && type.getUnionTypes().some((t) => t.getFlags() & ts.TypeFlags.Undefined)) {
      // `Color | undefined` without null is `Color` once undefined is gone: the checker
      // interns unions, so this finds the alias again and the component keeps its name.
      if (!type.getUnionTypes().some((t) => t.isNull())) return this.type(type.getNonNullableType(), site);
      return this.union(type, site, true);
    }
    const flags = type.getFlags();
    if (flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown) && this.options.allowAny) return { kind: "any" };
    if (flags & ts.TypeFlags.String) return { kind: "string" };
    if (flags & ts.TypeFlags.Number) return { kind: "number" };
    if (flags & ts.TypeFlags.Boolean) return { kind: "boolean" };
    if (flags & ts.TypeFlags.Null) return { kind: "null" };
    if (flags & ts.TypeFlags.BigInt) return { kind: "bigint" };
    if (type.isStringLiteral() || type.isNumberLiteral()) return { kind: "literal", value: type.getLiteralValue() as string | number };
    if (flags & ts.TypeFlags.BooleanLiteral) return { kind: "literal", value: type.getText() === "true" };
    if (flags & ts.TypeFlags.BigIntLiteral) return { kind: "bigint" };
    if (flags & ts.TypeFlags.TemplateLiteral) {
      const pattern = templatePattern(type);
      return pattern ? { kind: "string", pattern, template: type.getText() } : this.unsupported(type, site, "is a template literal type with a placeholder that has no pattern", "Use string.");
    }
    if (flags & ts.TypeFlags.StringMapping) return { kind: "string" };
    const named = this.namedType(type);
    if (named) return this.component(named, type, site);
    return this.structure(type, site);
  }

  private structure(type: Type, site: Site): TypeIR {
    if (type.isUnion()) return this.union(type, site);
    if (type.isIntersection()) {
      // A branded primitive (`string & { __brand: "Id" }`) is the primitive on the wire.
      const primitive = type.getIntersectionTypes().find((t) => t.getFlags() & PRIMITIVE);
      if (primitive) return this.type(primitive, site);
    }
    if (type.isArray() || this.isNamed(type, "ReadonlyArray")) {
      const element = type.getArrayElementType() ?? type.getTypeArguments()[0]!;
      const items = this.type(element, { ...site, path: `${site.path}[]`, nameHint: undefined });
      // The checker's isArrayType covers ReadonlyArray too: tell them apart by the symbol.
      return type.getSymbol()?.getName() === "ReadonlyArray" ? { kind: "array", items, readonly: true } : { kind: "array", items };
    }
    if (type.isTuple()) return this.tuple(type, site);
    const special = this.special(type, site);
    if (special) return special;
    const unsupported = unsupportedReason(type, this.sites);
    if (unsupported) return this.unsupported(type, site, unsupported.what, unsupported.hint);
    if (type.isObject() || type.isIntersection()) return this.object(type, site);
    return this.unsupported(type, site, "is not supported", "Use JSON data types, Date, bigint, Map, Set, Uint8Array or URL.");
  }

  /** With `mayBeMissing` (optional properties and parameters), `undefined` members mean "absent". */
  private union(type: Type, site: Site, mayBeMissing = false): TypeIR {
    const all = type.getUnionTypes();
    const parts = this.sites.inStableOrder(all.filter((t) => !(t.getFlags() & (ts.TypeFlags.Undefined | ts.TypeFlags.Void))));
    if (parts.length < all.length && !mayBeMissing) {
      return this.unsupported(type, site, "includes undefined, which JSON cannot carry", "Make the property or parameter optional (`x?: T`) or use `T | null`.");
    }
    if (parts.length === 0) return this.unsupported(type, site, "is only undefined", "Leave the property out or use null.");
    // `boolean` is `true | false` to the checker; keep it one member.
    const isBool = (t: Type) => !!(t.getFlags() & ts.TypeFlags.BooleanLiteral);
    const bothBooleans = parts.filter(isBool).length === 2;
    const members: TypeIR[] = bothBooleans ? [{ kind: "boolean" }] : [];
    const nonBool = parts.filter((t) => !(bothBooleans && isBool(t)));
    const discriminator = findDiscriminator(nonBool, site.at);
    for (const t of nonBool) {
      const tag = discriminator?.tags.get(t);
      const memberSite = { ...site, nameHint: tag !== undefined && site.nameHint ? `${site.nameHint}_${pascal(String(tag))}` : undefined };
      members.push(memberSite.nameHint && !this.namedType(t) ? this.anonymousComponent(memberSite.nameHint, t, memberSite) : this.type(t, memberSite));
    }
    if (members.length === 1) return members[0]!;
    const clash = ambiguity(members);
    if (clash) this.report(`Type '${type.getText()}' at '${site.path}' in '${site.owner}' mixes ${clash} that look the same on the wire, so the receiver cannot tell which one was sent.`, site.at, "Wrap one of them in an object with a tag, e.g. { kind: \"date\"; value: Date }.", DiagnosticCode.AmbiguousUnion);
    if (!discriminator) return { kind: "union", members };
    const mapping: Record<string, string> = {};
    members.forEach((m, i) => {
      const tag = discriminator.tags.get(nonBool[i]!);
      // defineProperty: a tag "__proto__" is a key like any other.
      if (m.kind === "ref" && tag !== undefined) Object.defineProperty(mapping, String(tag), { value: m.name, enumerable: true, writable: true, configurable: true });
    });
    const complete = Object.keys(mapping).length === members.length;
    if (complete) this.mappings.push(mapping);
    const tags = nonBool.map((t) => discriminator.tags.get(t)!);
    return { kind: "union", members, discriminator: { property: discriminator.property, tags, mapping: complete ? mapping : {} } };
  }

  private tuple(type: Type, site: Site): TypeIR {
    const target = (type.compilerType as ts.TypeReference).target as ts.TupleType;
    const args = type.getTypeArguments();
    const labels = target.labeledElementDeclarations;
    const elements: TupleElementIR[] = [];
    let rest: TypeIR | undefined;
    args.forEach((arg, i) => {
      const flags = target.elementFlags[i]!;
      const name = labels?.[i]?.name.getText();
      const ir = this.type(arg, { ...site, path: `${site.path}[${i}]`, nameHint: undefined }, !!(flags & ts.ElementFlags.Optional));
      if (flags & (ts.ElementFlags.Rest | ts.ElementFlags.Variadic)) {
        if (rest || i !== args.length - 1) this.unsupported(type, site, "has a rest element that is not last", "Put the rest element last.");
        rest = ir;
      } else {
        elements.push({ type: ir, optional: !!(flags & ts.ElementFlags.Optional), ...(name ? { name } : {}) });
      }
    });
    const tuple: TypeIR = rest ? { kind: "tuple", elements, rest } : { kind: "tuple", elements };
    if (target.readonly) tuple.readonly = true;
    return tuple;
  }

  private object(type: Type, site: Site): TypeIR {
    const key = type.compilerType;
    if (this.inProgress.has(key)) {
      return this.unsupported(type, site, "is recursive without a name", "Declare it as a named interface or type alias so it can refer to itself.");
    }
    if (type.getCallSignatures().length > 0 || type.getConstructSignatures().length > 0) {
      return this.unsupported(type, site, "is a function, which cannot cross a process boundary", "Pass data instead, and call the function on the side that has it.");
    }
    this.inProgress.add(key);
    try {
      const properties: PropertyIR[] = [];
      for (const symbol of type.getProperties().sort((a, b) => order(a) - order(b))) {
        properties.push(this.property(symbol, site));
      }
      const result: TypeIR = { kind: "object", properties };
      for (const info of this.checker.getIndexInfosOfType(type.compilerType)) {
        const keyFlags = info.keyType.flags;
        const valueSite = { ...site, path: `${site.path}[key]`, nameHint: undefined };
        const value = this.type(this.wrap(info.type), valueSite, true);
        if (keyFlags & (ts.TypeFlags.String | ts.TypeFlags.Number)) {
          if (info.type.flags & ts.TypeFlags.Union && (info.type as ts.UnionType).types.some((t) => t.flags & ts.TypeFlags.Undefined)) result.additionalOrUndefined = true;
          // JSON keys are strings: a number index signature is an open object too.
          result.additional = result.additional ? { kind: "union", members: [result.additional, value] } : value;
        } else if (keyFlags & ts.TypeFlags.TemplateLiteral && templatePattern(info.keyType)) {
          (result.patterns ??= []).push({ pattern: templatePattern(info.keyType)!, keyType: this.checker.typeToString(info.keyType), type: value });
        } else {
          this.unsupported(type, site, `has an index signature keyed by '${this.checker.typeToString(info.keyType)}', which JSON keys cannot express`, "Key it by string or a template literal type.");
        }
      }
      return result;
    } finally {
      this.inProgress.delete(key);
    }
  }

  private property(symbol: MorphSymbol, site: Site): PropertyIR {
    const name = symbol.getName();
    const decl = symbol.getValueDeclaration() ?? symbol.getDeclarations()[0];
    const at = decl && !this.sites.isLibrary(decl) ? decl : site.at;
    const type = symbol.getTypeAtLocation(at);
    const optional = symbol.isOptional() || (type.isUnion() && type.getUnionTypes().some((t) => !!(t.getFlags() & ts.TypeFlags.Undefined)));
    const path = site.path ? `${site.path}.${name}` : name;
    if (isReservedKey(name)) {
      return { name, optional, type: this.unsupported(type, { ...site, path, at }, `is a property named '${name}', a key every service refuses (it could reach a prototype)`, "Rename the property.") };
    }
    if (symbol.getFlags() & ts.SymbolFlags.Method) {
      return { name, optional, type: this.unsupported(type, { ...site, path, at }, "is a method, which cannot cross a process boundary", "Send an interface of the data fields.") };
    }
    const ir: PropertyIR = { name, type: this.type(type, { path, at, owner: site.owner }, optional), optional };
    if (optional && !symbol.isOptional()) ir.orUndefined = true;
    if (decl && (Node.isPropertySignature(decl) || Node.isPropertyDeclaration(decl)) && decl.isReadonly()) ir.readonly = true;
    const description = ts.displayPartsToString(symbol.compilerSymbol.getDocumentationComment(this.checker)).trim();
    if (description) ir.description = description;
    const tags = symbol.compilerSymbol.getJsDocTags(this.checker).map((t) => ({ name: t.name, text: ts.displayPartsToString(t.text) }));
    const constraints = this.constraints(tags, ir.type, path, at, site.owner);
    if (constraints) ir.constraints = constraints;
    return ir;
  }

  /** Date, Uint8Array, URL, Map and Set: values JSON has no type for, with a wire form. */
  private special(type: Type, site: Site): TypeIR | undefined {
    const symbol = type.getSymbol();
    if (!symbol || !this.sites.isLibrarySymbol(symbol)) return undefined;
    const kind = specialKind(symbol.getName());
    const args = type.getTypeArguments();
    switch (kind) {
      case "date":
      case "bytes":
      case "url":
        return { kind };
      case "map":
        return {
          kind,
          ...(symbol.getName() === "ReadonlyMap" ? { readonly: true } : {}),
          key: this.type(args[0]!, { ...site, path: `${site.path}[key]`, nameHint: undefined }),
          value: this.type(args[1]!, { ...site, path: `${site.path}[value]`, nameHint: undefined }),
        };
      case "set":
        return { kind, items: this.type(args[0]!, { ...site, path: `${site.path}[]`, nameHint: undefined }), ...(symbol.getName() === "ReadonlySet" ? { readonly: true } : {}) };
      default:
        return undefined;
    }
  }

  /** Interfaces, type aliases and enums of the program become components; library types do not. */
  private namedType(type: Type): NamedType | undefined {
    const alias = type.getAliasSymbol();
    if (alias && this.sites.isProgramSymbol(alias)) return this.named(alias, type.getAliasTypeArguments());
    const symbol = type.getSymbol();
    if (!symbol || !this.sites.isProgramSymbol(symbol)) return undefined;
    const flags = symbol.getFlags();
    if (flags & ts.SymbolFlags.Interface && !(flags & ts.SymbolFlags.Class)) return this.named(symbol, type.getTypeArguments());
    if (flags & ts.SymbolFlags.Enum && type.isUnion()) return this.named(symbol, []);
    return undefined;
  }

  private named(symbol: MorphSymbol, args: readonly Type[]): NamedType {
    return { name: componentName(symbol.getName(), args), symbol, args };
  }

  private component(named: NamedType, type: Type, site: Site): TypeIR {
    const existing = this.names.get(type.compilerType);
    if (existing) return this.ref(existing);
    const decl = named.symbol.getDeclarations()[0];
    const args = named.args;
    const name = this.register({ base: named.name, declared: args.length === 0, site: [...this.sites.siteOf(named.symbol), ...args.flatMap((a) => this.sites.argumentSite(a))] }, type);
    const entry = this.components[name]!;
    // Members of a discriminated union are named after the name asked for, not the provisional one.
    entry.type = this.structure(type, { ...site, at: decl && !this.sites.isLibrary(decl) ? decl : site.at, nameHint: named.name });
    const description = ts.displayPartsToString(named.symbol.compilerSymbol.getDocumentationComment(this.checker)).trim();
    if (description) entry.description = description;
    return this.ref(name);
  }

  /** An anonymous member of a named discriminated union, given a name so the discriminator can map to it. */
  private anonymousComponent(name: string, type: Type, site: Site): TypeIR {
    const existing = this.names.get(type.compilerType);
    if (existing) return this.ref(existing);
    const symbol = type.getSymbol();
    const registered = this.register({ base: name, declared: false, site: symbol ? this.sites.siteOf(symbol) : [] }, type);
    this.components[registered]!.type = this.structure(type, { ...site, nameHint: undefined });
    return this.ref(registered);
  }

  /** A ref, kept so settleNames() can rename it. */
  private ref(name: string): TypeIR {
    const ref = { kind: "ref" as const, name };
    this.refs.push(ref);
    return ref;
  }

  /**
   * A provisional name: unique among those given so far. Clashes (two `User`s,
   * `Page<User>` beside a declared `Page_User`) are settled by settleNames().
   */
  private register(claim: Omit<NameClaim, "provisional">, type: Type): string {
    let name = claim.base;
    for (let i = 2; this.components[name]; i++) name = `${claim.base}_${i}`;
    this.names.set(type.compilerType, name);
    this.claims.push({ ...claim, provisional: name });
    // A placeholder first, so recursive references find the name.
    this.components[name] = { name, type: { kind: "null" } };
    return name;
  }

  /** A parameter whose name no request may carry. */
  reservedParameter(name: string, at: Node, owner: string): void {
    this.report(`Parameter '${name}' of '${owner}' has a name every service refuses as a key (it could reach a prototype).`, at, "Rename the parameter.", DiagnosticCode.UnsupportedType);
  }

  private unsupported(type: Type, site: Site, what: string, hint: string): TypeIR {
    const text = type.getText(undefined, ts.TypeFormatFlags.UseAliasDefinedOutsideCurrentScope | ts.TypeFormatFlags.NoTruncation);
    this.report(`Type '${text}' at '${site.path}' in '${site.owner}' ${what}.`, site.at, hint, DiagnosticCode.UnsupportedType);
    return { kind: "null" };
  }

  private report(message: string, at: Node, hint: string, code: DiagnosticCode): void {
    const loc = locate(this.rootDir, at);
    const key = `${loc.file}:${loc.start}:${message}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.diagnostics.push(error(code, message, loc, hint));
  }

  /** ts-morph's wrapper for a compiler type (ts-morph has no public factory for it). */
  private wrap(type: ts.Type): Type {
    return (this.project as unknown as { _context: { compilerFactory: { getType(t: ts.Type): Type } } })._context.compilerFactory.getType(type);
  }

  private isNamed(type: Type, name: string): boolean {
    return type.getSymbol()?.getName() === name && type.getTypeArguments().length === 1;
  }

}

const PRIMITIVE = ts.TypeFlags.StringLike | ts.TypeFlags.NumberLike | ts.TypeFlags.BooleanLike | ts.TypeFlags.BigIntLike;

/** Declaration order, so schemas list properties as the source does. */
function order(symbol: MorphSymbol): number {
  return symbol.getDeclarations()[0]?.getStart() ?? 0;
}

/** The keys a request may never hold (see @tsc-micro/runtime/codec's RESERVED_KEYS). */
export function isReservedKey(name: string): boolean {
  return (RESERVED_KEYS as readonly string[]).includes(name);
}
