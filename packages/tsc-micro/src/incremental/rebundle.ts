/**
 * Bundles again only the outputs an edit can change, byte for byte as the
 * whole build would: the affected services with witnesses (chunk-sets.ts) in
 * one esbuild call with splitting, as bundle/bundle.ts makes it (same
 * function, same options, fewer entries), their chunk names mapped back to
 * the whole build's; and the entry points and dist/clients/errors.js, which
 * stand alone, by the very call the whole build makes for them.
 *
 * Undefined-with-a-reason whenever the result could differ from the whole
 * build's: the chunks come out cut differently, or the edited code imports
 * other shared code than it did (then the shared chunks themselves change,
 * and every service loading them with them).
 */
import { bundle, isService } from "../bundle/bundle.js";
import type { BundleOptions, BundleResult } from "../bundle/bundle.js";
import type { EmitResult } from "../emit/emit.js";
import { chunkNames, withWitnesses } from "./chunk-sets.js";

export interface RebundleInput {
  emitted: EmitResult;
  options: Omit<BundleOptions, "writeTo">;
  /** The whole build's chunks per entry output and sizes (BundleResult). */
  whole: Pick<BundleResult, "chunks" | "sizes">;
  /** Service names whose bundles the edit may change. */
  services: readonly string[];
  /** Bundle the entry points and dist/clients/errors.js again too. */
  alone: boolean;
  /** The text of a file of the current output folder. */
  current: (rel: string) => string;
}

export type Rebundled = { ok: true; files: Record<string, Uint8Array> } | { ok: false; why: string };

export async function rebundle(input: RebundleInput): Promise<Rebundled> {
  const files: Record<string, Uint8Array> = {};
  if (input.services.length > 0) {
    const made = await rebundleServices(input);
    if (!made.ok) return made;
    Object.assign(files, made.files);
  }
  if (input.alone) {
    const alone = input.emitted.entries.filter((e) => !isService(e));
    const made = await bundle({ ...input.emitted, entries: alone }, input.options);
    if (made.diagnostics.length > 0) return { ok: false, why: "bundling failed" };
    Object.assign(files, made.files);
  }
  return { ok: true, files };
}

async function rebundleServices(input: RebundleInput): Promise<Rebundled> {
  const outputs = input.services.map((s) => `services/${s}/index.mjs`);
  const chosen = withWitnesses(input.whole.chunks, input.whole.sizes, outputs);
  if (!chosen) return { ok: false, why: "the shared chunks cannot be cut the same way by a partial bundle" };
  const bundled = new Set(chosen);
  const made = await bundle({ ...input.emitted, entries: input.emitted.entries.filter((e) => isService(e) && bundled.has(`${e.out}.mjs`)) }, input.options);
  if (made.diagnostics.length > 0) return { ok: false, why: "bundling failed" };
  const files: Record<string, Uint8Array> = {};
  const decoder = new TextDecoder();
  for (const output of outputs) {
    const names = chunkNames(input.whole.chunks, made.chunks, output);
    if (!names) return { ok: false, why: `the edit changes which shared code ${output} loads` };
    let text = decoder.decode(made.files[output]);
    for (const [partial, whole] of names) text = text.split(`../_chunks/${partial}`).join(`../_chunks/${whole}`);
    // A name family is there in a chunk when the chunk, as either build wrote it, spells its base.
    const partialName = new Map([...names].map(([partial, whole]) => [whole, partial]));
    const spells = (chunk: string, base: string): boolean => {
      const word = new RegExp(`(?<![\\w$])${base.replace(/[$]/g, "\\$")}(?![\\w$])`);
      const partial = partialName.get(chunk);
      return word.test(input.current(`services/_chunks/${chunk}`)) || (partial !== undefined && word.test(decoder.decode(made.files[`services/_chunks/${partial}`] ?? new Uint8Array())));
    };
    const fixed = sameImports(text, input.current(output), spells);
    if (!fixed) return { ok: false, why: `the edit changes what ${output} imports from the shared chunks` };
    files[output] = new TextEncoder().encode(fixed);
  }
  return { ok: true, files };
}

