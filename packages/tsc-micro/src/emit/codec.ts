import type { ComponentIR, TypeIR } from "../model/ir.js";
import { childTypes } from "../model/ir.js";
import { identifierHint } from "./names.js";
import type { NameScope } from "./names.js";
import { boxesNumbers } from "./number-schema.js";
import type { CodecHelper } from "./runtime-api.js";

type Direction = "encode" | "decode";

// `number` too: NaN, ±Infinity and -0 have no JSON form of their own (see the runtime's NUMBER_WORDS).
const SPECIAL = new Set<TypeIR["kind"]>(["number", "date", "bigint", "bytes", "url", "map", "set"]);
const HELPER = {
  number: ["encodeNumber", "decodeNumber"],
  date: ["encodeDate", "decodeDate"],
  bigint: ["encodeBigInt", "decodeBigInt"],
  bytes: ["encodeBytes", "decodeBytes"],
  url: ["encodeUrl", "decodeUrl"],
} as const satisfies Record<string, readonly [CodecHelper, CodecHelper]>;

/**
 * Generates the code that turns values JSON has no type for into their wire
 * form and back (Date ↔ ISO string, bigint ↔ digits, Map ↔ pairs, …), so the
 * function and the caller see what the monolith would. Types with nothing to
 * convert get no code at all; components get one named function per
 * direction (`decode$Event`), which recursion reuses. The helpers live in
 * @tsc-micro/runtime/codec, imported as a namespace. Every identifier comes
 * from the module's {@link NameScope}: reserve the user's names in it first.
 */
export class CodecWriter {
  private readonly needs: ReadonlySet<string>;
  /** Component functions by component name and direction: structured keys, never a string split apart again. */
  private readonly functions = new Map<string, { encode?: string; decode?: string }>();
  /** The namespace the runtime's codec helpers are imported as (`$c` unless the user has that name). */
  readonly namespace: string;
  /** The parameter name of generated lambdas and component functions. */
  private readonly param: string;
  private namespaceUsed = false;

  constructor(
    private readonly components: Readonly<Record<string, ComponentIR>>,
    private readonly scope: NameScope,
  ) {
    this.needs = componentsNeedingCodec(components);
    this.namespace = scope.allocate("$c");
    this.param = scope.allocate("v");
  }

  /** The import the module needs, or "" when no helper was used. */
  importLine(): string {
    return this.namespaceUsed ? `import * as ${this.namespace} from "@tsc-micro/runtime/codec";\n` : "";
  }

  /** `(v) => <decode v>` for a result, or undefined when nothing changes. */
  lambda(t: TypeIR, dir: Direction): string | undefined {
    const body = this.expr(t, dir, this.param);
    return body && `(${this.param}) => ${body}`;
  }

  /** Whether values of this type need converting at all. */
  needsCodec(t: TypeIR): boolean {
    if (SPECIAL.has(t.kind)) return true;
    if (t.kind === "ref") return this.needs.has(t.name);
    return childTypes(t).some((c) => this.needsCodec(c));
  }

  /** An expression converting the value in variable `x`, or undefined when nothing changes. */
  expr(t: TypeIR, dir: Direction, x: string): string | undefined {
    if (!this.needsCodec(t)) return undefined;
    const f = (c: TypeIR) => this.fn(c, dir) ?? "null";
    const c = (helper: CodecHelper) => this.helper(helper);
    switch (t.kind) {
      case "number":
      case "date":
      case "bigint":
      case "bytes":
      case "url":
        return `${c(HELPER[t.kind][dir === "encode" ? 0 : 1])}(${x})`;
      case "map":
        return `${c(dir === "encode" ? "encodeMap" : "decodeMap")}(${x}, ${f(t.key)}, ${f(t.value)})`;
      case "set":
        return `${c(dir === "encode" ? "encodeSet" : "decodeSet")}(${x}, ${f(t.items)})`;
      case "array":
        return `${c("mapArray")}(${x}, ${f(t.items)})`;
      case "tuple":
        return `${c("mapTuple")}(${x}, [${t.elements.map((e) => f(e.type)).join(", ")}], ${t.rest ? f(t.rest) : "null"})`;
      case "object": {
        const fields = t.properties.filter((p) => this.needsCodec(p.type)).map((p) => `${JSON.stringify(p.name)}: ${f(p.type)}`);
        // Keys not declared are the index signature's (or a pattern's: one value type for all, in practice).
        const rest = t.additional ?? t.patterns?.[0]?.type;
        return `${c("mapObject")}(${x}, { ${fields.join(", ")} }${rest && this.needsCodec(rest) ? `, ${f(rest)}` : ""})`;
      }
      case "ref":
        return `${this.componentFunction(t.name, dir)}(${x})`;
      case "union":
        return this.union(t.members, t.discriminator?.property, dir, x);
      default:
        return undefined;
    }
  }

  /** The component functions the expressions so far call (and those they call), sorted by name. */
  declarations(): string {
    const written = new Set<string>();
    const out: { name: string; text: string }[] = [];
    // Writing one function can call for others (nested and recursive types): repeat until none is new.
    for (let more = true; more; ) {
      more = false;
      for (const [component, names] of [...this.functions]) {
        for (const dir of ["decode", "encode"] as const) {
          const name = names[dir];
          if (name === undefined || written.has(name)) continue;
          written.add(name);
          more = true;
          const body = this.expr(this.components[component]!.type, dir, this.param);
          out.push({ name, text: `function ${name}(${this.param}) {\n  return ${body};\n}\n` });
        }
      }
    }
    return out
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((d) => d.text)
      .join("\n");
  }

