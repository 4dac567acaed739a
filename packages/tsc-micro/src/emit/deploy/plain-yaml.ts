import { Document } from "yaml";

/**
 * The body of a YAML document for plain data (objects, arrays, strings,
 * numbers, booleans, null), exactly as the `yaml` package writes it with the
 * options of yaml.ts, but without building its document tree: that took most
 * of emit's time for the per-service deployment files. The package still
 * decides every scalar (quoting is where YAML 1.1 is subtle), once per
 * distinct value; this only lays out the block collections, which follow
 * fixed rules (two-space indent, sequences indented under their key, empty
 * ones as `{}` / `[]`). Anything it does not cover (multi-line strings, keys
 * the package would write specially, one object in two places, which the
 * package writes as an alias) is `undefined`: the caller lets the package
 * write that document.
 */
export class PlainYaml {
  private readonly values = new Map<string, string | null>();
  private readonly keys = new Map<string, string | null>();

  private readonly doc: Document;

  constructor(private readonly options: { version: "1.1" | "1.2"; lineWidth: number }) {
    this.doc = new Document(null, { version: options.version });
  }

  /** The document's body (with its final newline), or undefined when the package must write it. */
  body(value: unknown): string | undefined {
    if (!isPlainObject(value) || Object.keys(value).length === 0) return undefined;
    const out: string[] = [];
    return this.map(value, "", out, new Set()) ? `${out.join("\n")}\n` : undefined;
  }

  // A collection's lines go to `out`, each indented by `indent`; false when something is not covered.
  private map(value: Record<string, unknown>, indent: string, out: string[], seen: Set<object>): boolean {
    if (seen.has(value)) return false;
    seen.add(value);
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) return false;
      const key = this.key(k);
      if (key === null) return false;
      if (!this.item(`${indent}${key}:`, v, indent, out, seen)) return false;
    }
    return true;
  }

  private seq(value: readonly unknown[], indent: string, out: string[], seen: Set<object>): boolean {
    if (seen.has(value)) return false;
    seen.add(value);
    for (const v of value) {
      // A collection in a sequence starts on the `- ` line: its first line is laid out at the deeper indent, then joined.
      if (isCollection(v) && !isEmpty(v)) {
        const inner: string[] = [];
        const nested = `${indent}  `;
        if (!(Array.isArray(v) ? this.seq(v, nested, inner, seen) : this.map(v as Record<string, unknown>, nested, inner, seen))) return false;
        out.push(`${indent}- ${inner[0]!.slice(nested.length)}`, ...inner.slice(1));
      } else if (!this.item(`${indent}-`, v, indent, out, seen)) {
        return false;
      }
    }
    return true;
  }

  /** `head` (`key:` or `-`) and its value: on the same line if a scalar or empty, else below it. */
  private item(head: string, v: unknown, indent: string, out: string[], seen: Set<object>): boolean {
    if (Array.isArray(v)) {
      if (v.length === 0) return out.push(`${head} []`), true;
      out.push(head);
      // Sequences are indented under their key (the package's `indentSeq`), as maps are.
      return this.seq(v, `${indent}  `, out, seen);
    }
    if (isPlainObject(v)) {
      if (Object.keys(v).length === 0) return out.push(`${head} {}`), true;
      out.push(head);
      return this.map(v, `${indent}  `, out, seen);
    }
    const scalar = this.scalar(v);
    if (scalar === null) return false;
    out.push(`${head} ${scalar}`);
    return true;
  }

  /** A value as the package writes it after `key: `, or null when that is not one line (or not a plain scalar). */
  private scalar(v: unknown): string | null {
    if (!(v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean")) return null;
    // Strings by themselves; other values by type and spelling (`-0` kept apart from `0`).
    const id = typeof v === "string" ? `s${v}` : `${typeof v}:${Object.is(v, -0) ? "-0" : String(v)}`;
    let text = this.values.get(id);
    if (text === undefined) {
      bound(this.values);
      // Lines that start a document marker ("---", "...", "%") read differently at the top level; multi-line values are block scalars.
      const risky = typeof v === "string" && (/[\n\r]/.test(v) || /^(%|---|\.\.\.)/m.test(v));
      const written = risky ? null : this.write({ k: v });
      text = written !== null && written.startsWith("k: ") && !written.includes("\n") ? written.slice(3) : null;
      this.values.set(id, text);
    }
    return text;
  }

  /** A key as the package writes it before `: `, or null when it would be written another way (`? ` keys, quoting that depends on depth). */
  private key(k: string): string | null {
    let text = this.keys.get(k);
    if (text === undefined) {
      bound(this.keys);
      const risky = /[\n\r]/.test(k) || /^(%|---|\.\.\.)/m.test(k) || k.length > 1000;
      const written = risky ? null : this.write({ [k]: 0 });
      text = written !== null && written.endsWith(": 0") && !written.includes("\n") && !written.startsWith("? ") ? written.slice(0, -3) : null;
      this.keys.set(k, text);
    }
    return text;
  }

  /** The package's text of a one-pair map, without the final newline. One document for all: making its schema was most of the cost. */
  private write(value: Record<string, unknown>): string {
    this.doc.contents = this.doc.createNode(value);
    return this.doc.toString({ lineWidth: this.options.lineWidth }).replace(/\n$/, "");
  }
}

/** Caches live as long as the process (a dev server builds again and again): emptied when they grow past any one build's needs. */
export function bound(cache: Map<string, unknown>, max = 50_000): void {
  if (cache.size >= max) cache.clear();
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  return Object.getPrototypeOf(v) === Object.prototype;
}

function isCollection(v: unknown): boolean {
  return Array.isArray(v) || isPlainObject(v);
}

function isEmpty(v: unknown): boolean {
  return Array.isArray(v) ? v.length === 0 : Object.keys(v as object).length === 0;
}
