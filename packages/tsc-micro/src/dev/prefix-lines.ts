/**
 * Prefixes each line a process prints with its name (`is-even │ listening…`),
 * coloured on a terminal, so the output of several services reads apart. A
 * chunk may end mid-line: the rest waits for its newline (or `flush`).
 * A JSON log line of the runtime is shown readable (see pretty-log.ts).
 */
import { prettyLogLine } from "./pretty-log.js";

export function prefixLines(name: string, color: number | undefined, write: (text: string) => void): { push: (chunk: string) => void; flush: () => void } {
  const label = color === undefined ? `${name} │ ` : `\u001b[${color}m${name}\u001b[0m │ `;
  let pending = "";
  return {
    push: function push(chunk: string): void {
      const text = pending + chunk;
      const end = text.lastIndexOf("\n");
      if (end < 0) {
        pending = text;
        return;
      }
      pending = text.slice(end + 1);
      write(
        text
          .slice(0, end)
          .split("\n")
          .flatMap((line) => prettyLogLine(line, color !== undefined).split("\n"))
          .map((line) => `${label}${line}\n`)
          .join(""),
      );
    },
    flush: function flush(): void {
      if (pending !== "") write(prettyLogLine(pending, color !== undefined).split("\n").map((line) => `${label}${line}\n`).join(""));
      pending = "";
    },
  };
}

/** Distinct terminal colours for the services' prefixes (cyan, magenta, yellow, green, blue, red). */
export const PREFIX_COLORS = [36, 35, 33, 32, 34, 31] as const;
