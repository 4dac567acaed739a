import assert from "node:assert/strict";
import { test } from "node:test";
import type { ComponentIR } from "../src/model/ir.ts";
import { documentContext, mergedDocument, serviceDocument } from "../src/emit/openapi.ts";
import { param, plan, route, service } from "./helpers/sample-plan.ts";

const components: Record<string, ComponentIR> = {
  User: { name: "User", type: { kind: "object", properties: [{ name: "id", type: { kind: "string" }, optional: false }] } },
  Order: { name: "Order", type: { kind: "object", properties: [{ name: "n", type: { kind: "number" }, optional: false }] } },
};
const users = service("users", [
  route("getUser", [param("id", { kind: "string" })], { kind: "ref", name: "User" }, { docs: { params: {}, description: "Finds a user. By id.\n\nMore.", deprecated: true } }),
  route("ping", [param("n", { kind: "number" }, true)], null),
], { components: ["User"] });
const orders = service("orders", [route("order", [], { kind: "ref", name: "Order" })], { components: ["Order"] });
const p = plan([users, orders], components);

test("a service document: POST per route, 200/204, errors, summaries, no authentication", () => {
  const doc = serviceDocument(p, users);
  assert.equal(doc.openapi, "3.1.0");
  assert.deepEqual(doc.info, { title: "users", version: "1.2.3", description: doc.info.description });
  assert.deepEqual(Object.keys(doc.paths!), ["/getUser", "/ping"]);
  const get = doc.paths!["/getUser"]!.post!;
  assert.equal(get.summary, "Finds a user.");
  assert.equal(get.deprecated, true);
  assert.deepEqual(Object.keys(get.responses!), ["200", "400", "500"]);
  const ping = doc.paths!["/ping"]!.post!;
  assert.equal(ping.summary, "ping(n)");
  assert.equal((ping.requestBody as { required: boolean }).required, false);
  assert.deepEqual(Object.keys(ping.responses!), ["204", "400", "500"]);
  assert.deepEqual(Object.keys(doc.components!.schemas!).sort(), ["TscMicroError", "TscMicroValidationIssue", "User"]);
  assert.deepEqual(doc.security, []);
  assert.deepEqual(doc.servers, [{ url: "http://users:3000", description: "In-cluster address; override with TSC_MICRO_USERS_URL" }]);
});

test("the merged document: every path with its own service's server, every component once", () => {
  const doc = mergedDocument(p);
  assert.equal(doc.servers, undefined);
  assert.deepEqual(doc.paths!["/order"]!.servers, [{ url: "http://orders:3000" }]);
  assert.deepEqual(doc.paths!["/getUser"]!.servers, [{ url: "http://users:3000" }]);
  assert.deepEqual(Object.keys(doc.components!.schemas!).sort(), ["Order", "TscMicroError", "TscMicroValidationIssue", "User"]);
  assert.deepEqual(doc.tags!.map((t) => t.name), ["users", "orders"]);
  assert.equal(JSON.stringify(mergedDocument(p)), JSON.stringify(doc), "deterministic");
});

test("documents made with one context per build (as emit does) equal those made alone; operationIds as before", () => {
  const spelled = service("spelled", [route("café", [], null), route("cafe", [], null)]);
  const q = plan([users, orders, spelled], components);
  const context = documentContext(q);
  assert.deepEqual([...context.operationIds], [["getUser", "getUser"], ["ping", "ping"], ["order", "order"], ["cafe", "cafe"], ["café", "cafe_2"]]);
  for (const s of q.services) assert.equal(JSON.stringify(serviceDocument(q, s, context)), JSON.stringify(serviceDocument(q, s)), s.name);
  assert.equal(JSON.stringify(mergedDocument(q, context)), JSON.stringify(mergedDocument(q)));
});
