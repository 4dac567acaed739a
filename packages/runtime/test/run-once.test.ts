// One-shot mode (`node index.mjs --call <fn> '<json>'`), driven in memory with a fake stdin/stdout.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { EXIT_CODES, exitCodeOf, oneShotCommand, runOneShot } from "../src/server/index.js";
import type { OneShotIo, ServiceDef } from "../src/server/index.js";
import { ERROR_CODES, ServiceError } from "../src/errors.js";
import type { ErrorCode } from "../src/errors.js";
import { argsValidator, mathService, route } from "./helpers.js";

/** A fake terminal: what was written, and a stdin holding `stdin`. */
function fakeIo(stdin = "", tty = false): OneShotIo & { stdout: string; stderr: string; stdinReads: number } {
  const io = {
    stdout: "",
    stderr: "",
    stdinReads: 0,
    stdinIsTty: tty,
    out: (text: string) => void (io.stdout += text),
    err: (text: string) => void (io.stderr += text),
    readStdin: async () => {
      io.stdinReads++;
      return new TextEncoder().encode(stdin);
    },
  };
  return io;
}

async function run(def: ServiceDef, argv: string[], stdin = "") {
  const io = fakeIo(stdin);
  const command = oneShotCommand(argv);
  assert.ok(command, `${JSON.stringify(argv)} selects one-shot mode`);
  const exit = await runOneShot(def, command, { io, env: {} });
  return { exit, stdout: io.stdout, stderr: io.stderr, stdinReads: io.stdinReads };
}

/** A service whose function gives up the way a downstream call does when the other service is down. */
function downstreamService(code: ErrorCode): ServiceDef {
  return {
    name: "is-odd",
    openapi: {},
    routes: [
      route({
        name: "isOdd",
        params: ["x"],
        validate: argsValidator({ x: { type: "number" } }),
        invoke: () => {
          throw new ServiceError({ code, message: `is-even: ${code}`, service: "is-even", url: "http://127.0.0.1:9/isEven" });
        },
      }),
    ],
  };
}

describe("oneShotCommand", () => {
  test("only a first --call or --help selects one-shot mode", () => {
    assert.equal(oneShotCommand([]), undefined);
    assert.equal(oneShotCommand(["--inspect"]), undefined);
    assert.equal(oneShotCommand(["serve", "--call", "f"]), undefined);
    assert.deepEqual(oneShotCommand(["--help"]), { kind: "help" });
    assert.deepEqual(oneShotCommand(["-h"]), { kind: "help" });
    assert.deepEqual(oneShotCommand(["--call", "isEven", '{"x":1}']), { kind: "call", name: "isEven", json: '{"x":1}' });
    assert.deepEqual(oneShotCommand(["--call=isEven", "-"]), { kind: "call", name: "isEven", json: "-" });
    assert.deepEqual(oneShotCommand(["--call", "isEven"]), { kind: "call", name: "isEven", json: undefined });
  });

  test("a missing name or a second argument is a usage error", () => {
    assert.equal(oneShotCommand(["--call"])?.kind, "usage");
    assert.equal(oneShotCommand(["--call="])?.kind, "usage");
    assert.equal(oneShotCommand(["--call", "--help"])?.kind, "usage");
    assert.equal(oneShotCommand(["--call", "isEven", '{"x":1}', '{"x":2}'])?.kind, "usage");
  });
});

