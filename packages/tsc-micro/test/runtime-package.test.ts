import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { RUNTIME_PACKAGE, runtimeInstallCommand, runtimeRange, runtimeVersion } from "../src/emit/runtime-package.ts";

const runtimePackage = JSON.parse(readFileSync(new URL("../../runtime/package.json", import.meta.url), "utf8")) as { name: string; version: string };

test("the runtime version is the installed runtime's own, read from its package.json", () => {
  assert.equal(RUNTIME_PACKAGE, runtimePackage.name);
  assert.equal(runtimeVersion(), runtimePackage.version);
});

test("clients ask for a caret range of that version, and the CLI prints one command for it", () => {
  assert.equal(runtimeRange("2.3.4"), "^2.3.4");
  assert.equal(runtimeRange(), `^${runtimePackage.version}`);
  assert.equal(runtimeInstallCommand("2.3.4"), "npm install @tsc-micro/runtime@^2.3.4");
});
