import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Supervisor } from "../src/dev/supervisor.js";
import { prefixLines } from "../src/dev/prefix-lines.js";
import { freePort } from "../src/dev/free-port.js";

const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures/crashing-service.mjs");

test("prefixLines names every line, keeps a line split across chunks whole, and colours only when asked", () => {
  const out: string[] = [];
  const plain = prefixLines("is-even", undefined, (t) => out.push(t));
  plain.push("one\ntw");
  plain.push("o\nthree");
  plain.flush();
  assert.equal(out.join(""), "is-even │ one\nis-even │ two\nis-even │ three\n");
  const coloured: string[] = [];
  const c = prefixLines("fib", 36, (t) => coloured.push(t));
  c.push("x\n");
  assert.equal(coloured.join(""), "\u001b[36mfib\u001b[0m │ x\n");
});

test("a service that keeps exiting is restarted on the same port each time, and the crash loop is reported", { timeout: 60_000 }, async () => {
  const said: string[] = [];
  const output: string[] = [];
  const port = await freePort();
  const supervisor = new Supervisor({ name: "crashy", file: FIXTURE, port, env: { PATH: process.env.PATH ?? "" }, write: (t) => output.push(t), say: (l) => said.push(l) });
  const pids: number[] = [];
  try {
    await supervisor.start();
    for (let crash = 1; crash <= 5; crash++) {
      pids.push(supervisor.pid!);
      await fetch(`${supervisor.url}/crash`).then((r) => r.text());
      // Wait until the supervisor reports the restart (its own readiness check passed).
      while (said.filter((l) => l.startsWith("crashy restarted at")).length < crash) await new Promise((r) => setTimeout(r, 20));
      const ready = await fetch(`${supervisor.url}/health/ready`).then((r) => r.json());
      assert.equal(ready.pid, supervisor.pid, "the same URL reaches the new process");
    }
    assert.equal(new Set([...pids, supervisor.pid]).size, 6, "six processes, one after another");
    const exits = said.filter((l) => !l.startsWith("crashy restarted at"));
    assert.deepEqual(exits.slice(0, 4), [
      "crashy exited with code 3; restarting in 250 ms",
      "crashy exited with code 3; restarting in 500 ms",
      "crashy exited with code 3; restarting in 1000 ms",
      "crashy exited with code 3; restarting in 2000 ms",
    ]);
    assert.match(exits[4]!, /^crashy is crash-looping: it exited with code 3, 5 exits within 60 s; restarting in 4000 ms\. Last output:\n {4}crashy │ listening on \d+/);
    assert.ok(output.join("").includes(`crashy │ listening on ${port}\n`));
  } finally {
    await supervisor.stop();
  }
  assert.equal(said.filter((l) => l.includes("restarting")).length, 5, "a stop asked for is not followed by a restart");
});
