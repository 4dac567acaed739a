/**
 * The request headers as the hot path reads them, without a WHATWG `Headers`:
 * on Node, @hono/node-server builds one on the first `c.req.raw.headers` (every
 * name and value validated and copied), while the IncomingMessage holds them
 * parsed already. In memory (`app.request()`, other runtimes) the Request's own.
 */
import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import type { Context } from "hono";

/** The part of `Headers` the service reads; names in lower case. */
export interface HeaderReader {
  get(name: string): string | null;
  has(name: string): boolean;
}

export function requestHeaders(c: Context): HeaderReader {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  return incoming !== undefined && typeof incoming.headers === "object" ? new NodeHeaders(incoming.headers) : c.req.raw.headers;
}

/**
 * Node's parsed headers. A repeated header reads as Headers would (values joined by ", "), but
 * for the ones Node keeps only once (content-type, content-length, host…): the first.
 */
export class NodeHeaders implements HeaderReader {
  constructor(private readonly headers: IncomingHttpHeaders) {}

  get(name: string): string | null {
    const value = this.headers[name];
    if (value === undefined) return null;
    return typeof value === "string" ? value : value.join(", ");
  }

  has(name: string): boolean {
    return this.headers[name] !== undefined;
  }
}
