// The undici transport (src/client/pool-transport.ts) on real sockets: every exchange settles, nothing
// is retried by the transport, an abort or timeout closes the connection the server sees, kept-alive
// connections are reused, and failures carry node:http's codes so the client's typed errors stay put.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createServer as createHttpsServer } from "node:https";
import { createServer as createTcpServer } from "node:net";
import type { AddressInfo, Socket } from "node:net";
import type { IncomingMessage, ServerResponse } from "node:http";
import { CallAborted, CallTimeout } from "../src/client/exchange.js";
import type { PostOptions, RawResponse } from "../src/client/exchange.js";
import { ConnectionPool, postJson } from "../src/client/pool-transport.js";
import { rawServer } from "./helpers.js";

const TLS = new URL("./fixtures/tls/", import.meta.url);

/** Awaits a rejection and returns its reason. */
async function rejection(promise: Promise<unknown>): Promise<NodeJS.ErrnoException> {
  return promise.then(
    () => assert.fail("expected the exchange to fail"),
    (reason: NodeJS.ErrnoException) => reason,
  );
}

/** A raw HTTP server counting requests and connections; `answer` decides per request. */
async function countingServer(answer: (req: IncomingMessage, res: ServerResponse, n: number) => void) {
  const counts = { requests: 0, connections: 0 };
  const raw = await rawServer((req, res) => answer(req, res, ++counts.requests));
  raw.server.on("connection", () => counts.connections++);
  return { ...raw, counts, pool: new ConnectionPool(raw.url) };
}

function send(pool: ConnectionPool, options: Partial<PostOptions> = {}, path = "/f"): Promise<RawResponse> {
  return postJson(pool, path, '{"x":1}', { timeoutMs: 0, ...options });
}

const answerTrue = (req: IncomingMessage, res: ServerResponse) => {
  req.resume();
  req.on("end", () => res.end("true"));
};

test("a server that never answers: the timeout settles the call and the server sees the connection close", async () => {
  let serverSaw: Promise<void> | undefined;
  const silent = await countingServer((req) => {
    serverSaw = new Promise((resolve) => req.socket.once("close", () => resolve()));
  });
  try {
    // Long enough for a loaded machine to deliver the request first: the server must see it, then the close.
    const reason = await rejection(send(silent.pool, { timeoutMs: 1_000 }));
    assert.ok(reason instanceof CallTimeout);
    assert.equal((reason as unknown as CallTimeout).timeoutMs, 1_000);
    await serverSaw; // the server's socket closed: its work would be aborted
    assert.deepEqual(silent.counts, { requests: 1, connections: 1 });
  } finally {
    silent.pool.destroy();
    await silent.close();
  }
});

test("a kept-alive connection reset by the server: the call fails as node:http's did, and is never sent again", async () => {
  const flaky = await countingServer((req, res, n) => {
    if (n === 2) return req.socket.destroy(); // the second request, on the reused connection
    answerTrue(req, res);
  });
  try {
    assert.equal((await send(flaky.pool)).body.toString(), "true");
    const reason = await rejection(send(flaky.pool));
    assert.equal(reason.code, "ECONNRESET");
    assert.equal(reason.message, "socket hang up");
    assert.equal(flaky.counts.requests, 2, "the transport did not try it again");
    assert.equal((await send(flaky.pool)).body.toString(), "true", "the next call gets a new connection");
    assert.deepEqual(flaky.counts, { requests: 3, connections: 2 });
  } finally {
    flaky.pool.destroy();
    await flaky.close();
  }
});

test("a reset mid-answer and a TCP RST keep node:http's codes", async () => {
  const broken = await countingServer((req, res, n) => {
    req.resume();
    if (n === 1) {
      // Half an answer, then the connection dies.
      res.writeHead(200, { "content-length": "100" });
      res.write("0123456789", () => req.socket.destroy());
      return;
    }
    req.socket.resetAndDestroy();
  });
  try {
    const midAnswer = await rejection(send(broken.pool));
    assert.equal(midAnswer.code, "ECONNRESET");
    assert.equal(midAnswer.message, "response ended before it was complete");
    const reset = await rejection(send(broken.pool));
    assert.equal(reset.code, "ECONNRESET");
    assert.equal(broken.counts.requests, 2);
  } finally {
    broken.pool.destroy();
    await broken.close();
  }
});

test("the caller's signal aborting: the call fails with CallAborted and the server sees the connection close", async () => {
  const controller = new AbortController();
  let serverSaw: Promise<void> | undefined;
  const slow = await countingServer((req) => {
    serverSaw = new Promise((resolve) => req.socket.once("close", () => resolve()));
    controller.abort("the caller left");
  });
  try {
    const reason = await rejection(send(slow.pool, { signal: controller.signal }));
    assert.ok(reason instanceof CallAborted);
    assert.equal((reason as unknown as CallAborted).reason, "the caller left");
    await serverSaw;
    // Aborted before it starts: nothing is sent.
    const early = await rejection(send(slow.pool, { signal: controller.signal }));
    assert.ok(early instanceof CallAborted);
    assert.deepEqual(slow.counts, { requests: 1, connections: 1 });
  } finally {
    slow.pool.destroy();
    await slow.close();
  }
});

