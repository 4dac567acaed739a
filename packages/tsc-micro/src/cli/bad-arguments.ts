import { closestKey } from "../diagnostics/suggest.js";

/** An option as parseArgs is told about it. */
interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
}

/** Flags users reach for that tsc-micro does not have (yet), with what to do instead. */
const NOT_YET: Record<string, string> = {
  serve: "tsc-micro build does not serve: `tsc-micro dev` builds and runs every service (add --watch to rebuild on changes).",
};

/**
 * The message for a command line parseArgs rejected, in tsc-micro's voice:
 * `error: unknown option '--serve'` and a hint (a did-you-mean over the known
 * flags), instead of parseArgs' own text, whose quotes do not pair up.
 */
export function badArguments(e: unknown, args: readonly string[], options: Readonly<Record<string, OptionSpec>>): string {
  const unknown = firstUnknown(args, options);
  if (unknown) return `error: unknown option '${unknown.raw}'\n${hintFor(unknown, options)}\n`;
  const message = e instanceof Error ? e.message : String(e);
  return `error: ${message.replace(/\.?$/, ".")}\nRun 'tsc-micro --help' for the options.\n`;
}

/** The first flag in `args` (before `--`) that is not one of `options`. */
function firstUnknown(args: readonly string[], options: Readonly<Record<string, OptionSpec>>): { raw: string; name: string; long: boolean } | undefined {
  const shorts = new Map(Object.entries(options).flatMap(([name, o]) => (o.short ? [[o.short, name] as const] : [])));
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") return undefined;
    if (arg.startsWith("--")) {
      const name = arg.slice(2).split("=")[0]!;
      const spec = options[name];
      if (!spec) return { raw: `--${name}`, name, long: true };
      if (spec.type === "string" && !arg.includes("=")) i++;
    } else if (arg.startsWith("-") && arg.length > 1) {
      // -p value, -hv: each letter a short flag until one takes a value.
      for (const letter of arg.slice(1)) {
        const name = shorts.get(letter);
        if (!name) return { raw: `-${letter}`, name: letter, long: false };
        if (options[name]!.type === "string") {
          if (arg.endsWith(letter)) i++;
          break;
        }
      }
    }
  }
  return undefined;
}

function hintFor(unknown: { name: string; long: boolean }, options: Readonly<Record<string, OptionSpec>>): string {
  const notYet = NOT_YET[unknown.name];
  if (notYet) return notYet;
  const close = unknown.long ? closestKey(unknown.name, Object.keys(options)) : undefined;
  return close ? `Did you mean '--${close}'? Run 'tsc-micro --help' for the options.` : "Run 'tsc-micro --help' for the options.";
}
