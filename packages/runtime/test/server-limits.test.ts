// The HTTP server's limits, and JSON bodies for what Node's parser refuses: raw sockets on 127.0.0.1.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { connect } from "node:net";
import type { RunningService } from "../src/server/index.js";
import { mathService, startQuiet } from "./helpers.js";

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The server closed the connection. */
  closed: boolean;
}

/**
 * Writes `chunks` to a fresh connection and collects what comes back until the
 * server closes it, or until one full response arrived when `keepOpen`.
 * Bounded: the socket is destroyed after 10 s whatever happens.
 */
function raw(service: RunningService, chunks: string[], keepOpen = false): Promise<RawAnswer | "no answer"> {
  return new Promise((resolve) => {
    const socket = connect(service.port, "127.0.0.1");
    let text = "";
    const guard = setTimeout(() => socket.destroy(), 10_000);
    function finish(closed: boolean) {
      clearTimeout(guard);
      socket.destroy();
      if (text === "") return resolve("no answer");
      const [head, ...rest] = text.split("\r\n\r\n");
      const [statusLine, ...lines] = head!.split("\r\n");
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(":")).toLowerCase(), l.slice(l.indexOf(":") + 1).trim()]));
      resolve({ status: Number(statusLine!.split(" ")[1]), headers, body: rest.join("\r\n\r\n"), closed });
    }
    socket.setEncoding("utf8");
    socket.on("data", (data: string) => {
      text += data;
      if (!keepOpen) return;
      const length = /content-length: (\d+)/i.exec(text);
      const end = text.indexOf("\r\n\r\n");
      if (length && end !== -1 && Buffer.byteLength(text.slice(end + 4)) >= Number(length[1])) finish(false);
    });
    socket.on("error", () => {});
    socket.on("close", () => finish(true));
    socket.on("connect", () => {
      for (const chunk of chunks) socket.write(chunk);
    });
  });
}

async function withService(env: Record<string, string>, body: (service: RunningService) => Promise<void>) {
  const service = await startQuiet(mathService(), { env });
  try {
    await body(service);
  } finally {
    await service.close();
  }
}

function get(path: string, extra = ""): string {
  return `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${extra}\r\n`;
}

function jsonError(answer: RawAnswer | "no answer") {
  assert.notEqual(answer, "no answer");
  const { headers, body, closed } = answer as RawAnswer;
  assert.match(headers["content-type"] ?? "", /^application\/json/);
  assert.equal(headers.connection, "close");
  assert.equal(closed, true, "the server closed the connection");
  return (JSON.parse(body) as { error: Record<string, unknown> }).error;
}

describe("what Node's parser refuses is answered in JSON", () => {
  test("headers over the limit → 431 HEADERS_TOO_LARGE", async () => {
    await withService({}, async (service) => {
      const answer = await raw(service, [get("/health/live", `X-Big: ${"a".repeat(20_000)}\r\n`)]);
      const error = jsonError(answer);
      assert.equal((answer as RawAnswer).status, 431);
      assert.deepEqual(error, {
        name: "ServiceError",
        message: "request line and headers are larger than the server's limit (TSC_MICRO_MAX_HEADER_SIZE)",
        code: "HEADERS_TOO_LARGE",
      });
    });
  });

  test("bad framing → 400 BAD_REQUEST saying what was wrong", async () => {
    await withService({}, async (service) => {
      const answer = await raw(service, ["NOT HTTP AT ALL\r\n\r\n"]);
      const error = jsonError(answer);
      assert.equal((answer as RawAnswer).status, 400);
      assert.equal(error.code, "BAD_REQUEST");
      assert.match(String(error.message), /^malformed HTTP request: .+/);
    });
  });

  test("headers that never finish → 408 REQUEST_TIMEOUT (bounded by the configured timeout)", async () => {
    const env = { TSC_MICRO_HEADERS_TIMEOUT_MS: "300", TSC_MICRO_REQUEST_TIMEOUT_MS: "300", TSC_MICRO_KEEP_ALIVE_TIMEOUT_MS: "100" };
    await withService(env, async (service) => {
      const answer = await raw(service, ["GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n"]);
      assert.equal((answer as RawAnswer).status, 408);
      assert.equal(jsonError(answer).code, "REQUEST_TIMEOUT");
    });
  });
});

describe("limits from the environment", () => {
  test("TSC_MICRO_MAX_HEADER_SIZE: 2 KiB of headers pass by default, not under a 1 KiB limit", async () => {
    const headers = `X-Pad: ${"a".repeat(2048)}\r\n`;
    await withService({}, async (service) => {
      const answer = await raw(service, [get("/health/live", headers)], true);
      assert.equal((answer as RawAnswer).status, 200);
    });
    await withService({ TSC_MICRO_MAX_HEADER_SIZE: "1024" }, async (service) => {
      const answer = await raw(service, [get("/health/live", headers)]);
      assert.equal((answer as RawAnswer).status, 431);
    });
  });

  test("the keep-alive timeout is announced: 5 s by default, else TSC_MICRO_KEEP_ALIVE_TIMEOUT_MS", async () => {
    await withService({}, async (service) => {
      const answer = (await raw(service, [get("/health/live")], true)) as RawAnswer;
      assert.equal(answer.headers["keep-alive"], "timeout=5");
    });
    await withService({ TSC_MICRO_KEEP_ALIVE_TIMEOUT_MS: "3000" }, async (service) => {
      const answer = (await raw(service, [get("/health/live")], true)) as RawAnswer;
      assert.equal(answer.headers["keep-alive"], "timeout=3");
    });
  });

  test("TSC_MICRO_MAX_CONNECTIONS=1: a second connection is closed unanswered while the first is open", async () => {
    await withService({ TSC_MICRO_MAX_CONNECTIONS: "1" }, async (service) => {
      const first = connect(service.port, "127.0.0.1");
      try {
        await new Promise<void>((resolve, reject) => {
          first.once("error", reject);
          first.once("data", () => resolve());
          first.write(get("/health/live"));
        });
        assert.equal(await raw(service, [get("/health/live")]), "no answer");
      } finally {
        first.destroy();
      }
    });
  });

  test("junk or an inconsistent set is refused at start, naming the variable", async () => {
    await assert.rejects(startQuiet(mathService(), { env: { TSC_MICRO_MAX_CONNECTIONS: "lots" } }), {
      name: "RangeError",
      message: 'TSC_MICRO_MAX_CONNECTIONS must be a positive integer, got "lots"',
    });
    await assert.rejects(startQuiet(mathService(), { env: { TSC_MICRO_HEADERS_TIMEOUT_MS: "4000" } }), {
      message: /TSC_MICRO_HEADERS_TIMEOUT_MS \(4000\) must be above TSC_MICRO_KEEP_ALIVE_TIMEOUT_MS \(5000\)/,
    });
  });
});
