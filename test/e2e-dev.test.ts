// `tsc-micro dev --watch` as a user runs it, on a copy of examples/parity: every service answers,
// a service killed with SIGKILL is restarted by the supervisor on the same URL, a source edit
// restarts only the service whose bundle changed (the others keep their pids), a build error leaves
// the services running, and Ctrl-C (SIGINT) stops everything — no process left. Also: a `dev` killed
// with SIGKILL leaves no service behind (each stops when its supervisor is gone).
// Counts, order and pids only; every process is killed in `finally`.
import assert from "node:assert/strict";
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
// dev runs in its own process group, as a terminal gives it, so the test can signal it like Ctrl-C does.
import { alive, copyParity, killDev, readyServices, startDevCli } from "./helpers/dev-cli.ts";

async function call(url: string, body: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: response.status, body: await response.json() };
}

async function gone(pids: number[]): Promise<void> {
  for (let i = 0; i < 400 && pids.some(alive); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  assert.deepEqual(pids.filter(alive), [], "every service process has exited");
}


test("tsc-micro dev --watch: serves, restarts a killed service, rebuilds only what changed, survives a build error, Ctrl-C stops all", { timeout: 240_000 }, async () => {
  const dir = copyParity("e2e-dev-watch");
  const dev = startDevCli(dir, ["--watch"]);
  const pids: number[] = [];
  try {
    await dev.waitFor(/4 services running; watching for changes/);
    const first = readyServices(dev.output());
    assert.deepEqual([...first.keys()].sort(), ["factorial", "fib", "is-even", "is-odd"]);
    pids.push(...[...first.values()].map((s) => s.pid));
    // is-odd was started after is-even (its dependency) and reaches it through the URL variable.
    assert.deepEqual(await call(`${first.get("is-odd")!.url}/isOdd`, { x: 7 }), { status: 200, body: true });
    assert.deepEqual(await call(`${first.get("fib")!.url}/fib`, { n: 10 }), { status: 200, body: 55 });
    assert.match(dev.output(), /^is-even │ is-even listening on/m, "each line of a service's output carries its name");

    // The supervisor restarts a service that dies, on the same URL.
    process.kill(first.get("is-even")!.pid, "SIGKILL");
    const restarted = await dev.waitFor(/is-even restarted at (\S+) \(pid (\d+)\)/);
    assert.equal(restarted[1], first.get("is-even")!.url);
    pids.push(Number(restarted[2]));
    assert.notEqual(Number(restarted[2]), first.get("is-even")!.pid);
    assert.deepEqual(await call(`${first.get("is-odd")!.url}/isOdd`, { x: 8 }), { status: 200, body: false });

    // An edit of fib's source restarts fib alone; the others keep their processes.
    const math = path.join(dir, "src/math.ts");
    let mark = dev.output().length;
    writeFileSync(math, readFileSync(math, "utf8").replace("fib needs a whole number", "fib wants a whole number"));
    const rebuilt = await dev.waitFor(/\[tsc-micro\] rebuilt: (.*)/, mark);
    assert.equal(rebuilt[1], "restarted fib; unchanged factorial, is-even, is-odd");
    const fibAgain = await dev.waitFor(/fib restarted with its new bundle at (\S+) \(pid (\d+)\)/, mark);
    pids.push(Number(fibAgain[2]));
    assert.equal(fibAgain[1], first.get("fib")!.url);
    const answer = await call(`${first.get("fib")!.url}/fib`, { n: -1 });
    assert.equal(answer.status, 500);
    assert.match(answer.body.error.message, /^fib wants a whole number/);
    assert.ok(alive(first.get("factorial")!.pid) && alive(first.get("is-odd")!.pid), "unchanged services keep their pids");

    // Saved as editors with "safe write" do (a new file renamed over the old one), twice: each
    // save is seen (Node 20's recursive watch lost a file after the first such save).
    for (const word of ["fib asks for a whole number", "fib takes a whole number"]) {
      mark = dev.output().length;
      const previous = readFileSync(math, "utf8");
      const replaced = previous.replace(/fib \w+(?: \w+)? a whole number/, word);
      assert.notEqual(replaced, previous);
      writeFileSync(`${math}.tmp`, replaced);
      renameSync(`${math}.tmp`, math);
      const again = await dev.waitFor(/fib restarted with its new bundle at \S+ \(pid (\d+)\)/, mark);
      pids.push(Number(again[1]));
      const said = await call(`${first.get("fib")!.url}/fib`, { n: -1 });
      assert.match(said.body.error.message, new RegExp(`^${word}`));
    }

    // A build error is printed; the running services keep running.
    mark = dev.output().length;
    writeFileSync(math, `${readFileSync(math, "utf8")}\nexport const broken: number = "not a number";\n`);
    await dev.waitFor(/rebuild failed; the running services keep running/, mark);
    // The diagnostics go to stderr, the line above to stdout: two pipes, either may arrive first.
    await dev.waitFor(/src\/math\.ts\(\d+,\d+\): error TS2322/, mark);
    assert.deepEqual(await call(`${first.get("factorial")!.url}/factorial`, { n: 5 }), { status: 200, body: 120 });

    // Ctrl-C: the terminal signals dev's process group; dev stops each service gracefully.
    process.kill(-dev.child.pid!, "SIGINT");
    assert.equal(await dev.exited, 0, dev.output());
    await gone(pids);
    assert.match(dev.output(), /\[tsc-micro\] stopped/);
    assert.doesNotMatch(dev.output(), /second SIGTERM|exiting at once/, "each service stopped once, gracefully");
  } finally {
    killDev(dev, pids);
  }
});

test("a tsc-micro dev killed with SIGKILL leaves no service behind", { timeout: 120_000 }, async () => {
  const dir = copyParity("e2e-dev-orphans");
  const dev = startDevCli(dir, ["--no-type-check"]);
  let pids: number[] = [];
  try {
    await dev.waitFor(/4 services running\./);
    pids = [...readyServices(dev.output()).values()].map((s) => s.pid);
    assert.equal(pids.length, 4);
    dev.child.kill("SIGKILL");
    await dev.exited;
    await gone(pids);
  } finally {
    killDev(dev, pids);
  }
});