test("a call still waiting for a connection when it times out or aborts is never written; the connection it waited for is kept", async () => {
  let release: (() => void) | undefined;
  const paths: string[] = [];
  const server = await countingServer((req, res) => {
    paths.push(req.url!);
    req.resume();
    if (req.url === "/first") release = () => res.end("true");
    else req.on("end", () => res.end("true"));
  });
  const one = new ConnectionPool(server.url, { connections: 1 });
  try {
    const first = send(one, {}, "/first");
    const controller = new AbortController();
    const aborted = rejection(send(one, { signal: controller.signal }, "/aborted"));
    const timedOut = rejection(send(one, { timeoutMs: 50 }, "/timed-out"));
    assert.ok((await timedOut) instanceof CallTimeout);
    controller.abort("gone");
    assert.ok((await aborted) instanceof CallAborted);
    while (release === undefined) await new Promise((resolve) => setImmediate(resolve));
    release();
    assert.equal((await first).body.toString(), "true");
    assert.equal((await send(one, {}, "/after")).body.toString(), "true");
    assert.deepEqual(paths, ["/first", "/after"]);
    assert.equal(server.counts.connections, 1);
  } finally {
    one.destroy();
    server.pool.destroy();
    await server.close();
  }
});

test("kept-alive connections are reused: one for calls in sequence, one per call in flight", async () => {
  let held: Array<() => void> = [];
  let holdUntil = 0;
  const server = await countingServer((req, res) => {
    req.resume();
    const reply = () => res.end("true");
    if (holdUntil === 0) return req.on("end", reply);
    // Answers only once `holdUntil` requests are in flight together.
    held.push(reply);
    if (held.length === holdUntil) {
      for (const one of held) one();
      held = [];
    }
  });
  try {
    for (let i = 0; i < 20; i++) assert.equal((await send(server.pool)).body.toString(), "true");
    assert.deepEqual(server.counts, { requests: 20, connections: 1 });
    holdUntil = 5;
    await Promise.all(Array.from({ length: 5 }, () => send(server.pool)));
    assert.deepEqual(server.counts, { requests: 25, connections: 5 });
    holdUntil = 0;
    for (let i = 0; i < 20; i++) await send(server.pool);
    assert.deepEqual(server.counts, { requests: 45, connections: 5 }, "no new connection for calls in sequence");
  } finally {
    server.pool.destroy();
    await server.close();
  }
});

test("what is sent and read: POST, JSON headers, extra headers, the base path, a body in many chunks, Retry-After", async () => {
  const seen: Array<{ method?: string; url?: string; headers: IncomingMessage["headers"]; body: string }> = [];
  const big = "x".repeat(300_000);
  const server = await countingServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      res.writeHead(503, { "content-type": "application/json", "retry-after": "7" });
      res.end(JSON.stringify(big));
    });
  });
  try {
    const response = await postJson(server.pool, "/base/f", '{"x":"é"}', { timeoutMs: 0, headers: ["tsc-micro-timeout", "900", "idempotency-key", "k-1"] });
    assert.equal(response.status, 503);
    assert.equal(response.retryAfter, "7");
    assert.equal(JSON.parse(response.body.toString()), big);
    const [one] = seen;
    assert.equal(one!.method, "POST");
    assert.equal(one!.url, "/base/f");
    assert.equal(one!.body, '{"x":"é"}');
    assert.equal(one!.headers["content-type"], "application/json");
    assert.equal(one!.headers.accept, "application/json");
    assert.equal(one!.headers["content-length"], String(Buffer.byteLength('{"x":"é"}')));
    assert.equal(one!.headers.host, new URL(server.url).host);
    assert.equal(one!.headers["tsc-micro-timeout"], "900");
    assert.equal(one!.headers["idempotency-key"], "k-1");
    assert.equal((await send(server.pool)).retryAfter, "7");
  } finally {
    server.pool.destroy();
    await server.close();
  }
});

test("connecting fails: refused keeps its code and message (never sent, so the client may retry it)", async () => {
  const gone = await rawServer(() => {});
  const url = gone.url;
  await gone.close();
  const pool = new ConnectionPool(url);
  try {
    const reason = await rejection(send(pool));
    assert.equal(reason.code, "ECONNREFUSED");
    assert.match(reason.message, /^connect ECONNREFUSED 127\.0\.0\.1:\d+$/);
  } finally {
    pool.destroy();
  }
});

test("something that is not HTTP answers: an llhttp HPE_ code, as node:http gives", async () => {
  const tcp = createTcpServer((socket: Socket) => {
    socket.once("data", () => socket.end("garbage\r\n\r\n"));
  });
  await new Promise<void>((resolve) => tcp.listen(0, "127.0.0.1", resolve));
  const pool = new ConnectionPool(`http://127.0.0.1:${(tcp.address() as AddressInfo).port}`);
  try {
    const reason = await rejection(send(pool));
    assert.match(String(reason.code), /^HPE_/);
  } finally {
    pool.destroy();
    await new Promise((resolve) => tcp.close(resolve));
  }
});

test("https: the connection is TLS, verified against the CA given", async () => {
  const cert = readFileSync(new URL("cert.pem", TLS));
  const server = createHttpsServer({ key: readFileSync(new URL("key.pem", TLS)), cert }, answerTrue);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const trusting = new ConnectionPool(origin, { tls: { ca: cert } });
  const strict = new ConnectionPool(origin);
  try {
    assert.equal((await send(trusting)).body.toString(), "true");
    // Without the CA the certificate is refused, with Node's own code.
    assert.equal((await rejection(send(strict))).code, "DEPTH_ZERO_SELF_SIGNED_CERT");
  } finally {
    trusting.destroy();
    strict.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});
