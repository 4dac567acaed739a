// tsc-micro dev runs each service from a copy of its bundle and the chunks it loads (package/stage-service.ts).
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { serviceHash, stageService } from "../src/package/stage-service.ts";

function write(root: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
}

test("a staged service keeps its chunks at ../_chunks/, shared by every staged copy; the hash covers the chunks", () => {
  const root = mkdtempSync(path.join(os.tmpdir(), "tsc-micro-stage-"));
  try {
    const out = path.join(root, "dist");
    const into = path.join(root, "run");
    write(out, {
      "services/a/index.mjs": 'import "../_chunks/chunk-X.mjs";\n',
      "services/b/index.mjs": 'import "../_chunks/chunk-X.mjs";\n',
      "services/_chunks/chunk-X.mjs": "export {};\n",
      "services/_chunks/chunk-Y.mjs": "not loaded\n",
    });
    const a = { name: "a", chunks: ["services/_chunks/chunk-X.mjs"] };
    const staged = stageService(out, a, into);
    stageService(out, { name: "b", chunks: ["services/_chunks/chunk-X.mjs"] }, into);
    assert.equal(staged.file, path.join(into, `a-${staged.hash}`, "index.mjs"));
    assert.deepEqual(readdirSync(into).sort(), ["_chunks", `a-${staged.hash}`, `b-${serviceHash(out, { name: "b", chunks: ["services/_chunks/chunk-X.mjs"] })}`].sort());
    assert.deepEqual(readdirSync(path.join(into, "_chunks")), ["chunk-X.mjs"]);
    assert.equal(readFileSync(path.resolve(path.dirname(staged.file), "../_chunks/chunk-X.mjs"), "utf8"), "export {};\n");
    // Same files, same hash; a changed chunk (same name, as a test can do, not esbuild) changes it.
    assert.equal(serviceHash(out, a), staged.hash);
    writeFileSync(path.join(out, "services/_chunks/chunk-X.mjs"), "export const x = 1;\n");
    assert.notEqual(serviceHash(out, a), staged.hash);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
