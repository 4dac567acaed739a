import { watch } from "node:fs";
import type { FSWatcher } from "node:fs";
import path from "node:path";

/**
 * Watches the project folder (recursively) for changes of source files, not
 * of the output folder or node_modules; calls `changed` once per burst of
 * events (an editor's save is several) with the files the burst named
 * (absolute paths). After each burst the watch is made anew: Node 20's
 * recursive fs.watch on Linux stops reporting a file once it was saved by
 * writing a new file and renaming it over the old one (sed -i, vim, "safe
 * write" editors), found by a newcomer's trial.
 */
export function watchSources(where: { rootDir: string; outDir: string }, changed: (files: Set<string>) => void): { close(): void } {
  const outDir = path.relative(where.rootDir, where.outDir);
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let burst = new Set<string>();
  let watcher = arm();
  function arm(): FSWatcher {
    return watch(where.rootDir, { recursive: true }, function onChange(_event, file) {
      if (!file) return;
      const name = file.toString();
      // The output folder, and the sibling folders a build stages it in (package/write-output.ts):
      // a rebuild writing them must not look like a change that asks for another.
      if (name.startsWith(`${outDir}${path.sep}`) || name === outDir || name.startsWith(`${outDir}.tsc-micro-`) || name.split(path.sep).some((part) => part === "node_modules" || part.startsWith("."))) return;
      if (!/\.(ts|tsx|mts|cts|js|mjs|cjs|json)$/.test(name)) return;
      burst.add(path.join(where.rootDir, name));
      if (timer) clearTimeout(timer);
      timer = setTimeout(function burstOver() {
        if (closed) return;
        watcher.close();
        watcher = arm();
        const files = burst;
        burst = new Set();
        changed(files);
      }, 150);
    });
  }
  return {
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      watcher.close();
    },
  };
}
