import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { prettyLogLine } from "../src/dev/pretty-log.js";
import { prefixLines } from "../src/dev/prefix-lines.js";

const OK = JSON.stringify({ level: "info", time: "2026-12-01T12:00:01.250Z", service: "is-odd", function: "isOdd", status: 200, duration_ms: 1.834, request_id: "known-1", trace_id: "4bf92f3577b34da6a3ce929d0e0e4736", span_id: "00f067aa0ba902b7", msg: "POST /isOdd 200" });
const FAILED = JSON.stringify({
  level: "error",
  time: "2026-12-01T12:00:02.000Z",
  service: "math",
  function: "fail",
  status: 500,
  duration_ms: 3,
  request_id: "r2",
  error: { type: "RangeError", code: "INTERNAL", message: "x out of range", stack: "RangeError: x out of range\n    at fail (src/math.ts:3:9)\n    at run (src/run.ts:1:1)" },
  msg: "POST /fail 500",
});

describe("pretty log lines under tsc-micro dev", () => {
  test("a request line becomes a one-liner: time, level, request, duration, request and trace ids", () => {
    assert.equal(prettyLogLine(OK), "12:00:01.250 INFO  POST /isOdd 200 1.8 ms  req=known-1 trace=4bf92f35");
  });

  test("an error line names the error, its stack frames below", () => {
    assert.equal(
      prettyLogLine(FAILED),
      "12:00:02.000 ERROR POST /fail 500 3.0 ms RangeError: x out of range (INTERNAL)  req=r2\n    at fail (src/math.ts:3:9)\n    at run (src/run.ts:1:1)",
    );
  });

  test("the level is coloured on a terminal", () => {
    assert.match(prettyLogLine(FAILED, true), /^12:00:02\.000 \u001b\[31mERROR\u001b\[0m POST/);
  });

  test("other lines pass unchanged: plain text, JSON that is no log line, broken JSON", () => {
    for (const line of ["is-odd listening on http://127.0.0.1:4000", '{"a":1}', "[1,2]", '{"level":"info"', ""]) assert.equal(prettyLogLine(line), line);
  });

  test("prefixLines shows each line of a service readable, every line under its name", () => {
    const written: string[] = [];
    const prefix = prefixLines("math", undefined, (text) => written.push(text));
    prefix.push(`math listening on http://127.0.0.1:1\n${FAILED.slice(0, 40)}`);
    prefix.push(`${FAILED.slice(40)}\n`);
    prefix.push(OK);
    prefix.flush();
    assert.equal(
      written.join(""),
      [
        "math │ math listening on http://127.0.0.1:1",
        "math │ 12:00:02.000 ERROR POST /fail 500 3.0 ms RangeError: x out of range (INTERNAL)  req=r2",
        "math │     at fail (src/math.ts:3:9)",
        "math │     at run (src/run.ts:1:1)",
        "math │ 12:00:01.250 INFO  POST /isOdd 200 1.8 ms  req=known-1 trace=4bf92f35",
        "",
      ].join("\n"),
    );
  });
});
