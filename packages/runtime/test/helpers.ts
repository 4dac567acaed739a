/**
 * Shared fixtures: a small service definition with Ajv-compiled validators
 * (the same kind of validators the compiler emits), and servers on port 0.
 */
import { createServer } from "node:http";
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Ajv } from "ajv";
import { startService } from "../src/server/index.js";
import type { RouteDef, RunningService, ServiceDef, StartOptions, ValidateFunction } from "../src/server/index.js";

const ajv = new Ajv({ allErrors: true });

/** Compiles a schema for a body of named arguments (no extra arguments allowed). */
export function argsValidator(
  properties: Record<string, object>,
  required: string[] = Object.keys(properties),
): ValidateFunction {
  return ajv.compile({ type: "object", properties, required, additionalProperties: false }) as ValidateFunction;
}

export function route(partial: Partial<RouteDef> & Pick<RouteDef, "name" | "invoke">): RouteDef {
  return { params: [], validate: argsValidator({}), returnsVoid: false, ...partial };
}

export const OPENAPI = { openapi: "3.1.0", info: { title: "math", version: "1.0.0" }, paths: {} };

export function mathService(): ServiceDef {
  return {
    name: "math",
    openapi: OPENAPI,
    routes: [
      route({
        name: "isEven",
        params: ["x"],
        validate: argsValidator({ x: { type: "number" } }),
        invoke: (args) => (args.x as number) % 2 === 0,
      }),
      route({
        name: "tag",
        params: ["user"],
        validate: argsValidator({
          user: {
            type: "object",
            properties: { tags: { type: "array", items: { type: "string" } } },
            required: ["tags"],
            additionalProperties: false,
          },
        }),
        invoke: (args) => args.user,
      }),
      route({ name: "nothing", invoke: () => undefined }),
      route({ name: "log", returnsVoid: true, invoke: async () => "ignored" }),
      route({
        name: "fail",
        invoke: () => {
          throw new RangeError("x out of range");
        },
      }),
      route({
        name: "failWith",
        params: ["value"],
        validate: argsValidator({ value: {} }),
        invoke: (args) => {
          throw args.value;
        },
      }),
    ],
  };
}

/** startService on 127.0.0.1:0 without signal handlers or console output. */
export function startQuiet(def: ServiceDef, options: StartOptions = {}): Promise<RunningService> {
  return startService(def, {
    port: 0,
    host: "127.0.0.1",
    handleSignals: false,
    log: () => {},
    logError: () => {},
    logLevel: "silent",
    ...options,
  });
}

/** A plain node:http server on 127.0.0.1:0, for servers that misbehave on purpose. */
export async function rawServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * POST helper for in-memory app tests. A body is sent as `application/json`, as the client
 * sends it (a bare string body would otherwise go as text/plain, which the server refuses);
 * `headers` may override that.
 */
export function post(body: string | Uint8Array | undefined, headers: Record<string, string> = {}): RequestInit {
  return body === undefined
    ? { method: "POST", headers }
    : { method: "POST", body: body as BodyInit, headers: { "content-type": "application/json", ...headers } };
}

/**
 * A downstream service for client tests: pushes each request's headers onto `seen` and answers
 * `true`; the next `refuseNext(n)` requests get a 503 UNAVAILABLE with `Retry-After: 0` instead.
 */
export async function recordingDownstream(seen: IncomingHttpHeaders[]) {
  let refusals = 0;
  const server = await rawServer((req, res) => {
    seen.push(req.headers);
    req.resume();
    req.on("end", () => {
      if (refusals > 0) {
        refusals--;
        res.writeHead(503, { "content-type": "application/json", "retry-after": "0" });
        res.end(JSON.stringify({ error: { name: "ServiceError", code: "UNAVAILABLE", message: "busy" } }));
        return;
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end("true");
    });
  });
  return {
    ...server,
    refuseNext(count: number): void {
      refusals = count;
    },
  };
}