/** esbuild's imports of a chunk from a service's output: `import {\n  a,\n  b as c\n} from "../_chunks/chunk-….mjs";` or `import "../_chunks/….mjs";`. */
const CHUNK_IMPORT = /^import (?:\{([^}]*)\} from )?"\.\.\/_chunks\/[^"\n]+";$/gm;

/**
 * `made` when it imports from the shared chunks exactly what the whole
 * build's `before` imports (statements in the order the whole build wrote
 * them: esbuild orders them by its own chunk numbering, which fewer entry
 * points change, and nothing else depends on that order), or undefined.
 *
 * Also undefined when two names imported from one chunk could be esbuild's
 * numbering of same-named symbols (see numberedAlike): it numbers them in an
 * order that depends on the whole program, and the partial build could have
 * numbered them the other way round, under names that read the same.
 * `spells(chunk, base)`: whether that chunk (file name), in either build,
 * spells the identifier `base`.
 */
export function sameImports(made: string, before: string, spells: (chunk: string, base: string) => boolean = () => true): string | undefined {
  const now = importBlock(made);
  const then = importBlock(before);
  if (!now || !then) return undefined;
  if ([...now.statements].sort().join("\n") !== [...then.statements].sort().join("\n")) return undefined;
  if (then.statements.some((statement) => numberedAlike(statement, spells))) return undefined;
  return made.slice(0, now.start) + before.slice(then.start, then.end) + made.slice(now.end);
}

function importBlock(text: string): { start: number; end: number; statements: string[] } | undefined {
  const found = [...text.matchAll(CHUNK_IMPORT)];
  if (found.length === 0) return { start: 0, end: 0, statements: [] };
  const start = found[0]!.index!;
  const end = found.at(-1)!.index! + found.at(-1)![0].length;
  // They are esbuild's first statements, one after the other; anything between them means this is not that block.
  const between = text.slice(start, end).replace(CHUNK_IMPORT, "");
  if (between.trim() !== "") return undefined;
  return { start, end, statements: found.map((m) => m[0]) };
}

/** Words esbuild never gives a symbol: a symbol named so is numbered even alone. */
const RESERVED = new Set(
  "await break case catch class const continue debugger default delete do else enum export extends false finally for function if implements import in instanceof interface let new null package private protected public return static super switch this throw true try typeof var void while with yield arguments eval".split(" "),
);

/**
 * Whether two names one statement imports (as the exporting chunk calls them)
 * could both be esbuild's names for symbols first called `base`. esbuild
 * (non-minified) keeps a symbol's name unless it is taken in the chunk, and
 * then appends 2, 3, …: `base`, `base2`, `base3`. So two imported names of one
 * family `base` may have swapped meanings only if `base` was taken: by a symbol
 * of that chunk (which the chunk then spells), by a global the chunk's code
 * uses (spelt too), or as a reserved word. Ajv's `validate20` and `validate21`
 * in a chunk that never says `validate` are two names, not a numbering.
 */
function numberedAlike(statement: string, spells: (chunk: string, base: string) => boolean): boolean {
  const chunk = /"\.\.\/_chunks\/([^"\n]+)"/.exec(statement)![1]!;
  const items = /\{([^}]*)\}/.exec(statement)?.[1]?.split(",").map((i) => i.trim()).filter((i) => i !== "") ?? [];
  const exported = items.map((item) => item.split(/\s+as\s+/)[0]!);
  const bases = new Map<string, number>();
  for (const name of exported) {
    for (const base of familiesOf(name)) bases.set(base, (bases.get(base) ?? 0) + 1);
  }
  return [...bases].some(([base, count]) => count > 1 && (RESERVED.has(base) || spells(chunk, base)));
}

/** The bases `name` may be numbered from: itself, and `b` for each way it reads `b` + a number from 2 up. */
function familiesOf(name: string): string[] {
  const bases = [name];
  for (let i = name.length - 1; i > 0 && /\d/.test(name[i]!); i--) {
    const digits = name.slice(i);
    if (digits[0] !== "0" && Number(digits) >= 2 && /[\w$]$/.test(name.slice(0, i))) bases.push(name.slice(0, i));
  }
  return bases;
}
