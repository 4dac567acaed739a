import assert from "node:assert/strict";
import { test } from "node:test";
import type { Metafile } from "esbuild";
import { chunkClosure } from "../src/bundle/chunk-closure.ts";

/** An output of a metafile: only what chunkClosure reads matters. */
function output(imports: Metafile["outputs"][string]["imports"], entryPoint?: string): Metafile["outputs"][string] {
  return { bytes: 1, inputs: {}, imports, exports: [], ...(entryPoint ? { entryPoint } : {}) };
}

// As esbuild reports a split build written to ../dist (paths relative to absWorkingDir /p/app).
const META: Metafile = {
  inputs: {},
  outputs: {
    "../dist/services/b/index.mjs": output([{ path: "../dist/services/_chunks/chunk-X.mjs", kind: "import-statement" }, { path: "node:http", kind: "import-statement", external: true }], "tsc-micro:server/b"),
    "../dist/services/a/index.mjs": output(
      [
        { path: "../dist/services/_chunks/chunk-Z.mjs", kind: "dynamic-import" },
        { path: "../dist/services/_chunks/chunk-X.mjs", kind: "import-statement" },
      ],
      "tsc-micro:server/a",
    ),
    "../dist/services/c/index.mjs": output([], "tsc-micro:server/c"),
    "../dist/services/_chunks/chunk-X.mjs": output([{ path: "../dist/services/_chunks/chunk-Y.mjs", kind: "import-statement" }]),
    "../dist/services/_chunks/chunk-Y.mjs": output([{ path: "../dist/services/_chunks/chunk-X.mjs", kind: "import-statement" }]),
    "../dist/services/_chunks/chunk-Z.mjs": output([]),
  },
};

test("per entry, the chunks it imports and those they import, dynamic ones included, sorted; externals left out", () => {
  assert.deepEqual(chunkClosure(META, "/p/app", "../dist"), {
    "services/a/index.mjs": ["services/_chunks/chunk-X.mjs", "services/_chunks/chunk-Y.mjs", "services/_chunks/chunk-Z.mjs"],
    "services/b/index.mjs": ["services/_chunks/chunk-X.mjs", "services/_chunks/chunk-Y.mjs"],
    "services/c/index.mjs": [],
  });
  // The output folder may be given as an absolute path as well.
  assert.deepEqual(Object.keys(chunkClosure(META, "/p/app", "/p/dist")).sort(), ["services/a/index.mjs", "services/b/index.mjs", "services/c/index.mjs"]);
});

test("an import of a file esbuild did not write is a bug, not a silent gap in an image", () => {
  const broken: Metafile = { inputs: {}, outputs: { "out/services/a/index.mjs": output([{ path: "out/services/_chunks/chunk-Q.mjs", kind: "import-statement" }], "x") } };
  assert.throws(() => chunkClosure(broken, "/p", "out"), /tsc-micro bug: services\/a\/index\.mjs imports services\/_chunks\/chunk-Q\.mjs/);
});
