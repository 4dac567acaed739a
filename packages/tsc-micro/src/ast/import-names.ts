import { ASYNC_HELPERS, IMPORT_NUMBERING, REMOTE_SUFFIX, freshNameAmong } from "./fresh-names.js";

/**
 * The local names a rewritten file imports under: `f$remote` for the client of
 * a remote `f`, `$tsmAsync` for the async array helpers — or, when the file
 * already spells that name (a binding any inserted reference could see),
 * `f$remote_2`, `$tsmAsync_2`… Chosen once per file and function, in the
 * order the plan asks (the scan's order), so the output is deterministic.
 */
export function importNames(namesInUse: Readonly<Record<string, readonly string[]>>): {
  client: (file: string, functionId: string, functionName: string) => string;
  helpers: (file: string) => string;
} {
  const taken = new Map<string, Set<string>>();
  const chosen = new Map<string, string>();
  const takenIn = (file: string): Set<string> => taken.get(file) ?? taken.set(file, new Set(namesInUse[file] ?? [])).get(file)!;
  const choose = (file: string, key: string, base: string): string => {
    const known = chosen.get(`${file}\0${key}`);
    if (known) return known;
    const names = takenIn(file);
    const name = freshNameAmong(names, base, IMPORT_NUMBERING);
    names.add(name);
    chosen.set(`${file}\0${key}`, name);
    return name;
  };
  return {
    client: (file, functionId, functionName) => choose(file, `client:${functionId}`, `${functionName}${REMOTE_SUFFIX}`),
    helpers: (file) => choose(file, "helpers", ASYNC_HELPERS),
  };
}
