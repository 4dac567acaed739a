// The dashboard's command-line options (src/cli/cli.ts): they belong to `tsc-micro dev`, and
// `--dashboard-port` takes a port number; both refused with exit 2 before anything builds.
import assert from "node:assert/strict";
import { test } from "node:test";
import { main } from "../src/cli/cli.ts";

async function run(args: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = "";
  const code = await main(args, { stdout: () => {}, stderr: (text) => void (stderr += text), cwd: "/nonexistent", isTTY: false });
  return { code, stderr };
}

test("--no-dashboard and --dashboard-port belong to tsc-micro dev", async () => {
  assert.deepEqual(await run(["build", "--no-dashboard"]), { code: 2, stderr: "error: option '--no-dashboard' belongs to 'tsc-micro dev'\n" });
  assert.deepEqual(await run(["build", "--dashboard-port", "4000"]), { code: 2, stderr: "error: option '--dashboard-port' belongs to 'tsc-micro dev'\n" });
});

test("--dashboard-port needs a port number", async () => {
  for (const port of ["abc", "-1", "70000", "4000x"]) {
    const { code, stderr } = await run(["dev", `--dashboard-port=${port}`]);
    assert.equal(code, 2);
    assert.equal(stderr, `error: option '--dashboard-port' needs a port number (0–65535), got '${port}'\n`);
  }
});

test("--help lists the dashboard options", async () => {
  let stdout = "";
  await main(["--help"], { stdout: (text) => void (stdout += text), stderr: () => {}, cwd: "/", isTTY: false });
  assert.match(stdout, /--no-dashboard {4}dev: no dashboard page/);
  assert.match(stdout, /--dashboard-port {2}dev: the dashboard's port/);
});
