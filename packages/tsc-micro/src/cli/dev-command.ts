/**
 * `tsc-micro dev`: start the program (dev/dev.ts), print where each service
 * is, and stop everything on Ctrl-C or SIGTERM (a second one kills at once).
 * Resolves with the exit code once every process has exited.
 */
import { dev } from "../dev/dev.js";
import type { DevOptions } from "../dev/dev.js";
import type { BuildResult } from "../build.js";

export interface DevCommandIO {
  stdout: (text: string) => void;
  /** Prints a build's diagnostics (as `tsc-micro build` does). */
  report: (result: BuildResult) => void;
  isTTY: boolean;
  /** Registers the stop signals; default: SIGINT and SIGTERM of this process. */
  onSignal?: (handler: (signal: NodeJS.Signals) => void) => void;
}

export async function devCommand(options: Omit<DevOptions, "write" | "say" | "onBuildResult" | "color">, io: DevCommandIO): Promise<number> {
  const { result, session } = await dev({
    ...options,
    write: io.stdout,
    say: (line) => io.stdout(`[tsc-micro] ${line}\n`),
    onBuildResult: io.report,
    color: io.isTTY,
  });
  if (result.diagnostics.length > 0) io.report(result);
  if (!session) return 1;
  if (session.dashboardUrl) io.stdout(`[tsc-micro] dashboard  ${session.dashboardUrl}\n`);
  io.stdout(`[tsc-micro] ${session.services().length} services running${options.watch ? "; watching for changes" : ""}. Ctrl-C stops them.\n`);
  return new Promise<number>((resolve) => {
    let signals = 0;
    const onSignal = io.onSignal ?? defaultSignals;
    onSignal(function stopOnSignal(signal) {
      signals++;
      if (signals > 1) {
        session.kill();
        io.stdout(`[tsc-micro] ${signal} again: killed every service\n`);
        resolve(signal === "SIGINT" ? 130 : 143);
        return;
      }
      io.stdout(`[tsc-micro] ${signal}: stopping every service (graceful; again to kill)\n`);
      void session.stop().then(() => {
        // A second signal may have come during the graceful stop: it has said "killed" already.
        if (signals > 1) return;
        io.stdout(`[tsc-micro] stopped\n`);
        resolve(0);
      });
    });
  });
}

function defaultSignals(handler: (signal: NodeJS.Signals) => void): void {
  process.on("SIGINT", () => handler("SIGINT"));
  process.on("SIGTERM", () => handler("SIGTERM"));
}
