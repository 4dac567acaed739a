// Projects and builds more than one section uses (built once per run), and the
// wall-clock ratios sections 1 and 2 found, shown again beside the instruction ratios of section 6.
import path from "node:path";
import { BENCH, REPO, WORK } from "../lib/config.ts";
import { buildOrThrow } from "../lib/programs.ts";
import type { BuildRun } from "../lib/programs.ts";
import type { Spread } from "../lib/rounds.ts";

export const parityProject = path.join(REPO, "examples/parity/tsconfig.json");
export const chainProject = path.join(BENCH, "fixtures/chain/tsconfig.json");
export const shopProject = path.join(BENCH, "fixtures/shop/tsconfig.json");

let parity: Promise<BuildRun> | undefined;
/** examples/parity built into bench/.work/parity/dist. */
export function parityBuild(): Promise<BuildRun> {
  parity ??= buildOrThrow({ project: parityProject, outDir: path.join(WORK, "parity", "dist") });
  return parity;
}

/**
 * Wall-clock ratios measured earlier in this run, by key: section 1 sets `server:<id>` (req/s ÷ raw
 * node:http's, per round), section 2 sets `client:<way>` (median µs per call of that way).
 */
export const wallClock = new Map<string, Spread | number>();