describe("runOneShot", () => {
  test("prints the JSON result and exits 0", async () => {
    assert.deepEqual(await run(mathService(), ["--call", "isEven", '{"x": 7}']), { exit: 0, stdout: "false\n", stderr: "", stdinReads: 0 });
    const tagged = await run(mathService(), ["--call", "tag", '{"user": {"tags": ["a"]}}']);
    assert.deepEqual([tagged.exit, JSON.parse(tagged.stdout)], [0, { tags: ["a"] }]);
  });

  test("a void function prints nothing; undefined prints null, as over HTTP", async () => {
    assert.deepEqual(await run(mathService(), ["--call", "log", "{}"]), { exit: 0, stdout: "", stderr: "", stdinReads: 0 });
    assert.deepEqual(await run(mathService(), ["--call", "nothing", "{}"]), { exit: 0, stdout: "null\n", stderr: "", stdinReads: 0 });
  });

  test("reads the arguments from stdin when they are omitted or '-'", async () => {
    for (const argv of [["--call", "isEven"], ["--call", "isEven", "-"]]) {
      assert.deepEqual(await run(mathService(), argv, '{"x": 4}\n'), { exit: 0, stdout: "true\n", stderr: "", stdinReads: 1 });
    }
    // An empty stdin (a Job without stdin) is `{}`, as an empty body is over HTTP.
    assert.deepEqual(await run(mathService(), ["--call", "log"], ""), { exit: 0, stdout: "", stderr: "", stdinReads: 1 });
  });

  test("hints on stderr before waiting on a terminal", async () => {
    const io = fakeIo('{"x": 2}', true);
    assert.equal(await runOneShot(mathService(), { kind: "call", name: "isEven", json: undefined }, { io, env: {} }), 0);
    assert.match(io.stderr, /reading the arguments of isEven as JSON from stdin/);
    assert.equal(io.stdout, "true\n");
  });

  test("invalid arguments: the 400 body on stdout, a summary on stderr, exit 3", async () => {
    const result = await run(mathService(), ["--call", "isEven", '{"x": "7"}']);
    assert.equal(result.exit, EXIT_CODES.INVALID_ARGUMENTS);
    const body = JSON.parse(result.stdout);
    assert.equal(body.error.code, "BAD_REQUEST");
    assert.deepEqual(body.error.issues.map((i: { path: string }) => i.path), ["x"]);
    assert.match(result.stderr, /^math: isEven failed with BAD_REQUEST \(exit 3\): invalid request to isEven/);
    assert.equal(result.stderr.trim().split("\n").length, 1);
    for (const json of ["{x: 7}", "[7]", '{"x": 1, "x": 2}']) {
      const bad = await run(mathService(), ["--call", "isEven", json]);
      assert.deepEqual([bad.exit, JSON.parse(bad.stdout).error.code], [3, "BAD_REQUEST"], json);
    }
  });

  test("the function threw: the error body on stdout, the log line and a summary on stderr, exit 1", async () => {
    const result = await run(mathService(), ["--call", "fail", "{}"]);
    assert.equal(result.exit, EXIT_CODES.FAILED);
    const { error } = JSON.parse(result.stdout);
    assert.deepEqual([error.code, error.name, error.message], ["INTERNAL", "RangeError", "x out of range"]);
    assert.deepEqual(result.stderr.trim().split("\n"), [
      "math: fail failed: RangeError: x out of range",
      "math: fail failed with INTERNAL (exit 1): x out of range",
    ]);
  });

  test("a downstream service unavailable or too slow: exit 4; a lost answer: exit 1", async () => {
    for (const code of ["UNAVAILABLE", "CIRCUIT_OPEN", "TIMEOUT"] as const) {
      const result = await run(downstreamService(code), ["--call", "isOdd", '{"x": 7}']);
      assert.deepEqual([result.exit, JSON.parse(result.stdout).error.code], [EXIT_CODES.UNAVAILABLE, code], code);
    }
    const lost = await run(downstreamService("UNKNOWN_OUTCOME"), ["--call", "isOdd", '{"x": 7}']);
    assert.deepEqual([lost.exit, JSON.parse(lost.stdout).error.code], [EXIT_CODES.FAILED, "UNKNOWN_OUTCOME"]);
  });

  test("an unknown function is a usage error naming the functions; nothing on stdout, exit 2", async () => {
    const result = await run(mathService(), ["--call", "isOdd", '{"x": 7}']);
    assert.equal(result.exit, EXIT_CODES.USAGE);
    assert.equal(result.stdout, "");
    assert.match(result.stderr, /^service "math" has no function "isOdd"\n/);
    assert.match(result.stderr, /\n {2}isEven\(x\)\n {2}tag\(user\)\n/);
    const extra = await run(mathService(), ["--call", "isEven", "{}", "{}"]);
    assert.deepEqual([extra.exit, extra.stdout, extra.stdinReads], [2, "", 0]);
  });

  test("--help prints usage with the functions on stdout, exit 0", async () => {
    const result = await run(mathService(), ["--help"]);
    assert.equal(result.exit, 0);
    assert.equal(result.stderr, "");
    assert.match(result.stdout, /^Service "math"\./);
    assert.match(result.stdout, /--call <function> '<json>'/);
    assert.match(result.stdout, /\n {2}isEven\(x\)\n/);
    assert.match(result.stdout, /\n {2}log\(\) {2}→ nothing\n/);
    assert.match(result.stdout, /\n {2}4 {2}a service it calls was unavailable/);
  });

  test("no HTTP body limit on a one-shot call", async () => {
    const tags = Array.from({ length: 200_000 }, (_, i) => `tag-${i}`);
    const result = await run(mathService(), ["--call", "tag", JSON.stringify({ user: { tags } })]);
    assert.equal(result.exit, 0);
    assert.equal(JSON.parse(result.stdout).tags.length, tags.length);
  });
});

test("every error code has an exit code; 2xx is 0", () => {
  for (const [code, { status }] of Object.entries(ERROR_CODES)) {
    assert.ok([1, 2, 3, 4].includes(exitCodeOf(status, code)), code);
  }
  assert.equal(exitCodeOf(200), 0);
  assert.equal(exitCodeOf(204), 0);
  // A body that is not ours: classified by status.
  assert.equal(exitCodeOf(503, "nonsense"), EXIT_CODES.UNAVAILABLE);
  assert.equal(exitCodeOf(400), EXIT_CODES.INVALID_ARGUMENTS);
  assert.equal(exitCodeOf(418), EXIT_CODES.INVALID_ARGUMENTS);
});
