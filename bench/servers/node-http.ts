// POST /isEven with raw node:http: read the body, JSON.parse, check, answer.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { BAD_REQUEST, HOST, PORT, isArgs, isEven, listening, onStop } from "./common.ts";

const MAX_BODY = 1 << 20;

function send(res: http.ServerResponse, status: number, body: string): void {
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

const server = http.createServer((req, res) => {
  if (req.url === "/health/live" && req.method === "GET") return send(res, 200, '{"status":"ok"}');
  if (req.url !== "/isEven") return send(res, 404, '{"error":{"message":"not found","code":"NOT_FOUND"}}');
  if (req.method !== "POST") return send(res, 405, '{"error":{"message":"method not allowed","code":"METHOD_NOT_ALLOWED"}}');
  const chunks: Buffer[] = [];
  let size = 0;
  req.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_BODY) {
      send(res, 413, '{"error":{"message":"too large","code":"PAYLOAD_TOO_LARGE"}}');
      req.destroy();
    } else chunks.push(chunk);
  });
  req.on("end", () => {
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      return send(res, 400, BAD_REQUEST);
    }
    if (!isArgs(body)) return send(res, 400, BAD_REQUEST);
    send(res, 200, JSON.stringify(isEven(body.x)));
  });
});

server.listen(PORT, HOST, () => listening("node-http", (server.address() as AddressInfo).port));
onStop(() => server.close());
