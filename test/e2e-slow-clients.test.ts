// The HTTP server's own limits in a real process (packages/runtime/src/server/server-limits.ts):
// a client that stalls in its headers or in its body is cut with the server's JSON 408 while
// normal calls keep being served, and past TSC_MICRO_MAX_CONNECTIONS idle connections a new
// connection is closed until they go. Counts and order only; every socket and process is closed.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { after, describe, test } from "node:test";
import { build, formatDiagnostics } from "../packages/tsc-micro/src/index.ts";
import { REPO, TMP } from "./helpers/paths.ts";
import { startBundle } from "./helpers/services.ts";
import type { RunningProcess } from "./helpers/services.ts";

const SOURCE = `/** @microservice */
export function echo(n: number): number {
  return n;
}
`;

const TSCONFIG = {
  compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, skipLibCheck: true, types: [] },
  include: ["src"],
};

const NORMAL_CALLS = 20;
const MAX_CONNECTIONS = 20;
/** Bounds the attempts to get a call served once the idle connections are gone (a count, not a time). */
const MAX_ATTEMPTS_AFTER_IDLE = 200;

/** Raw sockets opened by a test; all destroyed after it, whatever happened. */
const sockets = new Set<net.Socket>();
// The hooks below belong to this file's tests only, so the file can share a process
// (scripts/test-processes.mjs).
describe("e2e-slow-clients", () => {
  after(() => {
    for (const socket of sockets) socket.destroy();
  });

  let built: Promise<string> | undefined;
  function buildEcho(): Promise<string> {
    built ??= (async () => {
      const dir = mkdtempSync(path.join(TMP, "e2e-slow-clients-"));
      mkdirSync(path.join(dir, "src"));
      writeFileSync(path.join(dir, "src/echo.ts"), SOURCE);
      writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(TSCONFIG));
      const result = await build({ project: path.join(dir, "tsconfig.json"), outDir: path.join(dir, "dist") });
      assert.ok(result.success, formatDiagnostics(result.diagnostics));
      return path.join(result.outDir, "services/echo");
    })();
    return built;
  }

  test("slow headers and a slow body are cut with the server's JSON 408 while 20 normal calls are served", { timeout: 120_000 }, async () => {
    const serviceDir = await buildEcho();
    let service: RunningProcess | undefined;
    try {
      // Node checks both timeouts every connectionsCheckingInterval (server-limits.ts: min(1 s, headers
      // timeout)); the headers timeout must be above the keep-alive timeout.
      service = await startBundle("echo", serviceDir, {
        env: { TSC_MICRO_KEEP_ALIVE_TIMEOUT_MS: "500", TSC_MICRO_HEADERS_TIMEOUT_MS: "3000", TSC_MICRO_REQUEST_TIMEOUT_MS: "4000" },
      });
      const { port } = service;
      const slowHeaders = await rawClient(port, "POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\n");
      const slowBody = await rawClient(
        port,
        "POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n" + '{"n": 1   ',
      );

      const statuses = await Promise.all(Array.from({ length: NORMAL_CALLS }, (_, n) => callEcho(port, n)));
      assert.deepEqual(statuses, Array.from({ length: NORMAL_CALLS }, () => 200));
      assert.equal(slowHeaders.closed, false, "the slow-headers socket was still open while the normal calls were served");
      assert.equal(slowBody.closed, false, "the slow-body socket was still open while the normal calls were served");

      for (const [what, stuck] of [["slow headers", slowHeaders], ["slow body", slowBody]] as const) {
        const text = await stuck.done;
        const response = parseResponse(text);
        assert.equal(response.status, 408, `${what}: ${JSON.stringify(text)}`);
        assert.match(response.headers["content-type"] ?? "", /^application\/json/);
        assert.equal(response.headers.connection, "close");
        assert.equal(JSON.parse(response.body).error.code, "REQUEST_TIMEOUT", `${what}: ${response.body}`);
        console.log(`# ${what}: ${response.statusLine}, ${response.body}`);
      }

      assert.equal(await service.stop(), 0, service.output());
      service = undefined;
    } finally {
      for (const socket of sockets) socket.destroy();
      service?.child.kill("SIGKILL");
      await service?.stop();
    }
  });

  test(`past TSC_MICRO_MAX_CONNECTIONS=${MAX_CONNECTIONS} idle connections a new one is closed; once they close, calls are served again`, { timeout: 120_000 }, async () => {
    const serviceDir = await buildEcho();
    let service: RunningProcess | undefined;
    try {
      // Long timeouts: the idle connections are held until the test closes them.
      service = await startBundle("echo", serviceDir, {
        env: { TSC_MICRO_MAX_CONNECTIONS: String(MAX_CONNECTIONS), TSC_MICRO_HEADERS_TIMEOUT_MS: "120000", TSC_MICRO_REQUEST_TIMEOUT_MS: "120000" },
      });
      const { port } = service;
      assert.equal(await callEcho(port, -1), 200);

      // The server accepts connections in the order they were made, so these 20 are taken first.
      const idle = [];
      for (let n = 0; n < MAX_CONNECTIONS; n++) idle.push(await rawClient(port, ""));
      // Connection 21 sends a whole request: it is closed without an answer.
      const extra = await rawClient(port, "POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: 7\r\n\r\n{\"n\":1}");
      assert.equal(await extra.done, "", "connection 21 got no response");
      // So is a normal call.
      assert.equal(await callEcho(port, 0).catch((error: NodeJS.ErrnoException) => error.code ?? "error"), "ECONNRESET");
      assert.equal(idle.filter((c) => c.closed).length, 0, "the idle connections stay open");

      for (const connection of idle) connection.socket.end();
      // Each ended socket closes once the server has closed its side too.
      assert.deepEqual(await Promise.all(idle.map((c) => c.done)), idle.map(() => ""));
      // The server may still be counting a connection it has closed; a call within a bounded number of
      // attempts is served, and from then on every call is.
      let refused = 0;
      while ((await callEcho(port, 1).catch(() => 0)) !== 200) {
        refused++;
        assert.ok(refused < MAX_ATTEMPTS_AFTER_IDLE, "no call was served after the idle connections closed");
      }
      const statuses = await Promise.all(Array.from({ length: NORMAL_CALLS }, (_, n) => callEcho(port, n)));
      assert.deepEqual(statuses, Array.from({ length: NORMAL_CALLS }, () => 200));
      console.log(`# ${MAX_CONNECTIONS} idle held, connection 21 closed with no response; after they closed: ${refused} refused attempts, then ${NORMAL_CALLS + 1} served`);

      assert.equal(await service.stop(), 0, service.output());
      service = undefined;
    } finally {
      for (const socket of sockets) socket.destroy();
      service?.child.kill("SIGKILL");
      await service?.stop();
    }
  });

  interface RawClient {
    socket: net.Socket;
    /** Whether the socket has closed. */
    readonly closed: boolean;
    /** Everything the server sent, once the socket has closed (a reset counts as closed). */
    done: Promise<string>;
  }

  /** Connects to 127.0.0.1:`port`, writes `text` (possibly an unfinished request) and keeps the socket open. */
  async function rawClient(port: number, text: string): Promise<RawClient> {
    const socket = net.connect(port, "127.0.0.1");
    sockets.add(socket);
    let received = "";
    let closed = false;
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => (received += chunk));
    socket.on("error", () => {}); // a reset ends it like a close; 'close' follows
    const done = new Promise<string>((resolve) =>
      socket.once("close", () => {
        closed = true;
        sockets.delete(socket);
        resolve(received);
      }),
    );
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("error", reject);
    });
    if (text) socket.write(text);
    return {
      socket,
      get closed() {
        return closed;
      },
      done,
    };
  }

  /** One call on its own connection (no keep-alive pool), resolving with the status. */
  function callEcho(port: number, n: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const request = http.request({ host: "127.0.0.1", port, path: "/echo", method: "POST", agent: false, headers: { "content-type": "application/json" } }, (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode!));
        response.on("error", reject);
      });
      request.on("error", reject);
      request.end(JSON.stringify({ n }));
    });
  }

  /** A raw HTTP/1.1 response: status line, lower-cased headers, body. */
  function parseResponse(text: string): { status: number; statusLine: string; headers: Record<string, string>; body: string } {
    const end = text.indexOf("\r\n\r\n");
    assert.ok(end > 0, `not an HTTP response: ${JSON.stringify(text)}`);
    const [statusLine, ...lines] = text.slice(0, end).split("\r\n");
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(":");
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    return { status: Number(statusLine!.split(" ")[1]), statusLine: statusLine!, headers, body: text.slice(end + 4) };
  }
});