  /** `ns.helper`, noting that the module needs the import. */
  private helper(name: CodecHelper): string {
    this.namespaceUsed = true;
    return `${this.namespace}.${name}`;
  }

  /** The name of a component's codec function in one direction, allocated on first use. */
  private componentFunction(component: string, dir: Direction): string {
    let names = this.functions.get(component);
    if (!names) this.functions.set(component, (names = {}));
    return (names[dir] ??= this.scope.allocate(`${dir}$${identifierHint(component)}`));
  }

  private fn(t: TypeIR, dir: Direction): string | undefined {
    if (t.kind === "ref" && this.needsCodec(t)) return this.componentFunction(t.name, dir);
    // A leaf's helper takes the value alone: pass it as it is, no wrapping lambda.
    if (t.kind in HELPER) return this.helper(HELPER[t.kind as keyof typeof HELPER][dir === "encode" ? 0 : 1]);
    const body = this.expr(t, dir, this.param);
    return body && `(${this.param}) => ${body}`;
  }

  /** Picks the member a value belongs to, by a test that works on the value (encode) or its JSON (decode). */
  private union(members: readonly TypeIR[], tag: string | undefined, dir: Direction, x: string): string {
    // Where a string could be read as one of the number words, special numbers cross boxed: `{ "$number": "NaN" }`.
    const boxed = boxesNumbers(members);
    const branches = members
      .map((m) =>
        boxed && m.kind === "number"
          ? {
              m,
              test: dir === "decode" ? `${this.helper("isNumberBoxedWire")}(${x})` : `typeof ${x} === "number"`,
              body: `${this.helper(dir === "encode" ? "encodeNumberBoxed" : "decodeNumberBoxed")}(${x})`,
            }
          : { m, test: this.test(m, dir, x, tag), body: this.expr(m, dir, x) ?? x },
      )
      .sort((a, b) => rank(a.m, this.components) - rank(b.m, this.components));
    return `(${branches.map((b) => `${b.test} ? ${b.body} : `).join("")}${x})`;
  }

  private test(t: TypeIR, dir: Direction, x: string, tag?: string): string {
    const resolved = t.kind === "ref" ? this.components[t.name]!.type : t;
    if (tag && resolved.kind === "object") {
      const p = resolved.properties.find((q) => q.name === tag);
      if (p?.type.kind === "literal") return `${x}?.[${JSON.stringify(tag)}] === ${JSON.stringify(p.type.value)}`;
    }
    const wire = dir === "decode";
    switch (resolved.kind) {
      case "null":
        return `${x} === null`;
      case "literal":
        return `${x} === ${JSON.stringify(resolved.value)}`;
      case "string":
        return `typeof ${x} === "string"`;
      case "number":
        return wire ? `${this.helper("isNumberWire")}(${x})` : `typeof ${x} === "number"`;
      case "boolean":
        return `typeof ${x} === "boolean"`;
      case "date":
        return wire ? `typeof ${x} === "string"` : `${x} instanceof Date`;
      case "bigint":
        return wire ? `typeof ${x} === "string"` : `typeof ${x} === "bigint"`;
      case "bytes":
        return wire ? `typeof ${x} === "string"` : `${x} instanceof Uint8Array`;
      case "url":
        return wire ? `typeof ${x} === "string"` : `${x} instanceof URL`;
      case "map":
        return wire ? `Array.isArray(${x})` : `${x} instanceof Map`;
      case "set":
        return wire ? `Array.isArray(${x})` : `${x} instanceof Set`;
      case "array":
      case "tuple":
        return `Array.isArray(${x})`;
      case "object": {
        const required = resolved.properties.filter((p) => !p.optional).map((p) => JSON.stringify(p.name));
        const known = resolved.additional || resolved.patterns?.length ? "null" : `[${resolved.properties.map((p) => JSON.stringify(p.name)).join(", ")}]`;
        return `${this.helper("looksLike")}(${x}, [${required.join(", ")}], ${known})`;
      }
      case "union":
        return `(${resolved.members.map((m) => this.test(m, dir, x)).join(" || ")})`;
      default:
        return "true";
    }
  }
}

/** Specific tests first (null, instances, primitives), open-ended ones (objects, any) last. */
function rank(t: TypeIR, components: Readonly<Record<string, ComponentIR>>): number {
  const r = t.kind === "ref" ? components[t.name]!.type : t;
  if (r.kind === "null" || r.kind === "literal") return 0;
  if (SPECIAL.has(r.kind)) return 1;
  if (r.kind === "string" || r.kind === "number" || r.kind === "boolean") return 2;
  if (r.kind === "array" || r.kind === "tuple") return 3;
  if (r.kind === "object") return 4;
  return 5;
}

/** Components whose values need converting, found by iterating to a fixed point (types may be mutually recursive). */
function componentsNeedingCodec(components: Readonly<Record<string, ComponentIR>>): Set<string> {
  const needs = new Set<string>();
  const direct = (t: TypeIR): boolean => SPECIAL.has(t.kind) || (t.kind === "ref" ? needs.has(t.name) : childTypes(t).some(direct));
  for (let changed = true; changed; ) {
    changed = false;
    for (const [name, c] of Object.entries(components)) {
      if (!needs.has(name) && direct(c.type)) {
        needs.add(name);
        changed = true;
      }
    }
  }
  return needs;
}
