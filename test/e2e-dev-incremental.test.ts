// `tsc-micro dev --watch` after an edit of one function's body (src/incremental/): the rebuild is
// incremental, restarts exactly the services whose bundles hold the function (counted, the others
// keep their pids), and they answer with the edit; a type error in a body is reported by the check
// that follows the restart; a signature change takes the whole build and the service answers to
// the new signature; and the output folder is, byte for byte, what a whole build writes.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { build } from "../packages/tsc-micro/src/index.ts";
import { alive, killDev, readyServices, startDevCli } from "./helpers/dev-cli.ts";
import { filesUnder } from "./helpers/emitted-checks.ts";
import { editFile, writeIncrementalProgram } from "./helpers/incremental-program.ts";
import { tempOutDir } from "./helpers/paths.ts";

async function call(url: string, body: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: response.status, body: await response.json() };
}

const ITEMS = { items: [{ sku: "apple", qty: 2, priceCents: 120 }] };

function count(text: string, pattern: RegExp): number {
  return [...text.matchAll(new RegExp(pattern.source, "g"))].length;
}

test("tsc-micro dev --watch: a body edit rebuilds incrementally and restarts only the services holding the function; type errors are reported after; the output is a whole build's", { timeout: 300_000 }, async () => {
  const dir = writeIncrementalProgram("e2e-dev-incremental");
  const dev = startDevCli(dir, ["--watch", "--no-dashboard"]);
  const pids: number[] = [];
  try {
    await dev.waitFor(/5 services running; watching for changes/);
    const first = readyServices(dev.output());
    assert.deepEqual([...first.keys()].sort(), ["cheapest", "checkout", "label", "shout", "total"]);
    pids.push(...[...first.values()].map((s) => s.pid));
    const url = (service: string, fn: string) => `${first.get(service)!.url}/${fn}`;
    assert.deepEqual(await call(url("total", "total"), ITEMS), { status: 200, body: 240 });

    // The helper two services bundle: both restart, once each; the others keep their processes.
    let mark = dev.output().length;
    editFile(dir, "src/prices.ts", "return item.qty * item.priceCents;", "return item.qty * item.priceCents + 1;");
    const rebuilt = await dev.waitFor(/\[tsc-micro\] rebuilt: (.*)/, mark);
    assert.equal(rebuilt[1], "restarted cheapest, total; unchanged checkout, label, shout");
    assert.match(dev.output().slice(mark), /\[tsc-micro\] incremental rebuild: priceOf's body in src\/prices\.ts changed/);
    assert.equal(count(dev.output().slice(mark), /restarted with its new bundle/), 2);
    for (const service of ["cheapest", "total"]) pids.push(Number((await dev.waitFor(new RegExp(`${service} restarted with its new bundle at \\S+ \\(pid (\\d+)\\)`), mark))[1]));
    for (const service of ["checkout", "label", "shout"]) assert.ok(alive(first.get(service)!.pid), `${service} keeps its process`);
    assert.deepEqual(await call(url("total", "total"), ITEMS), { status: 200, body: 241 });
    assert.deepEqual(await call(url("checkout", "checkout"), ITEMS), { status: 200, body: 241 }, "checkout calls the restarted total");
    await dev.waitFor(/\[tsc-micro\] checked: no errors/, mark);

    // A type error in a body: the service restarts with it, then the check reports it.
    mark = dev.output().length;
    editFile(dir, "src/labels.ts", "  return `label:${name}`;", '  const n: number = "not a number";\n  return `label: ${name}`;');
    assert.equal((await dev.waitFor(/\[tsc-micro\] rebuilt: (.*)/, mark))[1], "restarted label; unchanged cheapest, checkout, shout, total");
    pids.push(Number((await dev.waitFor(/label restarted with its new bundle at \S+ \(pid (\d+)\)/, mark))[1]));
    await dev.waitFor(/\[tsc-micro\] check failed: the services run the edited code/, mark);
    assert.match(dev.output().slice(mark), /src\/labels\.ts\(6,9\): error TS2322/);
    assert.deepEqual(await call(url("label", "label"), { name: "pear" }), { status: 200, body: "label: pear" });
    mark = dev.output().length;
    editFile(dir, "src/labels.ts", '  const n: number = "not a number";\n', "");
    await dev.waitFor(/\[tsc-micro\] rebuilt: restarted label;/, mark);
    await dev.waitFor(/\[tsc-micro\] checked: no errors/, mark);
    pids.push(Number((await dev.waitFor(/label restarted with its new bundle at \S+ \(pid (\d+)\)/, mark))[1]));

    // A signature: the whole build (type check first); the service answers to the new parameter.
    mark = dev.output().length;
    editFile(dir, "src/labels.ts", "export function label(name: string) {\n  return `label: ${name}`;", 'export function label(name: string, suffix = "") {\n  return `label: ${name}${suffix}`;');
    assert.equal((await dev.waitFor(/\[tsc-micro\] rebuilt: (.*)/, mark))[1], "restarted label; unchanged cheapest, checkout, shout, total");
    assert.match(dev.output().slice(mark), /\[tsc-micro\] full rebuild: the change is not inside one function's body/);
    pids.push(Number((await dev.waitFor(/label restarted with its new bundle at \S+ \(pid (\d+)\)/, mark))[1]));
    assert.deepEqual(await call(url("label", "label"), { name: "pear", suffix: "!" }), { status: 200, body: "label: pear!" });

    // What dev wrote is what a whole build of these sources writes.
    const wholeDir = tempOutDir("e2e-dev-incremental-whole");
    const whole = await build({ project: path.join(dir, "tsconfig.json"), outDir: wholeDir, typeCheck: false });
    assert.ok(whole.success, JSON.stringify(whole.diagnostics));
    const outDir = path.join(dir, "dist");
    const written = filesUnder(outDir).map((f) => path.relative(outDir, f)).sort();
    assert.deepEqual(written, filesUnder(wholeDir).map((f) => path.relative(wholeDir, f)).sort());
    assert.deepEqual(written.filter((rel) => !readFileSync(path.join(outDir, rel)).equals(readFileSync(path.join(wholeDir, rel)))), []);

    process.kill(-dev.child.pid!, "SIGINT");
    assert.equal(await dev.exited, 0, dev.output());
    for (let i = 0; i < 400 && pids.some(alive); i++) await new Promise((resolve) => setTimeout(resolve, 25));
    assert.deepEqual(pids.filter(alive), [], "every service process has exited");
  } finally {
    killDev(dev, pids);
  }
});
