/**
 * What the function-route pipeline answers: a `Response` (every error, a replayed outcome) or, for
 * a function's own result, a plain status and body. The plain form exists for the Node listener
 * (direct-routes.ts), which writes it with one writeHead and end: a WHATWG Response there costs a
 * Headers object, a body stream and @hono/node-server's conversion back to Node's response.
 */
import type { ServerResponse } from "node:http";

export class PlainAnswer {
  constructor(
    readonly status: number,
    /** The JSON text, or null for a 204. */
    readonly body: string | null,
  ) {}
}

export type Answer = Response | PlainAnswer;

export const JSON_CONTENT_TYPE = "application/json; charset=UTF-8";

/** As a Response (Hono's routes, app.request()). */
export function toResponse(answer: Answer): Response {
  if (!(answer instanceof PlainAnswer)) return answer;
  return answer.body === null
    ? new Response(null, { status: answer.status })
    : new Response(answer.body, { status: answer.status, headers: { "content-type": JSON_CONTENT_TYPE } });
}

/** Writes a plain answer on Node's response in one go, without a promise. */
export function writePlainAnswer(res: ServerResponse, answer: PlainAnswer): void {
  if (answer.body === null) {
    res.writeHead(answer.status);
    res.end();
  } else {
    res.writeHead(answer.status, { "content-type": JSON_CONTENT_TYPE, "content-length": Buffer.byteLength(answer.body) });
    res.end(answer.body);
  }
}

/** Writes `answer` on Node's response: a plain one in one go, a Response with its headers and body. */
export async function writeAnswer(res: ServerResponse, answer: Answer): Promise<void> {
  if (answer instanceof PlainAnswer) {
    writePlainAnswer(res, answer);
    return;
  }
  const body = answer.body === null ? null : Buffer.from(await answer.arrayBuffer());
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of answer.headers) {
    // Headers joins repeated set-cookie values; keep them apart as Node expects.
    if (name === "set-cookie") headers[name] = answer.headers.getSetCookie();
    else headers[name] = value;
  }
  if (body !== null) headers["content-length"] = String(body.length);
  res.writeHead(answer.status, headers);
  res.end(body ?? undefined);
}
