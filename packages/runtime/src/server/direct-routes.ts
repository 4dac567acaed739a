/**
 * The Node listener's direct path for `POST /<function>`: the same pipeline as Hono's route
 * (create-app.ts) fed from Node's request and written with one writeHead and end, without
 * @hono/node-server's Request and Response objects or Hono's dispatch. On a trivial function those
 * layers and the garbage they leave were most of a call's CPU (see the README's "Performance").
 * Everything else — other methods, `/<function>/`, `%24` spellings, `/` of a one-function
 * service, a query string, health, /metrics, /openapi.json, 404s — goes on to Hono.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { writeAnswer } from "./answer.js";
import type { Answer } from "./answer.js";
import { nodeCallRequest } from "./call-request.js";
import type { ServiceCalls } from "./create-app.js";
import { NodeHeaders } from "./request-headers.js";

export function directRoutes(calls: ServiceCalls, fallback: RequestListener): RequestListener {
  const byPath = new Map([...calls.routes].map(([name, serve]) => [`/${name}` as string, serve]));
  return function listener(req: IncomingMessage, res: ServerResponse): void {
    const path = req.url ?? "";
    const serve = req.method === "POST" ? byPath.get(path) : undefined;
    if (serve === undefined) {
      fallback(req, res);
      return;
    }
    const start = performance.now();
    const headers = new NodeHeaders(req.headers);
    const request = nodeCallRequest(req, res, path, headers);
    serve(request)
      .catch((thrown: unknown) => calls.hostFailure(thrown))
      .then(async function answer(answer: Answer): Promise<void> {
        await calls.telemetry.observe({
          method: "POST",
          path,
          status: answer.status,
          seconds: (performance.now() - start) / 1000,
          headers,
          span: request.span,
          answer,
          echo: (name, value) => {
            if (!res.headersSent) res.setHeader(name, value);
          },
        });
        // A caller that left gets nothing (the line above says what it would have got).
        if (res.destroyed || res.writableEnded) return;
        await writeAnswer(res, answer);
      })
      .catch(function cannotAnswer(): void {
        // Writing failed: the connection is gone.
        res.destroy();
      });
  };
}
