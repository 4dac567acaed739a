import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import type { SpanContext } from "@opentelemetry/api";
import { formatTraceparent, parseTraceparent, randomSpanId, randomTraceId } from "../src/telemetry/trace-context.js";

const TRACE = "0af7651916cd43dd8448eb211c80319c";
const SPAN = "b7ad6b7169203331";

describe("parseTraceparent", () => {
  test("reads version 00 with the sampled flag, and without it", () => {
    assert.deepEqual(parseTraceparent(`00-${TRACE}-${SPAN}-01`), { traceId: TRACE, spanId: SPAN, traceFlags: 1, isRemote: true });
    assert.deepEqual(parseTraceparent(`00-${TRACE}-${SPAN}-00`), { traceId: TRACE, spanId: SPAN, traceFlags: 0, isRemote: true });
  });

  test("keeps the flags as sent", () => {
    assert.equal(parseTraceparent(`00-${TRACE}-${SPAN}-03`)?.traceFlags, 3);
  });

  test("reads a later version by its first four fields", () => {
    assert.equal(parseTraceparent(`01-${TRACE}-${SPAN}-01`)?.traceId, TRACE);
    assert.equal(parseTraceparent(`cc-${TRACE}-${SPAN}-01-what-the-future-holds`)?.spanId, SPAN);
  });

  test("refuses what the spec says is invalid: the receiver starts a new trace", () => {
    const invalid = [
      undefined,
      null,
      "",
      `ff-${TRACE}-${SPAN}-01`, // version ff is forbidden
      `00-${TRACE}-${SPAN}-01-extra`, // version 00 has exactly four fields
      `00-${"0".repeat(32)}-${SPAN}-01`, // all-zero trace id
      `00-${TRACE}-${"0".repeat(16)}-01`, // all-zero parent id
      `00-${TRACE.toUpperCase()}-${SPAN}-01`, // uppercase hex
      `00-${TRACE.slice(1)}-${SPAN}-01`, // short trace id
      `00-${TRACE}-${SPAN}0-01`, // long parent id
      `00-${TRACE}-${SPAN}-1`, // one-digit flags
      `0-${TRACE}-${SPAN}-01`,
      `00_${TRACE}_${SPAN}_01`,
      `00-${TRACE}-${SPAN}-0g`,
      `cc-${TRACE}-${SPAN}-01.extra`, // a later version's extra fields start with "-"
    ];
    for (const value of invalid) assert.equal(parseTraceparent(value), undefined, String(value));
  });

  test("reads every value as the regular expression it replaced did (random values near the format)", () => {
    // The parser before it, kept as the reference.
    const PATTERN = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
    function reference(value: string): SpanContext | undefined {
      const m = PATTERN.exec(value.trim());
      if (!m) return undefined;
      const [, version, traceId, spanId, flags, rest] = m as unknown as [string, string, string, string, string, string | undefined];
      if (version === "ff" || (version === "00" && rest !== undefined)) return undefined;
      if (traceId === "0".repeat(32) || spanId === "0".repeat(16)) return undefined;
      return { traceId, spanId, traceFlags: parseInt(flags, 16), isRemote: true };
    }
    // Mostly lowercase hex (valid), sometimes with an upper-case or non-hex letter in it.
    const hex = (length: number) =>
      fc.oneof(
        { weight: 4, arbitrary: fc.stringMatching(new RegExp(`^[0-9a-f]{${length}}$`)) },
        { weight: 1, arbitrary: fc.stringMatching(new RegExp(`^[0-9a-f]{0,${length - 1}}[A-Fgz][0-9a-f]{0,${length - 1}}$`)) },
      );
    let read = 0;
    const often = <T,>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<T>) => fc.oneof({ weight: 6, arbitrary: good }, { weight: 1, arbitrary: bad });
    const piece = often(hex(2), fc.oneof(fc.constantFrom("00", "ff", "01", "fe", "0"), fc.string({ maxLength: 3 })));
    const dash = often(fc.constant("-"), fc.constantFrom("_", "", "--"));
    const near = fc
      .tuple(
        piece,
        dash,
        often(hex(32), fc.oneof(fc.constant("0".repeat(32)), hex(31), hex(33))),
        dash,
        often(hex(16), fc.oneof(fc.constant("0".repeat(16)), hex(15))),
        dash,
        piece,
        often(fc.constant(""), fc.oneof(fc.constant("-"), fc.string({ maxLength: 8 }), fc.constantFrom("-x\ny", "-\ry", "-\u2028y", "-\u2029y", "-ok", "x"))),
        often(fc.constant(""), fc.constantFrom(" ", "\t", "\n", "\u00a0")),
      )
      .map(([a, b, c, d, e, f, g, h, pad]) => `${pad}${a}${b}${c}${d}${e}${f}${g}${h}${pad}`);
    fc.assert(
      fc.property(fc.oneof({ weight: 5, arbitrary: near }, { weight: 1, arbitrary: fc.string({ maxLength: 70 }) }), (value) => {
        const parsed = parseTraceparent(value);
        assert.deepEqual(parsed, reference(value), JSON.stringify(value));
        if (parsed) read++;
      }),
      { numRuns: 20_000 },
    );
    // Both ways were exercised: many values were read, many refused.
    assert.ok(read > 1_000 && read < 19_000, `${read} of 20000 read`);
  });

  test("tolerates surrounding blanks (a header value as a proxy may fold it)", () => {
    assert.equal(parseTraceparent(` 00-${TRACE}-${SPAN}-01 `)?.traceId, TRACE);
  });
});

describe("formatTraceparent", () => {
  test("writes version 00 with two-digit flags; parse gives it back", () => {
    const value = formatTraceparent({ traceId: TRACE, spanId: SPAN, traceFlags: 1 });
    assert.equal(value, `00-${TRACE}-${SPAN}-01`);
    assert.equal(formatTraceparent({ traceId: TRACE, spanId: SPAN, traceFlags: 0 }), `00-${TRACE}-${SPAN}-00`);
    assert.deepEqual(parseTraceparent(value), { traceId: TRACE, spanId: SPAN, traceFlags: 1, isRemote: true });
  });
});

describe("random ids", () => {
  test("are lowercase hex of the right length, valid, and distinct", () => {
    const traces = new Set<string>();
    const spans = new Set<string>();
    // More than one pool's worth, so the refill is exercised.
    for (let i = 0; i < 2000; i++) {
      const trace = randomTraceId();
      const span = randomSpanId();
      assert.match(trace, /^[0-9a-f]{32}$/);
      assert.match(span, /^[0-9a-f]{16}$/);
      assert.notEqual(trace, "0".repeat(32));
      assert.notEqual(span, "0".repeat(16));
      traces.add(trace);
      spans.add(span);
    }
    assert.equal(traces.size, 2000);
    assert.equal(spans.size, 2000);
  });
});
