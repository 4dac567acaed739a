// Projects and builds more than one section uses (built once per run).
import path from "node:path";
import { BENCH, REPO, WORK } from "../lib/config.ts";
import { buildOrThrow } from "../lib/programs.ts";
import type { BuildRun } from "../lib/programs.ts";

export const parityProject = path.join(REPO, "examples/parity/tsconfig.json");
export const chainProject = path.join(BENCH, "fixtures/chain/tsconfig.json");
export const shopProject = path.join(BENCH, "fixtures/shop/tsconfig.json");

let parity: Promise<BuildRun> | undefined;
/** examples/parity built into bench/.work/parity/dist. */
export function parityBuild(): Promise<BuildRun> {
  parity ??= buildOrThrow({ project: parityProject, outDir: path.join(WORK, "parity", "dist") });
  return parity;
}
