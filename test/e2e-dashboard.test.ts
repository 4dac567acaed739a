// The `tsc-micro dev` dashboard in a real browser: playwright-core drives Debian's chromium
// (/usr/bin/chromium, installed by .ci/run through apt, never downloaded by Playwright) against
// `tsc-micro dev` on a copy of examples/parity. The page lists the 4 services as up, renders each
// function's reference from the OpenAPI documents, calls isOdd({ x: 7 }) from its form and shows
// `true`, shows that call's trace across is-odd → is-even (the runtime's spans, collected by the
// dev preload), shows is-even as down while it is paused (SIGSTOP) and up again after SIGCONT.
// A screenshot is saved to .tmp/dashboard.png. Counts and order only; every process killed in `finally`.
import assert from "node:assert/strict";
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { chromium } from "playwright-core";
import type { Browser, Page } from "playwright-core";
import { alive, copyParity, killDev, readyServices, startDevCli } from "./helpers/dev-cli.ts";
import { REPO } from "./helpers/paths.ts";

const CHROMIUM = "/usr/bin/chromium";
const WAIT = { timeout: 60_000, polling: 100 } as const;

async function healthOf(page: Page): Promise<Record<string, string>> {
  return page.evaluate(() =>
    Object.fromEntries([...document.querySelectorAll("#services tr[data-service]")].map((row) => [row.getAttribute("data-service"), row.querySelector(".health")!.getAttribute("data-health")])),
  );
}

async function waitForHealth(page: Page, expected: Record<string, string>): Promise<void> {
  await page.waitForFunction(
    (want) => {
      const rows = [...document.querySelectorAll("#services tr[data-service]")];
      const seen = Object.fromEntries(rows.map((row) => [row.getAttribute("data-service"), row.querySelector(".health")!.getAttribute("data-health")]));
      return JSON.stringify(seen, Object.keys(want).sort()) === JSON.stringify(want, Object.keys(want).sort()) && rows.length === Object.keys(want).length;
    },
    expected,
    WAIT,
  );
}

test("the dev dashboard shows the services, calls a function, draws its trace and follows health", { timeout: 240_000, skip: existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium; .ci/run does)` }, async () => {
  const dir = copyParity("e2e-dashboard");
  const dev = startDevCli(dir, ["--no-type-check"]);
  let pids: number[] = [];
  let browser: Browser | undefined;
  let paused: number | undefined;
  try {
    await dev.waitFor(/4 services running\./);
    const dashboardUrl = (await dev.waitFor(/\[tsc-micro\] dashboard\s+(http:\/\/127\.0\.0\.1:\d+)/))[1]!;
    const services = readyServices(dev.output());
    pids = [...services.values()].map((s) => s.pid);
    assert.deepEqual([...services.keys()].sort(), ["factorial", "fib", "is-even", "is-odd"]);

    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await page.goto(dashboardUrl);

    // The services, each up, with its URL and pid as dev printed them.
    await waitForHealth(page, { factorial: "up", fib: "up", "is-even": "up", "is-odd": "up" });
    const rows = await page.$$eval("#services tr[data-service]", (trs) => trs.map((tr) => [tr.getAttribute("data-service"), tr.querySelector("a")!.textContent, Number(tr.querySelector(".pid")!.textContent)]));
    assert.deepEqual(rows.sort(), [...services].map(([name, s]) => [name, s.url, s.pid]).sort());

    // The API reference, from the OpenAPI documents: one function per service, isOdd's argument typed.
    await page.waitForFunction(() => document.querySelectorAll("article.fn").length === 4, undefined, WAIT);
    const functions = await page.$$eval("article.fn", (articles) => articles.map((a) => `${a.getAttribute("data-service")}/${a.getAttribute("data-function")}`));
    assert.deepEqual(functions.sort(), ["factorial/factorial", "fib/fib", "is-even/isEven", "is-odd/isOdd"]);
    const isOdd = page.locator('article.fn[data-function="isOdd"]');
    assert.deepEqual(await isOdd.locator("table.params tbody tr td:first-child").allTextContents(), ["x"]);
    assert.match((await isOdd.locator("table.params tbody tr td.type").textContent())!, /^number\b/);
    assert.equal(await isOdd.locator(".result code").textContent(), "boolean");

    // A call from the form: the answer and its status.
    await isOdd.locator("textarea").fill(`{"x": 7}`);
    await isOdd.locator("button").click();
    await page.waitForFunction(() => document.querySelector('article.fn[data-function="isOdd"] .answer')?.hasAttribute("data-status"), undefined, WAIT);
    assert.equal(await isOdd.locator(".answer").getAttribute("data-status"), "200");
    assert.equal(await isOdd.locator(".answer").textContent(), "200true");

    // Its trace, live: is-odd's server span, its client call to is-even under it, is-even's server span under that.
    const trace = page.locator(".trace", { has: page.locator('.span-row[data-name="POST /isOdd"]') });
    await page.waitForFunction(
      () => [...document.querySelectorAll(".trace")].some((t) => t.querySelector('.span-row[data-name="POST /isOdd"]') && t.querySelector('.span-row[data-service="is-even"][data-name="POST /isEven"]')),
      undefined,
      WAIT,
    );
    assert.equal(await trace.count(), 1, "one trace for the one call");
    const spans = await trace.locator(".span-row").evaluateAll((divs) => divs.map((d) => [d.getAttribute("data-service"), d.getAttribute("data-name"), d.getAttribute("data-depth")]));
    assert.deepEqual(spans, [
      ["is-odd", "POST /isOdd", "0"],
      ["is-odd", "is-even/isEven", "1"],
      ["is-even", "POST /isEven", "2"],
    ]);

    // A paused is-even (the supervisor restarts exits, not pauses) shows as down; resumed, up.
    paused = services.get("is-even")!.pid;
    process.kill(paused, "SIGSTOP");
    await waitForHealth(page, { factorial: "up", fib: "up", "is-even": "down", "is-odd": "up" });
    process.kill(paused, "SIGCONT");
    paused = undefined;
    await waitForHealth(page, { factorial: "up", fib: "up", "is-even": "up", "is-odd": "up" });
    assert.deepEqual(await healthOf(page), { factorial: "up", fib: "up", "is-even": "up", "is-odd": "up" });

    mkdirSync(path.join(REPO, ".tmp"), { recursive: true });
    const screenshot = path.join(REPO, ".tmp", "dashboard.png");
    await page.screenshot({ path: screenshot, fullPage: true });
    console.log(`dashboard screenshot: ${screenshot}`);

    // Ctrl-C stops dev, its dashboard and the services.
    await browser.close();
    browser = undefined;
    process.kill(-dev.child.pid!, "SIGINT");
    assert.equal(await dev.exited, 0, dev.output());
    for (let i = 0; i < 400 && pids.some(alive); i++) await new Promise((resolve) => setTimeout(resolve, 25));
    assert.deepEqual(pids.filter(alive), []);
  } finally {
    if (paused !== undefined && alive(paused)) process.kill(paused, "SIGCONT");
    await browser?.close().catch(() => {});
    killDev(dev, pids);
  }
});
