// POST /isEven with Hono on @hono/node-server (what generated services run on), validated by hand.
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { BAD_REQUEST, HOST, PORT, isArgs, isEven, listening, onStop } from "./common.ts";

const app = new Hono();
app.get("/health/live", (c) => c.json({ status: "ok" }));
app.post("/isEven", async (c) => {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    return c.body(BAD_REQUEST, 400, { "content-type": "application/json" });
  }
  if (!isArgs(body)) return c.body(BAD_REQUEST, 400, { "content-type": "application/json" });
  return c.json(isEven(body.x));
});

const server = serve({ fetch: app.fetch, port: PORT, hostname: HOST }, (info: AddressInfo) => listening("hono-plain", info.port));
onStop(() => server.close());
