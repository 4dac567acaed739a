/**
 * OpenAPI component keys for the model's component names.
 *
 * OpenAPI 3.1 allows only `^[a-zA-Z0-9._-]+$` as a key under `components`,
 * while a TypeScript name may hold `$` and any Unicode letter (`Event$Log`,
 * `Café`). A name that is already a valid key is its own key, so the documents
 * of most programs are exactly what they were; any other is spelled in ASCII
 * (`Café` → `Cafe`, `Event$Log` → `Event_Log`) and, when that key is taken,
 * suffixed `_2`, `_3`… The keys depend only on the set of names, never on the
 * order they come in: every document and validator of a build agrees, and a
 * rebuild gives the same keys. The documents keep the TypeScript name as the
 * schema's `title` (see json-schema.ts).
 */

export const VALID_KEY = /^[a-zA-Z0-9._-]+$/;

export interface ComponentKeys {
  /** The key of a component name; a name the keys were not made for is a bug. */
  key(name: string): string;
  /** Component name → key, for the names whose key differs. */
  readonly renamed: ReadonlyMap<string, string>;
}

/**
 * Keys for `names`, none of them one of `reserved` (the documents' own schemas,
 * e.g. `TscMicroError`: a program type of that name gets `TscMicroError_2`).
 */
export function componentKeys(names: Iterable<string>, reserved: Iterable<string> = []): ComponentKeys {
  // `__proto__` is a valid key, but assigning it to an object (the OpenAPI builder, Ajv's $defs) sets a prototype.
  const taken = new Set([...reserved, "__proto__"]);
  const keys = new Map<string, string>();
  const pending: string[] = [];
  for (const name of new Set(names)) {
    if (VALID_KEY.test(name) && !taken.has(name)) keys.set(name, name);
    else pending.push(name);
  }
  // Valid names first, so a spelled name can never take one; then the rest by name.
  for (const key of keys.values()) taken.add(key);
  for (const name of pending.sort(byCodeUnits)) {
    const base = spellKey(name);
    let key = base;
    for (let i = 2; taken.has(key); i++) key = `${base}_${i}`;
    taken.add(key);
    keys.set(name, key);
  }
  const renamed = new Map([...keys].filter(([name, key]) => name !== key));
  return {
    key(name) {
      const key = keys.get(name);
      if (key === undefined) throw new Error(`tsc-micro bug: no component key for '${name}'`);
      return key;
    },
    renamed,
  };
}

/**
 * A name spelled with key characters only: letters lose their accents
 * (`é` → `e`, `ǅ` → `Dž` → `Dz`), a few Latin letters with no decomposition
 * are written out (`ø` → `o`, `ß` → `ss`), `$` becomes `_`, and any other
 * character `_u<hex code point>` (`用` → `_u7528`), so names in other
 * scripts still get keys of their own.
 */
export function spellKey(name: string): string {
  const ascii = name.normalize("NFKD").replace(/\p{M}/gu, "");
  return [...ascii]
    .map((c) => {
      if (/[a-zA-Z0-9._-]/.test(c)) return c;
      if (c === "$") return "_";
      return LATIN[c] ?? `_u${c.codePointAt(0)!.toString(16)}`;
    })
    .join("");
}

/** Latin letters NFKD leaves whole, by their usual ASCII spelling. */
const LATIN: Readonly<Record<string, string>> = {
  ß: "ss", ẞ: "SS", æ: "ae", Æ: "AE", œ: "oe", Œ: "OE", ø: "o", Ø: "O", đ: "d", Đ: "D",
  ð: "d", Ð: "D", þ: "th", Þ: "Th", ł: "l", Ł: "L", ı: "i", ħ: "h", Ħ: "H", ŋ: "ng", Ŋ: "Ng",
};

/** Locale-independent order, so keys are the same on every machine. */
function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
