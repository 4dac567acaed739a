import { BUILD_PHASES } from "../build-progress.js";
import type { BuildProgressEvent } from "../build-progress.js";

/** Where the line is drawn: a terminal's stderr. */
export interface ProgressOutput {
  write: (text: string) => void;
  /** Width of the terminal; the line is cut to fit, so `\r` can overwrite it. */
  columns?: number;
}

export interface ProgressLine {
  onProgress: (event: BuildProgressEvent) => void;
  /** Clears the line (if drawn) and stops. */
  done: () => void;
}

/** `[3/7] model · 42 files, 12 functions`. */
export function progressText(event: BuildProgressEvent): string {
  const counts = [
    count(event.files, "file"),
    count(event.functions, "function"),
    count(event.services, "service"),
    count(event.entries, "entry point"),
  ].filter((c) => c !== undefined);
  const step = `[${BUILD_PHASES.indexOf(event.phase) + 1}/${BUILD_PHASES.length}] ${event.phase}`;
  return counts.length > 0 ? `${step} · ${counts.join(", ")}` : step;
}

/**
 * One line on stderr, overwritten in place as the build's phases start, shown
 * only once the build has run `delayMs` (a quick build prints nothing), and
 * cleared at the end so the summary follows on a clean screen. Phases are
 * synchronous work, so the line changes when a phase starts, and a timer
 * draws it when the build yields (while bundling).
 */
export function progressLine(output: ProgressOutput, delayMs = 1000, now: () => number = Date.now): ProgressLine {
  const started = now();
  let latest: BuildProgressEvent | undefined;
  let drawn = false;
  const draw = () => {
    if (!latest) return;
    const width = Math.max(20, (output.columns ?? 80) - 1);
    output.write(`\r\x1b[K${`tsc-micro ${progressText(latest)}`.slice(0, width)}`);
    drawn = true;
  };
  const timer = setTimeout(draw, delayMs);
  timer.unref();
  return {
    onProgress(event) {
      latest = event;
      if (now() - started >= delayMs) draw();
    },
    done() {
      clearTimeout(timer);
      if (drawn) output.write("\r\x1b[K");
      drawn = false;
    },
  };
}

function count(n: number | undefined, noun: string): string | undefined {
  return n === undefined ? undefined : `${n} ${noun}${n === 1 ? "" : "s"}`;
}
