// 3. The Service Weaver question: the same shop built three ways (one service per
// function, colocated groups, one monolith service) and loaded through its front
// service, checkout.
import assert from "node:assert/strict";
import path from "node:path";
import { checkout as localCheckout } from "../fixtures/shop/src/checkout.ts";
import type { Order } from "../fixtures/shop/src/types.ts";
import { WORK } from "../lib/config.ts";
import { post } from "../lib/check.ts";
import { failures, load } from "../lib/load.ts";
import type { LoadResult } from "../lib/load.ts";
import { buildOrThrow, startProgram } from "../lib/programs.ts";
import type { BuildRequest, RunningProgram } from "../lib/programs.ts";
import type { Section } from "../lib/section.ts";
import { fmt, mib, ratio, table } from "../lib/stats.ts";
import { shopProject } from "./shared.ts";

const ORDERS: Order[] = [
  { customerId: "c-1", country: "NL", lines: [{ sku: "sku-001", qty: 2 }, { sku: "sku-017", qty: 1 }, { sku: "sku-042", qty: 3 }] },
  { customerId: "c-2", country: "US", coupon: "SAVE10", lines: [{ sku: "sku-003", qty: 1 }, { sku: "sku-020", qty: 4 }, { sku: "sku-033", qty: 1 }] },
];

interface Way {
  id: string;
  label: string;
  options: Omit<BuildRequest, "project" | "outDir">;
  /** Calls between processes per checkout of a 3-line order, by the shape of the code. */
  hops: number;
}

const WAYS: Way[] = [
  { id: "split", label: "split: one service per function", options: {}, hops: 7 },
  {
    id: "colocated",
    label: "colocated: [checkout, cart, shipping] + [pricing, catalog, inventory]",
    options: { colocate: [["checkout", "cart", "shipping"], ["pricing", "catalog", "inventory"]] },
    hops: 2,
  },
  { id: "monolith", label: "monolith: `mode: \"monolith\"`", options: { mode: "monolith" }, hops: 0 },
];

export const weaver: Section = {
  id: 3,
  title: "The Service Weaver question: split, colocated or monolith",
  async run(config) {
    const rows: (string | number)[][] = [];
    let base: LoadResult | undefined;
    const results: { way: Way; r: LoadResult; processes: number; rssKiB: number }[] = [];
    for (const way of WAYS) {
      const built = await buildOrThrow({ project: shopProject, outDir: path.join(WORK, `shop-${way.id}`, "dist"), ...way.options });
      let program: RunningProgram | undefined;
      try {
        program = await startProgram(built);
        const url = `${program.urlOf("checkout")}/checkout`;
        for (const order of ORDERS) {
          const r = await post(url, JSON.stringify({ order }));
          assert.equal(r.status, 200, `${way.id}: checkout answered ${r.status} ${JSON.stringify(r.body)}`);
          assert.deepEqual(r.body, JSON.parse(JSON.stringify(localCheckout(order))), `${way.id}: checkout differs from the monolith run in-process`);
        }
        process.stdout.write(`  load ${way.label} (${built.services.length} process${built.services.length === 1 ? "" : "es"}) … `);
        const r = await load({ url: program.urlOf("checkout"), path: "/checkout", bodies: ORDERS.map((order) => JSON.stringify({ order })) }, config);
        console.log(`${fmt(r.rps)} req/s`);
        const rssKiB = Object.values(program.servers).reduce((sum, s) => sum + (s.rssKiB() ?? 0), 0);
        results.push({ way, r, processes: built.services.length, rssKiB });
      } finally {
        await program?.stop();
      }
    }
    base = results.find((x) => x.way.id === "monolith")?.r;
    for (const { way, r, processes, rssKiB } of results) {
      rows.push([way.label, processes, way.hops, fmt(r.rps), ratio(r.rps, base?.rps ?? NaN), fmt(r.p50Ms, 2), fmt(r.p99Ms, 2), mib(rssKiB), failures(r)]);
    }
    return {
      method: [
        "bench/fixtures/shop: six tagged functions in six services (catalog, pricing, inventory, shipping, cart, checkout) sharing interface types; `checkout(order)` calls cart and shipping, cart calls pricing and inventory, pricing calls catalog once per order line.",
        "Built three ways with `build()`: split (default), `colocate` groups, `mode: \"monolith\"`; every service of a build started as its own process on 127.0.0.1, dependencies first, each given the others' URLs by TSC_MICRO_<SERVICE>_URL.",
        "Each build is checked first: its checkout answers equal (deepEqual) what the source's `checkout()` returns run in-process.",
        `Load on the front service only: POST /checkout with two 3-line orders alternately; autocannon ${config.connections} connections, pipelining 1, ${config.warmupS} s warm-up + ${config.durationS} s measured; one build at a time (the others stopped).`,
        "*hops*: calls between processes per checkout, from the code's shape (3-line orders). *RSS*: all of the build's processes, summed, read from /proc after the load.",
      ],
      body: table(["build", ">processes", ">hops per request", ">req/s", ">vs monolith", ">p50 ms", ">p99 ms", ">RSS after load", "failed"], rows),
    };
  },
};
