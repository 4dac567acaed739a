/**
 * Reads a request body into the named-arguments object. Strict about the
 * media type (only application/json: a browser may POST text/plain or a form
 * cross-site without asking first), the bytes (UTF-8 only), the size and the
 * shape (no duplicate keys, bounded depth).
 */
import { errorResponse } from "./error-response.js";
import { scanJson } from "./scan-json.js";
import { RESERVED_KEYS } from "../codec.js";
import type { HeaderReader } from "./request-headers.js";

export type ReadResult =
  | { ok: true; args: Record<string, unknown> }
  | { ok: false; response: Response };

/** The hint we give whenever the body is not an object. */
export const NOT_AN_OBJECT_MESSAGE =
  'request body must be a JSON object of named arguments, e.g. {"x": 1}';

const UNSUPPORTED_MESSAGE =
  "request body must be sent with Content-Type: application/json (charset utf-8, if any)";

/**
 * Body → `{ ok: true, args }`, or `{ ok: false, response }` with a ready
 * 400/413/415 error. An empty (or all-whitespace) body without a
 * Content-Type counts as `{}` so that zero-argument functions can be called
 * with a bare POST.
 */
export async function readArguments(readBody: BodyReader, limit: number, headers: HeaderReader): Promise<ReadResult> {
  const type = headers.get("content-type");
  // Refused unread: no reason to take in a body we will not parse.
  if (type !== null && !isJsonType(type)) return unsupported(type);
  // A declared length past the limit is refused unread.
  const declared = Number(headers.get("content-length"));
  const bytes = Number.isFinite(declared) && declared > limit ? undefined : await readBody(limit, headers);
  if (bytes === undefined) {
    return {
      ok: false,
      response: errorResponse(
        "PAYLOAD_TOO_LARGE",
        `request body is larger than the limit of ${limit} bytes`,
      ),
    };
  }
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    // Decoding leniently would turn the bad bytes into U+FFFD and call the function with them.
    return { ok: false, response: errorResponse("BAD_REQUEST", "request body is not valid UTF-8") };
  }
  if (text.trim() === "") return { ok: true, args: {} };
  // A body with no Content-Type at all is what `new Blob([json])` sends, also without a preflight.
  if (type === null) return unsupported(type);
  const scan = scanJson(text, MAX_DEPTH);
  const depth = scan.depth;
  if (depth > MAX_DEPTH) {
    return {
      ok: false,
      response: errorResponse("BAD_REQUEST", `request body is nested ${depth} levels deep; the limit is ${MAX_DEPTH}`, {
        issues: [{ path: "", rule: "maxDepth", message: `must not nest deeper than ${MAX_DEPTH} levels` }],
      }),
    };
  }

  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      response: errorResponse("BAD_REQUEST", `request body is not valid JSON: ${detail}`),
    };
  }
  if (scan.duplicate) {
    const { key, path } = scan.duplicate;
    const quoted = JSON.stringify(key);
    return {
      ok: false,
      response: errorResponse("BAD_REQUEST", `request body has the key ${quoted} twice in one object, at ${path}`, {
        issues: [{ path, rule: "duplicateKey", message: `key ${quoted} appears more than once` }],
      }),
    };
  }
  const forbidden = forbiddenKeys(text);
  if (forbidden.length > 0) {
    return {
      ok: false,
      response: errorResponse("BAD_REQUEST", `request body uses the reserved key ${forbidden.map((k) => JSON.stringify(k)).join(", ")}`, {
        issues: forbidden.map((k) => ({ path: "", rule: "forbiddenKey", message: `key ${JSON.stringify(k)} is not allowed` })),
      }),
    };
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return {
      ok: false,
      response: errorResponse("BAD_REQUEST", NOT_AN_OBJECT_MESSAGE, {
        issues: [{ path: "", rule: "type", message: "must be object" }],
      }),
    };
  }
  return { ok: true, args: body as Record<string, unknown> };
}

/** Throws on bytes that are not UTF-8; one instance serves every call (decode() without `stream` resets it). */
const UTF8 = new TextDecoder("utf-8", { fatal: true });

/**
 * `application/json`, optionally with `charset=utf-8` (any case, quoted or
 * not); other parameters are ignored. Not `+json` types nor other charsets.
 */
function isJsonType(header: string): boolean {
  // What clients send, this runtime's among them, told at once: the split, trims and lowercasing
  // below cost ~1.5 k instructions a call (callgrind, bench section 6's method).
  if (header === "application/json" || header === "application/json; charset=utf-8" || header === "application/json; charset=UTF-8") return true;
  const [essence, ...params] = header.split(";");
  if (essence!.trim().toLowerCase() !== "application/json") return false;
  for (const param of params) {
    const eq = param.indexOf("=");
    if (eq === -1 || param.slice(0, eq).trim().toLowerCase() !== "charset") continue;
    const charset = param.slice(eq + 1).trim().replace(/^"(.*)"$/, "$1").toLowerCase();
    if (charset !== "utf-8" && charset !== "utf8") return false;
  }
  return true;
}

function unsupported(type: string | null): ReadResult {
  const got = type === null ? "no Content-Type" : `Content-Type ${JSON.stringify(type.slice(0, 100))}`;
  return { ok: false, response: errorResponse("UNSUPPORTED_MEDIA_TYPE", `${UNSUPPORTED_MESSAGE}; got ${got}`) };
}

/** Reads a request's body: its bytes, or `undefined` once they exceed `limit`. */
export type BodyReader = (limit: number, headers: HeaderReader) => Promise<Uint8Array | undefined>;

/**
 * A WHATWG Request's body (Hono's routes, `app.request()`). With a declared length the HTTP parser
 * bounds the body: read in one go, which @hono/node-server serves straight from the socket
 * (touching `request.body` first would make it build a full Request and stream, ≈5× slower);
 * else counted while streaming (chunked).
 */
export function requestBody(request: Request): BodyReader {
  return async function readRequestBody(limit, headers) {
    if (headers.has("content-length") && Number.isFinite(Number(headers.get("content-length")))) {
      return new Uint8Array(await request.arrayBuffer());
    }
    if (!request.body) return new Uint8Array(0);
    const reader = request.body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel().catch(() => {});
        return undefined;
      }
      chunks.push(value);
    }
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
  };
}

const RESERVED: ReadonlySet<string> = new Set(RESERVED_KEYS);

/**
 * The reserved keys anywhere in the body. JSON.parse keeps `__proto__` as an
 * own property, but a function doing `Object.assign({}, arg)` would not; so
 * such keys never reach the function. The full walk (a reviver) runs only when
 * the text could contain one, escapes included.
 */
function forbiddenKeys(text: string): string[] {
  if (!/__proto__|constructor|\\u/.test(text)) return [];
  const found = new Set<string>();
  JSON.parse(text, (key, value) => {
    if (RESERVED.has(key)) found.add(key);
    return value;
  });
  return [...found].sort();
}

/**
 * Validators and codecs walk values recursively; a body nested thousands of
 * levels deep would overflow the stack (a 500) before any schema said no.
 * Real values stay far below this; a tree 200 levels deep is fine.
 */
export const MAX_DEPTH = 512;
