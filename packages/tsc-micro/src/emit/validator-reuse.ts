/**
 * Reuses Ajv's standalone code for a service whose schemas equal an earlier
 * service's, byte for byte what Ajv would have written. Compiling is most of
 * emit's time, and services often share signatures (the same `Order` in, the
 * same `Receipt` out): only their `$id`s and export names differ, and the
 * numbers Ajv gives the names of its shared scope (`validate12`, `schema40`),
 * which count up over the whole build. So the first two modules of a kind are
 * compiled; if they differ exactly by those (each number moved by what Ajv
 * allocated in between), later ones are written from the second, with their
 * numbers moved on, and Ajv's counters are advanced as compiling would have.
 * Anything else that differs keeps that kind compiled every time.
 *
 * Relies on Ajv's name counters (`ajv.scope._names`, internal): without them,
 * or if they are not shaped as expected, every module is compiled.
 */

/** One schema of a module: Ajv's input without its `$id`, the `$id`, and the name exported for it. */
export interface ModuleSchema {
  id: string;
  exportName: string;
  /** The schema as given to Ajv, minus `$id` (which Ajv sees first). */
  body: object;
}

interface NameGroup {
  prefix: string;
  index: number;
}
type Counters = Record<string, number>;

/** A module's text cut at the places that change: literal text, an `$id`, an export, or a name Ajv numbered in this compilation. */
type Part = string | { id: number } | { exported: number } | NamePart;
/** A scope name: its prefix, its digits as written, and their value less the prefix's counter before compiling. */
interface NamePart {
  prefix: string;
  digits: string;
  offset: number;
}

interface Sample {
  text: string;
  ids: readonly string[];
  exportNames: readonly string[];
  before: Counters;
  after: Counters;
}

interface Template {
  parts: Part[];
  /** Names Ajv allocates per prefix when compiling a module of this kind. */
  allocated: Counters;
}

/** Two samples that would not make a template; after this many the kind is always compiled. */
const MAX_MISMATCHES = 3;

export class ValidatorReuse {
  private readonly kinds = new Map<string, { sample?: Sample; template?: Template; mismatches: number }>();
  /** Every `$id` written so far, compiled or reused: a module naming one again is not reused (Ajv reuses its function there). */
  private readonly seen = new Set<string>();
  /**
   * Reused modules by their `$id`s and export names: written again, one is the same text, as Ajv's
   * would be. (A module naming some of their `$id`s among others is compiled afresh, numbered
   * differently than without reuse; a build never has one, as route names are unique.)
   */
  private readonly written = new Map<string, string>();
  /** How many modules were written from a template (for tests and profiling). */
  reused = 0;

  constructor(private readonly names: Record<string, NameGroup | undefined> | undefined) {}

  /** Ajv's counters, if its scope has them as expected. */
  static countersOf(ajv: { scope: object }): Record<string, NameGroup | undefined> | undefined {
    const names = (ajv.scope as { _names?: unknown })._names;
    if (!names || typeof names !== "object") return undefined;
    const groups = Object.values(names as Record<string, unknown>);
    return groups.every((g) => !!g && typeof (g as NameGroup).index === "number" && typeof (g as NameGroup).prefix === "string")
      ? (names as Record<string, NameGroup | undefined>)
      : undefined;
  }

  /** The standalone code of these schemas: `compile()` (which adds them to Ajv and runs its standalone code), or the same from an earlier module of the kind. */
  code(schemas: readonly ModuleSchema[], compile: () => string): string {
    const ids = schemas.map((s) => s.id);
    const exportNames = schemas.map((s) => s.exportName);
    const again = this.written.get(JSON.stringify([ids, exportNames]));
    if (again !== undefined) return again;
    const known = ids.some((id) => this.seen.has(id));
    ids.forEach((id) => this.seen.add(id));
    if (!this.names || known) return compile();
    const key = contentKey(schemas.map((s) => s.body));
    const kind = this.kinds.get(key) ?? { mismatches: 0 };
    this.kinds.set(key, kind);
    if (kind.template) {
      this.reused++;
      const text = this.instantiate(kind.template, ids, exportNames);
      this.written.set(JSON.stringify([ids, exportNames]), text);
      return text;
    }
    const before = this.counters();
    const text = compile();
    const sample: Sample = { text, ids, exportNames, before, after: this.counters() };
    if (kind.mismatches < MAX_MISMATCHES) {
      const template = kind.sample && makeTemplate(kind.sample, sample);
      if (template) {
        kind.template = template;
        delete kind.sample;
      } else {
        if (kind.sample) kind.mismatches++;
        // Compared with the next module of the kind, unless this kind has disagreed too often.
        if (kind.mismatches < MAX_MISMATCHES) kind.sample = sample;
        else delete kind.sample;
      }
    }
    return text;
  }

  private counters(): Counters {
    return Object.fromEntries(Object.entries(this.names!).map(([prefix, group]) => [prefix, group!.index]));
  }

