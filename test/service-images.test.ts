// What each image holds, checked offline (no Docker engine here): the code services share
// (the runtime, Hono) is written once, in content-hashed chunks under dist/services/_chunks/,
// and every image built the way dist/deploy/compose.yaml builds it (its context, its
// Dockerfile) copies files that exist in that context, and exactly the files its bundle
// loads: the closure of the import statements of the written files (test/helpers/image.ts),
// not the build's metadata that wrote the Dockerfiles. Then the bundle runs from those files
// alone (every e2e test does so through test/helpers/services.ts).
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { parse } from "yaml";
import { formatDiagnostics } from "../packages/tsc-micro/src/index.ts";
import type { BuildResult } from "../packages/tsc-micro/src/index.ts";
import { cachedBuild } from "./helpers/build-cache.ts";
import type { CacheableOptions } from "./helpers/build-cache.ts";
import { assertBuiltinsOnly, dockerImage, importClosure, materialize } from "./helpers/image.ts";
import { EXAMPLES, FIXTURES } from "./helpers/paths.ts";

const CASES: Record<string, CacheableOptions> = {
  // Four services, one calling another.
  parity: { project: path.join(EXAMPLES, "parity/tsconfig.json") },
  // Services sharing different subsets of code (the clients of the services they call): several chunks.
  chain: { project: path.join(FIXTURES, "calls-chain/tsconfig.json") },
  // Services and a program entry point, which stands alone.
  autoscale: { project: path.join(FIXTURES, "deploy-autoscale/tsconfig.json") },
  // One service: nothing is shared, nothing split off.
  monolith: { project: path.join(EXAMPLES, "parity/tsconfig.json"), mode: "monolith" },
};

const builds = new Map<string, Promise<BuildResult>>();
function built(name: string): Promise<BuildResult> {
  if (!builds.has(name)) {
    builds.set(
      name,
      cachedBuild(CASES[name]!, `service-images-${name}`).then((r) => {
        assert.ok(r.success, formatDiagnostics(r.diagnostics));
        return r;
      }),
    );
  }
  return builds.get(name)!;
}

const temps: string[] = [];
after(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** Every .mjs file under dist/services, relative to it. */
function servicesCode(outDir: string): string[] {
  const root = path.join(outDir, "services");
  return readdirSync(root, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".mjs"))
    .map((f) => f.split(path.sep).join("/"))
    .sort();
}

/** The compose services' build instructions: where each image is built from and with which Dockerfile. */
function composeBuilds(outDir: string): Map<string, { context: string; dockerfile: string }> {
  const deploy = path.join(outDir, "deploy");
  const compose = parse(readFileSync(path.join(deploy, "compose.yaml"), "utf8")) as { services: Record<string, { build: { context: string; dockerfile?: string } }> };
  return new Map(
    Object.entries(compose.services).map(([name, s]) => {
      const context = path.resolve(deploy, s.build.context);
      return [name, { context, dockerfile: path.resolve(context, s.build.dockerfile ?? "Dockerfile") }];
    }),
  );
}

describe("service images", () => {
  for (const name of Object.keys(CASES)) {
    test(`${name}: every image holds exactly the files its bundle loads, taken from its build context`, async () => {
      const result = await built(name);
      const builds = composeBuilds(result.outDir);
      const expected = [...result.plan!.services.map((s) => s.name), ...result.plan!.entries.map((e) => e.name)];
      assert.deepEqual([...builds.keys()], expected);
      for (const [service, { context, dockerfile }] of builds) {
        const image = dockerImage(context, dockerfile); // every COPY source is a file of the context
        assert.deepEqual(image.cmd, ["node", "index.mjs"], service);
        const entry = path.posix.join(image.workdir, "index.mjs");
        const source = image.files.get(entry);
        assert.ok(source, `${service}: the image has no ${entry}`);
        // From the written files: what the bundle in the output folder loads …
        const loaded = importClosure(source);
        assertBuiltinsOnly(loaded, service);
        assert.deepEqual([...image.files.values()].sort(), loaded.files, `${service}: the files copied are not those its bundle loads`);
        // … and, in the image's own layout, every import resolves to a file copied in and nothing else is there.
        const root = mkdtempSync(path.join(os.tmpdir(), `tsc-micro-image-${service}-`));
        temps.push(root);
        const cwd = materialize(image, root);
        const inImage = importClosure(path.join(cwd, "index.mjs"));
        assert.deepEqual(inImage.files, [...image.files.keys()].map((f) => path.join(root, f)).sort(), `${service}: the image's layout breaks an import`);
      }
    });
  }

  test("the runtime and Hono are written once, in a chunk every service image holds", async () => {
    for (const name of ["parity", "chain", "autoscale"]) {
      const { outDir, plan } = await built(name);
      const code = servicesCode(outDir);
      const read = (f: string) => readFileSync(path.join(outDir, "services", f), "utf8");
      const runtime = code.filter((f) => /^async function startService\(/m.test(read(f)));
      const hono = code.filter((f) => /^var Hono = class/m.test(read(f)));
      assert.equal(runtime.length, 1, `${name}: the runtime's startService is in ${runtime.join(", ")}`);
      assert.deepEqual(hono, runtime, `${name}: Hono is in ${hono.join(", ")}`);
      assert.match(runtime[0]!, /^_chunks\/chunk-[A-Z0-9]+\.mjs$/);
      for (const service of plan!.services) {
        const loaded = importClosure(path.join(outDir, "services", service.name, "index.mjs")).files;
        assert.ok(loaded.includes(path.join(outDir, "services", runtime[0]!)), `${name}/${service.name} does not load the runtime's chunk`);
      }
    }
  });

  test("a build of one service splits off only what it loads lazily: Node's default metrics (TSC_MICRO_NODE_METRICS=1)", async () => {
    const { outDir, services } = await built("monolith");
    const [service] = services;
    const chunks = service!.chunks.map((c) => path.relative(path.join(outDir, "services"), path.join(outDir, c)).split(path.sep).join("/"));
    assert.deepEqual(servicesCode(outDir), ["monolith/index.mjs", ...chunks].sort());
    // One dynamic import, of the default metrics; the rest of the chunks is what that code shares with the bundle.
    const index = readFileSync(path.join(outDir, "services", "monolith", "index.mjs"), "utf8");
    const lazy = [...index.matchAll(/await import\("\.\.\/(_chunks\/[^"]+)"\)/g)].map((m) => m[1]);
    assert.equal(lazy.length, 1, "one chunk loaded lazily");
    assert.match(readFileSync(path.join(outDir, "services", lazy[0]!), "utf8"), /collectDefaultMetrics/);
    assert.ok(chunks.length <= 2, `at most the lazy chunk and what it shares with the bundle: ${chunks.join(", ")}`);
  });

  test("the build result lists each service's chunks as its bundle's imports do", async () => {
    const { outDir, services } = await built("chain");
    for (const service of services) {
      const entry = path.join(outDir, "services", service.name, "index.mjs");
      const chunks = importClosure(entry).files.filter((f) => f !== entry).map((f) => path.relative(outDir, f).split(path.sep).join("/"));
      assert.deepEqual(service.chunks, chunks, service.name);
    }
  });
});
