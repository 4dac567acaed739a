// What one file of a generated program can name: its own declarations and
// what it imports (under an alias where the name is taken, or on purpose).
// Bodies and type annotations ask it for the local name of a function or a
// type; it records the import, and prints the import declarations last.
import type { FnDecl, Program, TypeDecl, TypeExpr } from "./model.ts";
import { isIdentifierName } from "./names.ts";

type Entity = { kind: "fn"; decl: FnDecl } | { kind: "type"; decl: TypeDecl };

interface Imported {
  exportName: string;
  local: string;
  /** Used as a value (a function, an enum's members): a value import; else `type`. */
  value: boolean;
}

export class FileScope {
  /** Names bound at the top level of this file: declarations and imports. */
  private readonly bound = new Set<string>();
  /** Imports by module specifier, then by export name. */
  private readonly imports = new Map<string, Map<string, Imported>>();

  constructor(
    readonly index: number,
    private readonly program: Pick<Program, "files" | "types" | "functions">,
    /** Import functions under another name even when theirs is free. */
    private readonly aliasFunctions: boolean,
    /** Every name of the program (functions, types, parameters): aliases avoid them all. */
    private readonly taken: ReadonlySet<string>,
  ) {
    for (const f of program.functions) if (f.file === index) this.bound.add(f.name);
    for (const t of program.types) if (t.file === index) this.bound.add(t.name);
  }

  /** The local name of a function, importing it if it lives elsewhere. */
  fn(decl: FnDecl): string {
    return this.local({ kind: "fn", decl }, true);
  }

  /** The name {@link fn} would give the function here, without importing it. */
  peekFn(decl: FnDecl): string {
    if (decl.file === this.index) return decl.name;
    const known = this.imports.get(this.program.files[decl.file]!.specifier)?.get(decl.name);
    return known ? known.local : this.aliasFor(decl.name, true);
  }

  /** The local name of a declared type; `value`: its members are read (an enum). */
  type(name: string, value = false): string {
    const decl = this.program.types.find((t) => t.name === name);
    if (!decl) throw new Error(`generator bug: no type ${name}`);
    return this.local({ kind: "type", decl }, value);
  }

  private local(entity: Entity, value: boolean): string {
    const { decl } = entity;
    if (decl.file === this.index) return decl.name;
    const specifier = this.program.files[decl.file]!.specifier;
    let byName = this.imports.get(specifier);
    if (!byName) this.imports.set(specifier, (byName = new Map()));
    const known = byName.get(decl.name);
    if (known) {
      known.value ||= value;
      return known.local;
    }
    const local = this.aliasFor(decl.name, entity.kind === "fn");
    this.bound.add(local);
    byName.set(decl.name, { exportName: decl.name, local, value });
    return local;
  }

  /** The name an import of `name` gets here: its own, else (taken, or aliasing functions on purpose) `name_<n>`. */
  private aliasFor(name: string, isFn: boolean): string {
    let local = name;
    if (this.bound.has(local) || (isFn && this.aliasFunctions)) {
      for (let n = 1; this.bound.has(local) || this.taken.has(local) || local === name; n++) local = `${name}_${n}`;
    }
    return local;
  }

  /** `import { f, g as g_1, type T } from "./x.js";` lines, sorted by specifier. */
  importLines(): string[] {
    return [...this.imports.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([specifier, byName]) => {
        const items = [...byName.values()].map((i) => `${i.value ? "" : "type "}${i.exportName === i.local ? i.exportName : `${i.exportName} as ${i.local}`}`);
        return `import { ${items.join(", ")} } from ${JSON.stringify(specifier)};`;
      });
  }
}

/** Names of globals a type or body refers to, as written where the program shadows them (`globalThis.Date`). */
export function globalRef(name: string, shadowed: ReadonlySet<string>): string | undefined {
  if (!shadowed.has(name)) return name;
  return shadowed.has("globalThis") ? undefined : `globalThis.${name}`;
}

/** A property key as written in a type or an object literal. */
export function printKey(key: string): string {
  return isIdentifierName(key) ? key : JSON.stringify(key);
}

/** Reading a property: `.key` or `["key"]`. */
export function accessKey(key: string): string {
  return isIdentifierName(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

export function printLiteral(v: string | number | boolean): string {
  return typeof v === "string" ? JSON.stringify(v) : String(v);
}

/** A type as written in file `scope`, with `Date` as `globalThis.Date` where the program has a type of that name. */
export function printType(t: TypeExpr, scope: FileScope, typeNames: ReadonlySet<string>): string {
  const p = (u: TypeExpr): string => printType(u, scope, typeNames);
  switch (t.k) {
    case "number":
    case "string":
    case "boolean":
    case "bigint":
      return t.k;
    case "date":
      return typeNames.has("Date") ? "globalThis.Date" : "Date";
    case "literals":
      return t.values.map(printLiteral).join(" | ");
    case "array": {
      const item = p(t.item);
      return (t.item.k === "literals" && t.item.values.length > 1) || item.startsWith("-") ? `(${item})[]` : `${item}[]`;
    }
    case "tuple":
      return `[${t.items.map(p).join(", ")}]`;
    case "object":
      return `{ ${t.props.map((q) => `${q.doc ? `${inlineDoc(q.doc)} ` : ""}${printKey(q.key)}${q.optional ? "?" : ""}: ${p(q.type)}`).join("; ")} }`;
    case "ref":
      return scope.type(t.name);
  }
}

/** A doc comment's text made safe inside `/** … *\/`: a `*\/` in it would end the comment. */
export function safeDoc(text: string): string {
  return text.replace(/\*\//g, "*\\/");
}

export function inlineDoc(text: string): string {
  return `/** ${safeDoc(text)} */`;
}

/** A JSDoc block, one ` * ` per line. */
export function docBlock(lines: readonly string[], indent = ""): string {
  const body = lines.flatMap((l) => safeDoc(l).split(/\r?\n/));
  return `${indent}/**\n${body.map((l) => `${indent} *${l ? ` ${l}` : ""}`).join("\n")}\n${indent} */\n`;
}
