// POST /isEven with Express 5 and express.json(), validated by hand.
import type { AddressInfo } from "node:net";
import express from "express";
import type { NextFunction, Request, Response } from "express";
import { BAD_REQUEST, HOST, PORT, isArgs, isEven, listening, onStop } from "./common.ts";

const app = express();
app.use(express.json());
app.get("/health/live", (_req, res) => {
  res.json({ status: "ok" });
});
app.post("/isEven", (req, res) => {
  if (!isArgs(req.body)) {
    res.status(400).type("application/json").send(BAD_REQUEST);
    return;
  }
  res.json(isEven(req.body.x));
});
// Malformed JSON from express.json(): a 400 with a JSON body rather than Express's HTML page.
app.use((err: { status?: number }, _req: Request, res: Response, _next: NextFunction) => {
  const status = err.status ?? 500;
  res.status(status).type("application/json").send(status === 400 ? BAD_REQUEST : '{"error":{"message":"failed","code":"INTERNAL"}}');
});

const server = app.listen(PORT, HOST, () => listening("express", (server.address() as AddressInfo).port));
onStop(() => server.close());
