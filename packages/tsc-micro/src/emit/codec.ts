import type { ComponentIR, TypeIR } from "../model/ir.js";
import { childTypes } from "../model/ir.js";

type Direction = "encode" | "decode";

const SPECIAL = new Set<TypeIR["kind"]>(["date", "bigint", "bytes", "url", "map", "set"]);
const HELPER: Record<string, [string, string]> = {
  date: ["encodeDate", "decodeDate"],
  bigint: ["encodeBigInt", "decodeBigInt"],
  bytes: ["encodeBytes", "decodeBytes"],
  url: ["encodeUrl", "decodeUrl"],
};

/**
 * Generates the code that turns values JSON has no type for into their wire
 * form and back (Date ↔ ISO string, bigint ↔ digits, Map ↔ pairs, …), so the
 * function and the caller see what the monolith would. Types with nothing to
 * convert get no code at all; components get one named function per
 * direction (`decode$Event`), which recursion reuses. The helpers live in
 * @tsc-micro/runtime/codec, imported as `$c`.
 */
export class CodecWriter {
  private readonly needs: ReadonlySet<string>;
  private readonly used = new Map<string, Direction>();

  constructor(private readonly components: Readonly<Record<string, ComponentIR>>) {
    this.needs = componentsNeedingCodec(components);
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
    switch (t.kind) {
      case "date":
      case "bigint":
      case "bytes":
      case "url":
        return `$c.${HELPER[t.kind]![dir === "encode" ? 0 : 1]}(${x})`;
      case "map":
        return `$c.${dir}Map(${x}, ${f(t.key)}, ${f(t.value)})`;
      case "set":
        return `$c.${dir}Set(${x}, ${f(t.items)})`;
      case "array":
        return `$c.mapArray(${x}, ${f(t.items)})`;
      case "tuple":
        return `$c.mapTuple(${x}, [${t.elements.map((e) => f(e.type)).join(", ")}], ${t.rest ? f(t.rest) : "null"})`;
      case "object": {
        const fields = t.properties.filter((p) => this.needsCodec(p.type)).map((p) => `${JSON.stringify(p.name)}: ${f(p.type)}`);
        // Keys not declared are the index signature's (or a pattern's: one value type for all, in practice).
        const rest = t.additional ?? t.patterns?.[0]?.type;
        return `$c.mapObject(${x}, { ${fields.join(", ")} }${rest && this.needsCodec(rest) ? `, ${f(rest)}` : ""})`;
      }
      case "ref":
        this.used.set(`${dir}$${t.name}`, dir);
        return `${dir}$${t.name}(${x})`;
      case "union":
        return this.union(t.members, t.discriminator?.property, dir, x);
      default:
        return undefined;
    }
  }

  /** The component functions the expressions so far call (and those they call), sorted. */
  declarations(): string {
    const done = new Set<string>();
    const out: string[] = [];
    for (let pending = [...this.used.keys()]; pending.length > 0; pending = [...this.used.keys()].filter((k) => !done.has(k))) {
      for (const key of pending.sort()) {
        done.add(key);
        const [dir, name] = key.split("$") as [Direction, string];
        const body = this.expr(this.components[name]!.type, dir, "v");
        out.push(`function ${key}(v) {\n  return ${body};\n}\n`);
      }
    }
    return out.sort().join("\n");
  }

  private fn(t: TypeIR, dir: Direction): string | undefined {
    if (t.kind === "ref" && this.needsCodec(t)) {
      this.used.set(`${dir}$${t.name}`, dir);
      return `${dir}$${t.name}`;
    }
    const body = this.expr(t, dir, "v");
    return body && `(v) => ${body}`;
  }

  /** Picks the member a value belongs to, by a test that works on the value (encode) or its JSON (decode). */
  private union(members: readonly TypeIR[], tag: string | undefined, dir: Direction, x: string): string {
    const branches = members
      .map((m) => ({ m, test: this.test(m, dir, x, tag), body: this.expr(m, dir, x) ?? x }))
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
      case "boolean":
        return `typeof ${x} === "${resolved.kind}"`;
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
        return `$c.looksLike(${x}, [${required.join(", ")}], ${known})`;
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
