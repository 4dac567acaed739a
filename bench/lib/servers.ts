// The hand-written servers (bench/servers/*.ts), bundled with esbuild the way
// tsc-micro bundles a service (one ESM file for Node 20, not minified, the same
// createRequire banner), so no tsx and no node_modules lookup is measured.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";
import { BENCH, WORK } from "./config.ts";

export interface HandWritten {
  /** Bundle folder name and process name. */
  id: string;
  /** Row label. */
  label: string;
  /** How it validates the request. */
  validation: string;
}

export const HAND_WRITTEN: HandWritten[] = [
  { id: "node-http", label: "raw node:http", validation: "by hand (typeof, key count)" },
  { id: "hono-plain", label: "Hono + @hono/node-server", validation: "by hand (typeof, key count)" },
  { id: "hono-zod", label: "Hono + @hono/node-server + @hono/zod-validator", validation: "zod 4 `z.strictObject({ x: z.number() })`" },
  { id: "fastify", label: "Fastify 5", validation: "route JSON schema (Fastify's Ajv; coercion and removeAdditional off)" },
  { id: "express", label: "Express 5 + express.json()", validation: "by hand (typeof, key count)" },
];

let bundled: Promise<Record<string, string>> | undefined;

/** Bundles every hand-written server once per run; returns id → folder holding index.mjs. */
export function bundleHandWritten(): Promise<Record<string, string>> {
  bundled ??= (async () => {
    const dirs: Record<string, string> = {};
    await Promise.all(
      HAND_WRITTEN.map(async (s) => {
        const dir = path.join(WORK, "servers", s.id);
        mkdirSync(dir, { recursive: true });
        await build({
          entryPoints: [path.join(BENCH, "servers", `${s.id}.ts`)],
          outfile: path.join(dir, "index.mjs"),
          bundle: true,
          platform: "node",
          format: "esm",
          target: "node20",
          mainFields: ["module", "main"],
          minify: false,
          legalComments: "eof",
          charset: "utf8",
          logLevel: "error",
          banner: { js: `import { createRequire as __benchCreateRequire } from "node:module";\nconst require = __benchCreateRequire(import.meta.url);` },
        });
        dirs[s.id] = dir;
      }),
    );
    return dirs;
  })();
  return bundled;
}
