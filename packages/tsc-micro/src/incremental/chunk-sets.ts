/**
 * Which service bundles to give esbuild so that a few of them come out as
 * the whole build made them. With code splitting, esbuild puts each piece of
 * shared code in the chunk of exactly the set of entry points that use it
 * (https://esbuild.github.io/api/#splitting): a service's own output holds
 * what only it uses and imports the rest from chunks. Bundling the edited
 * services alone would inline everything; bundling them with a few other
 * services (witnesses) chosen so that every chunk they load is still told
 * apart by which of the bundled entry points use it cuts the shared code
 * exactly where the whole build cut it. The chunks then differ only in their
 * names (content hashes; they export less), which are mapped back to the
 * whole build's here.
 *
 * Plain data: closures are BundleResult.chunks (per entry output, the chunks
 * it loads, dynamic imports included), paths relative to the output folder.
 */

/** Where the services' chunks are (bundle/bundle.ts CHUNK_DIR), named `<name>-<hash>.mjs`. */
const DYNAMIC = /^services\/_chunks\/(.+)-[A-Z0-9]{8}\.mjs$/;

/**
 * An entry output's identity from one build to another: its path for a
 * service, `dynamic:<name>` for the chunk of a dynamically imported module
 * (esbuild makes it an entry point of its own; its name ends in a hash).
 */
export function entryIdentity(output: string): string {
  const dynamic = DYNAMIC.exec(output);
  return dynamic ? `dynamic:${dynamic[1]}` : output;
}

/** The entry outputs of one esbuild call with splitting (services and dynamic imports' chunks), by identity; undefined if two share one. */
function identities(closures: Readonly<Record<string, readonly string[]>>): Map<string, string> | undefined {
  const byIdentity = new Map<string, string>();
  for (const output of Object.keys(closures).filter((o) => o.startsWith("services/"))) {
    const identity = entryIdentity(output);
    if (byIdentity.has(identity)) return undefined;
    byIdentity.set(identity, output);
  }
  return byIdentity;
}

/**
 * What a chunk (or a dynamic import's chunk) stands for: the identities of
 * the entry points whose code it holds. A plain chunk holds the code used by
 * exactly the entries that load it; a dynamic import's chunk, its own code.
 */
function standsFor(closures: Readonly<Record<string, readonly string[]>>, output: string): Set<string> {
  if (closures[output] !== undefined) return new Set([entryIdentity(output)]);
  return new Set(Object.keys(closures).filter((e) => e.startsWith("services/") && closures[e]!.includes(output)).map(entryIdentity));
}

function key(set: ReadonlySet<string>, present: ReadonlySet<string>): string {
  return [...set].filter((e) => present.has(e)).sort().join("\n");
}

/** The identities in a bundle of `services`: theirs, and those of the dynamic imports they load. */
function presentWith(closures: Readonly<Record<string, readonly string[]>>, services: Iterable<string>): Set<string> {
  const present = new Set<string>();
  for (const service of services) {
    present.add(service);
    for (const loaded of closures[service] ?? []) if (closures[loaded] !== undefined) present.add(entryIdentity(loaded));
  }
  return present;
}

/**
 * The service outputs (`services/<name>/index.mjs`) to bundle together with
 * `affected` so that esbuild cuts the code those load as the whole build
 * did; smallest bundles first. Undefined when no choice can (two chunks told
 * apart only by dynamic imports).
 */
export function withWitnesses(
  closures: Readonly<Record<string, readonly string[]>>,
  sizes: Readonly<Record<string, number>>,
  affected: readonly string[],
): string[] | undefined {
  if (!identities(closures)) return undefined;
  // Everything the affected outputs are made of: their own code and each chunk they load.
  const sets = new Map<string, Set<string>>();
  for (const output of affected) {
    sets.set(`own:${output}`, new Set([output]));
    for (const loaded of closures[output] ?? []) sets.set(loaded, standsFor(closures, loaded));
  }
  const chosen = new Set(affected);
  for (;;) {
    const present = presentWith(closures, chosen);
    // Two parts of the affected outputs that the partial build would not tell apart.
    const seen = new Map<string, Set<string>>();
    let clash: [Set<string>, Set<string>] | undefined;
    for (const set of sets.values()) {
      const k = key(set, present);
      const other = seen.get(k);
      if (other) {
        clash = [other, set];
        break;
      }
      seen.set(k, set);
    }
    if (!clash) return [...chosen];
    const [a, b] = clash;
    const apart = [...a, ...b].filter((e) => a.has(e) !== b.has(e) && e.startsWith("services/") && !chosen.has(e) && closures[e] !== undefined);
    if (apart.length === 0) return undefined;
    apart.sort((x, y) => (sizes[x] ?? 0) - (sizes[y] ?? 0) || x.localeCompare(y));
    chosen.add(apart[0]!);
  }
}

/**
 * For one affected output, the whole build's name of each chunk the partial
 * build made it load (basename → basename), or undefined when they do not
 * correspond one to one (the code was cut differently: say, the edit uses
 * shared code it did not use before).
 */
export function chunkNames(
  whole: Readonly<Record<string, readonly string[]>>,
  partial: Readonly<Record<string, readonly string[]>>,
  output: string,
): Map<string, string> | undefined {
  const partialIds = identities(partial);
  if (!partialIds) return undefined;
  const present = new Set(partialIds.keys());
  const wholeLoaded = whole[output] ?? [];
  const partialLoaded = partial[output] ?? [];
  if (wholeLoaded.length !== partialLoaded.length) return undefined;
  const names = new Map<string, string>();
  const used = new Set<string>();
  for (const loaded of partialLoaded) {
    const want = key(standsFor(partial, loaded), present);
    const matches = wholeLoaded.filter((w) => (partial[loaded] !== undefined) === (whole[w] !== undefined) && key(standsFor(whole, w), present) === want);
    if (matches.length !== 1 || used.has(matches[0]!)) return undefined;
    used.add(matches[0]!);
    names.set(basename(loaded), basename(matches[0]!));
  }
  return names;
}

function basename(output: string): string {
  return output.slice(output.lastIndexOf("/") + 1);
}
