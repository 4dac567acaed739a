/**
 * The Node listener's direct path for `POST /<function>`: the same pipeline as Hono's route
 * (create-app.ts) fed from Node's request and written with one writeHead and end, without
 * @hono/node-server's Request and Response objects or Hono's dispatch. On a trivial function those
 * layers and the garbage they leave were most of a call's CPU (see the README's "Performance").
 * Everything else — other methods, `/<function>/`, `%24` spellings, `/` of a one-function
 * service, a query string, health, /metrics, /openapi.json, 404s — goes on to Hono.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { PlainAnswer, writeAnswer, writePlainAnswer } from "./answer.js";
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
    // Plain functions rather than async ones and catch/then chains: each layer is a promise and a
    // microtask per call (bench section 6 counts them); a result is observed and written at once.
    serve(request).then(answer, function hostFailed(thrown: unknown): void {
      answer(calls.hostFailure(thrown));
    });
    function answer(outcome: Answer): void {
      let observed: void | Promise<void>;
      try {
        observed = calls.telemetry.observe({
          method: "POST",
          path,
          status: outcome.status,
          seconds: (performance.now() - start) / 1000,
          headers,
          span: request.span,
          answer: outcome,
          echo: (name, value) => {
            if (!res.headersSent) res.setHeader(name, value);
          },
        });
      } catch {
        // A bug in the line's writing: the caller still gets nothing half-written.
        cannotAnswer();
        return;
      }
      // An error's line reads the answer first (a promise); a result's line is written at once.
      if (observed === undefined) write(outcome);
      else observed.then(() => write(outcome), cannotAnswer);
    }
    function write(outcome: Answer): void {
      // A caller that left gets nothing (the line above says what it would have got).
      if (res.destroyed || res.writableEnded) return;
      if (outcome instanceof PlainAnswer) {
        try {
          writePlainAnswer(res, outcome);
        } catch {
          cannotAnswer();
        }
      } else writeAnswer(res, outcome).catch(cannotAnswer);
    }
    function cannotAnswer(): void {
      // Writing failed: the connection is gone.
      res.destroy();
    }
  };
}
