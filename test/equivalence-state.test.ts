// The fixes TSM3101/TSM3102 suggest give the monolith's answers: the shop of
// issue 8 (diag-state-shop) colocated by configuration or built in monolith
// mode, and diag-state-shop-colocated (service=shop on every tag), answer
// `checkout("A1")` exactly as the program run in one process does. The
// monolith's state carries over from call to call, and so must the services'.
// (The monolith's modules are loaded once for all the ways, so every call
// gives the same answer whatever an earlier way left in them.)
import { describe } from "node:test";
import type { Call } from "./helpers/equivalence.ts";
import { buildWays, each1 } from "./helpers/equivalence-calls.ts";

function shopCalls(): Call[] {
  return [...each1("checkout", ["A1", "B2"]), ...each1("findOrder", ["A1", "B2", "C3"]), ...each1("checkout", ["A1"])];
}

describe("diag-state-shop, built the ways its diagnostics suggest", () => {
  buildWays("diag-state-shop", shopCalls, {
    colocated: { colocate: [["orders", "lookup", "billing", "checkout"]] },
    monolith: { mode: "monolith" },
  });
});

describe("diag-state-shop-colocated", () => {
  buildWays("diag-state-shop-colocated", shopCalls, { split: {} });
});