  private instantiate(template: Template, ids: readonly string[], exportNames: readonly string[]): string {
    const now = this.counters();
    const text = template.parts
      .map((p) =>
        typeof p === "string" ? p : "id" in p ? ajvString(ids[p.id]!) : "exported" in p ? exportStatement(exportNames[p.exported]!) : `${p.prefix}${(now[p.prefix] ?? 0) + p.offset}`,
      )
      .join("");
    for (const [prefix, n] of Object.entries(template.allocated)) (this.names![prefix] ??= { prefix, index: 0 }).index += n;
    return text;
  }
}

/**
 * A template from two modules of one kind, or undefined unless they differ
 * only where expected: `$id`s, export names, and names Ajv numbered while
 * compiling each (moved by the same offset from where its counter stood).
 */
function makeTemplate(a: Sample, b: Sample): Template | undefined {
  const prefixes = [...new Set([...Object.keys(a.after), ...Object.keys(b.after)])];
  const allocated: Counters = {};
  for (const p of prefixes) {
    const inA = (a.after[p] ?? 0) - (a.before[p] ?? 0);
    const inB = (b.after[p] ?? 0) - (b.before[p] ?? 0);
    if (inA !== inB) return undefined;
    if (inB > 0) allocated[p] = inB;
  }
  const partsA = cut(a, prefixes);
  const partsB = cut(b, prefixes);
  if (partsA.length !== partsB.length) return undefined;
  const parts: Part[] = [];
  for (let i = 0; i < partsB.length; i++) {
    const pa = partsA[i]!;
    const pb = partsB[i]!;
    if (typeof pb === "string" || "id" in pb || "exported" in pb) {
      if (JSON.stringify(pa) !== JSON.stringify(pb)) return undefined;
      parts.push(pb);
      continue;
    }
    if (typeof pa === "string" || !("prefix" in pa) || pa.prefix !== pb.prefix) return undefined;
    if (pa.digits === pb.digits) {
      // The same name in both: a value Ajv shares across compilations (`func0`), or text that only looks like a name.
      parts.push(`${pb.prefix}${pb.digits}`);
    } else if (pa.offset === pb.offset && pb.offset >= 0 && pb.offset < (allocated[pb.prefix] ?? 0) && canonical(pa.digits) && canonical(pb.digits)) {
      parts.push(pb);
    } else {
      return undefined;
    }
  }
  return { parts: merged(parts), allocated };
}

/** Splits a sample's text at its `$id`s, export statements and scope names (offsets from the counter before it compiled). */
function cut(s: Sample, prefixes: readonly string[]): Part[] {
  const ids = new Map(s.ids.map((id, i) => [ajvString(id), i]));
  const exported = new Map(s.exportNames.map((n, i) => [exportStatement(n), i]));
  const fixed = [...ids.keys(), ...exported.keys()].map(escapeRegExp).join("|") || "(?!)";
  const names = prefixes.map(escapeRegExp).join("|") || "(?!)";
  const pattern = new RegExp(`(${fixed})|\\b(${names})(\\d+)\\b`, "g");
  const parts: Part[] = [];
  let last = 0;
  for (const m of s.text.matchAll(pattern)) {
    parts.push(s.text.slice(last, m.index));
    if (m[1] !== undefined) parts.push(ids.has(m[1]) ? { id: ids.get(m[1])! } : { exported: exported.get(m[1])! });
    else parts.push({ prefix: m[2]!, digits: m[3]!, offset: Number(m[3]) - (s.before[m[2]!] ?? 0) });
    last = m.index + m[0].length;
  }
  parts.push(s.text.slice(last));
  return parts;
}

/** Digits as Ajv writes a counter: no leading zeros. */
function canonical(digits: string): boolean {
  return String(Number(digits)) === digits;
}

function merged(parts: readonly Part[]): Part[] {
  const out: Part[] = [];
  for (const p of parts) {
    if (typeof p === "string" && typeof out[out.length - 1] === "string") out[out.length - 1] += p;
    else out.push(p);
  }
  return out;
}

/** A string as Ajv writes it into code (its `safeStringify`): the `$id` in the schema constant and in `sourceURL`. */
function ajvString(s: string): string {
  return JSON.stringify(s).replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

/** How Ajv's standalone code (ESM) starts an export: `\nexport const <name> = validate12;`. */
function exportStatement(name: string): string {
  return `\nexport const ${name} = `;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A key equal for schemas Ajv sees as equal: JSON, with what JSON would blur (`undefined`, `-0`, `NaN`) spelled out. */
function contentKey(bodies: readonly object[]): string {
  return JSON.stringify(bodies, (_key, v: unknown) => {
    if (v === undefined) return "\u0000undefined";
    if (typeof v === "number" && (!Number.isFinite(v) || Object.is(v, -0))) return `\u0000number:${Object.is(v, -0) ? "-0" : String(v)}`;
    if (typeof v === "string" && v.startsWith("\u0000")) return `\u0000${v}`;
    return v;
  });
}
