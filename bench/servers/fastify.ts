// POST /isEven with Fastify 5, validated by its route JSON schema (Fastify's own Ajv),
// answered through a response schema (fast-json-stringify), as a Fastify user would write it.
import Fastify from "fastify";
import type { AddressInfo } from "node:net";
import { HOST, PORT, isEven, listening, onStop } from "./common.ts";

const app = Fastify({
  logger: false,
  // Fastify's defaults would coerce "7" to 7 and drop unknown properties;
  // reject them instead, as the generated service does.
  ajv: { customOptions: { coerceTypes: false, removeAdditional: false } },
});

app.get("/health/live", async () => ({ status: "ok" }));
app.post<{ Body: { x: number } }>(
  "/isEven",
  {
    schema: {
      body: { type: "object", properties: { x: { type: "number" } }, required: ["x"], additionalProperties: false },
      response: { 200: { type: "boolean" } },
    },
  },
  async (req) => isEven(req.body.x),
);

await app.listen({ port: PORT, host: HOST });
listening("fastify", (app.server.address() as AddressInfo).port);
onStop(() => void app.close());
