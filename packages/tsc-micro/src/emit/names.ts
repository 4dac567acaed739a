/**
 * The identifier tier of emit (typia's "factory" layer): every generated
 * module gets its names from one {@link NameScope}. The user's names that the
 * module must write unchanged (exported functions, their parameters, imported
 * classes) are reserved first; every name the generator itself needs
 * (`$c` for the codec helpers, `ServiceClient`, `decode$Event`, lambda
 * parameters) is then allocated from a hint and never equals a reserved or
 * already allocated name. So a parameter named `$c` or a function named
 * `ServiceClient` can neither shadow nor redeclare generated code.
 */
export class NameScope {
  private readonly taken = new Set<string>();

  constructor(reserved: Iterable<string> = []) {
    for (const name of reserved) this.taken.add(name);
  }

  /** Marks a user name as used as-is. */
  reserve(name: string): void {
    this.taken.add(name);
  }

  /** Whether `name` is reserved or allocated in this scope. */
  has(name: string): boolean {
    return this.taken.has(name);
  }

  /**
   * A fresh identifier: `hint` itself when free, else `hint_2`, `hint_3`, …
   * Deterministic: the same reservations and requests give the same names.
   */
  allocate(hint: string): string {
    if (!isIdentifierName(hint) || RESERVED_WORDS.has(hint)) throw new Error(`tsc-micro bug: '${hint}' is not an identifier hint`);
    let name = hint;
    for (let i = 2; this.taken.has(name); i++) name = `${hint}_${i}`;
    this.taken.add(name);
    return name;
  }
}

/** An ECMAScript IdentifierName (letters per Unicode ID_Start/ID_Continue, `$`, `_`, ZWNJ/ZWJ). */
export function isIdentifierName(text: string): boolean {
  return /^[\p{ID_Start}$_][\p{ID_Continue}$\u200C\u200D]*$/u.test(text);
}

/** `name` or `name as local`; a name that is no identifier (a string export) is quoted so it parses. */
export function importSpecifier(exported: string, local: string): string {
  const imported = isIdentifierName(exported) ? exported : JSON.stringify(exported);
  return exported === local ? local : `${imported} as ${local}`;
}

/**
 * A user name as (part of) an identifier hint: TypeScript names already are one and stay as
 * they are; any other character becomes `_`.
 */
export function identifierHint(name: string): string {
  return name.replace(/[^\p{ID_Continue}$\u200C\u200D]/gu, "_");
}

/** Words that cannot name a binding in a module (strict mode). */
const RESERVED_WORDS = new Set(
  (
    "await break case catch class const continue debugger default delete do else enum export extends false finally for function if " +
    "implements import in instanceof interface let new null package private protected public return static super switch this throw " +
    "true try typeof var void while with yield arguments eval"
  ).split(" "),
);
