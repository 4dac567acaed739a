// POST /isEven with Hono on @hono/node-server, validated by @hono/zod-validator (zod 4).
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { zValidator } from "@hono/zod-validator";
import { Hono } from "hono";
import { z } from "zod";
import { BAD_REQUEST, HOST, PORT, isEven, listening, onStop } from "./common.ts";

const args = z.strictObject({ x: z.number() });

const app = new Hono();
app.get("/health/live", (c) => c.json({ status: "ok" }));
app.post(
  "/isEven",
  zValidator("json", args, (result, c) => {
    if (!result.success) return c.body(BAD_REQUEST, 400, { "content-type": "application/json" });
  }),
  (c) => c.json(isEven(c.req.valid("json").x)),
);

const server = serve({ fetch: app.fetch, port: PORT, hostname: HOST }, (info: AddressInfo) => listening("hono-zod", info.port));
onStop(() => server.close());
