/**
 * A call of a function route as the pipeline (create-app.ts) reads it, from either side: Hono's
 * context (every route, `app.request()` in memory) or Node's own request and response (the direct
 * listener for `POST /<function>`, direct-routes.ts), so both run the same code.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Context } from "hono";
import type { Span } from "@opentelemetry/api";
import { requestBody } from "./read-arguments.js";
import type { BodyReader } from "./read-arguments.js";
import { requestHeaders } from "./request-headers.js";
import type { HeaderReader } from "./request-headers.js";

const NEVER = new AbortController().signal;

export interface CallRequest {
  /** The path as requested, for messages. */
  readonly path: string;
  readonly headers: HeaderReader;
  readonly body: BodyReader;
  /** Node's response, whose early close means the caller left; undefined in memory. */
  readonly outgoing: ServerResponse | undefined;
  /** The request's abort signal (in memory, where there is no Node response to watch). */
  callerSignal(): AbortSignal;
  /** The call's server span, set by the pipeline for the log line and metrics. */
  span?: Span;
}

export function honoCallRequest(c: Context): CallRequest {
  return {
    path: c.req.path,
    headers: requestHeaders(c),
    body: requestBody(c.req.raw),
    outgoing: (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing,
    callerSignal: () => c.req.raw.signal,
  };
}

export function nodeCallRequest(req: IncomingMessage, res: ServerResponse, path: string, headers: HeaderReader): CallRequest {
  return {
    path,
    headers,
    body: incomingBody(req),
    outgoing: res,
    // Unused: the response is watched instead.
    callerSignal: () => NEVER,
  };
}

/**
 * Node's request body, counted as it comes: `undefined` past `limit` (what is left is discarded by
 * Node once the answer is sent). A caller that leaves mid-body rejects; nobody is left to answer.
 */
function incomingBody(req: IncomingMessage): BodyReader {
  return function readIncoming(limit) {
    return new Promise<Uint8Array | undefined>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      // The listeners stay on the request, which ends with the call: removing four listeners cost
      // ~1.5 k instructions a call (callgrind, bench section 6's method). What comes after the
      // promise settled (a close after the end, say) settles nothing.
      function onData(chunk: Buffer): void {
        size += chunk.length;
        if (size > limit) {
          req.removeListener("data", onData);
          req.pause();
          resolve(undefined);
          return;
        }
        chunks.push(chunk);
      }
      function onEnd(): void {
        const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
        // The listener outlives the read: the chunks need not (a large body joined is held once).
        chunks.length = 0;
        resolve(body);
      }
      function onClose(): void {
        if (!req.complete) reject(new Error("the caller closed the connection before sending the whole body"));
      }
      req.on("data", onData);
      req.on("end", onEnd);
      req.on("error", reject);
      req.on("close", onClose);
    });
  };
}
