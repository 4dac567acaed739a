// The stdout line buffer: chunks of lines, never waiting on a full pipe, a bounded backlog whose
// dropped lines are counted and reported. A real non-blocking pipe (a FIFO) whose reader the test drives.
import { mock, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DEFAULT_LOG_FLUSH_MS, flushEvery, LineBuffer } from "../src/telemetry/stdout-lines.js";

/** A FIFO opened at both ends without blocking: writes past its capacity answer EAGAIN. */
function pipe(): { read: number; write: number; close(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "line-buffer-"));
  const fifo = path.join(dir, "fifo");
  execFileSync("mkfifo", [fifo]);
  const read = fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  const write = fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
  return {
    read,
    write,
    close() {
      fs.closeSync(read);
      fs.closeSync(write);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Everything the pipe holds now. */
function drain(fd: number): string {
  const chunks: Buffer[] = [];
  const buffer = Buffer.alloc(65536);
  for (;;) {
    try {
      const n = fs.readSync(fd, buffer);
      if (n === 0) break;
      chunks.push(Buffer.from(buffer.subarray(0, n)));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EAGAIN") break;
      throw error;
    }
  }
  return Buffer.concat(chunks).toString("utf8");
}

const line = (i: number) => `${JSON.stringify({ level: "info", i, pad: "x".repeat(80) })}\n`;

test("lines wait until 16 KiB are buffered or a flush, then go in one write, in order", () => {
  const p = pipe();
  try {
    const lines = new LineBuffer(p.write, 1 << 20);
    for (let i = 0; i < 10; i++) lines.write(line(i));
    assert.equal(drain(p.read), "", "not written yet: below the chunk size");
    lines.flush();
    assert.deepEqual(drain(p.read).trimEnd().split("\n").map((l) => (JSON.parse(l) as { i: number }).i), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // 16 KiB of lines are written at once, without a flush.
    for (let i = 0; i < 200; i++) lines.write(line(i));
    assert.ok(drain(p.read).length >= 16 * 1024);
  } finally {
    p.close();
  }
});

test("a full pipe never blocks the writer: the backlog is bounded, dropped lines are counted and reported", async () => {
  const p = pipe();
  try {
    const max = 100_000;
    const lines = new LineBuffer(p.write, max);
    const total = 5_000; // ≈ 490 KB: far more than the pipe (64 KiB) and the backlog hold
    // Synchronous: on a full pipe the old destination slept the event loop 100 ms per try, forever.
    for (let i = 0; i < total; i++) lines.write(line(i));
    assert.ok(lines.backlog <= max, `backlog ${lines.backlog} within ${max}`);
    const dropped = lines.dropped;
    assert.ok(dropped > 0, "lines were dropped");

    let text = "";
    for (let turn = 0; turn < 1_000 && (lines.backlog > 0 || !text.includes('"dropped"')); turn++) {
      text += drain(p.read);
      lines.flush();
      await new Promise((resolve) => setImmediate(resolve));
    }
    text += drain(p.read);
    const parsed = text.trimEnd().split("\n").map((l) => JSON.parse(l) as { i?: number; dropped?: number; level: string; msg?: string });
    const kept = parsed.filter((l) => l.i !== undefined).map((l) => l.i!);
    const warnings = parsed.filter((l) => l.dropped !== undefined);
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0]!.level, "warn");
    assert.match(warnings[0]!.msg!, /log line\(s\) dropped: stdout did not keep up/);
    // Every line is either written, in order, or counted as dropped.
    assert.equal(kept.length + warnings[0]!.dropped!, total);
    assert.equal(warnings[0]!.dropped, dropped);
    assert.deepEqual(kept, [...kept].sort((a, b) => a - b));
    assert.equal(kept[0], 0);
  } finally {
    p.close();
  }
});

test("a line longer than the reused buffer is written whole", () => {
  const p = pipe();
  try {
    const lines = new LineBuffer(p.write, 1 << 20);
    lines.write(line(1));
    const long = `${JSON.stringify({ big: "é".repeat(30_000) })}\n`;
    lines.write(long);
    lines.write(line(2));
    lines.flush();
    assert.equal(drain(p.read), line(1) + long + line(2));
  } finally {
    p.close();
  }
});

test("drained() resolves once a reader took everything", async () => {
  const p = pipe();
  try {
    const lines = new LineBuffer(p.write, 1 << 20);
    for (let i = 0; i < 1_500; i++) lines.write(line(i)); // ≈ 150 KB: more than the pipe holds
    let read = "";
    const reader = setInterval(() => (read += drain(p.read)), 5);
    await lines.drained(60_000);
    clearInterval(reader);
    read += drain(p.read);
    assert.equal(lines.backlog, 0);
    assert.equal(read.trimEnd().split("\n").length, 1_500);
  } finally {
    p.close();
  }
});

test("writeWith: a line written into the buffer's bytes goes out like any other, in order; counted when over the backlog", () => {
  const p = pipe();
  try {
    const lines = new LineBuffer(p.write, 200);
    const put = (text: string) => (buffer: Buffer, at: number) => at + buffer.write(text, at);
    assert.equal(lines.writeWith(10, put("one\n")), true);
    lines.write("two\n");
    assert.equal(lines.writeWith(10, put("three\n")), true);
    // The bound counts as the line's size: 150 more than 200 - 14 pending is dropped (and counted).
    assert.equal(lines.writeWith(190, put("four\n")), true);
    assert.equal(lines.dropped, 1);
    // More than the buffer holds: nothing written, the caller writes a string instead.
    assert.equal(lines.writeWith(1 << 20, put("five\n")), false);
    lines.flush();
    const out = drain(p.read);
    assert.match(out, /^one\ntwo\nthree\n/);
    assert.doesNotMatch(out, /four|five/);
  } finally {
    p.close();
  }
});

test("the timer writes what waits every TSC_MICRO_LOG_FLUSH_MS (default 250 ms); a bad value names the variable", () => {
  const p = pipe();
  mock.timers.enable({ apis: ["setInterval"] });
  try {
    const lines = new LineBuffer(p.write, 1 << 20);
    const timers = [flushEvery(lines, { TSC_MICRO_LOG_FLUSH_MS: "1000" })];
    lines.write(line(1));
    mock.timers.tick(999);
    assert.equal(drain(p.read), "", "a line below 16 KiB waits for the timer");
    mock.timers.tick(1);
    assert.equal(drain(p.read), line(1));
    timers.push(flushEvery(lines, {}));
    lines.write(line(2));
    mock.timers.tick(DEFAULT_LOG_FLUSH_MS - 1);
    assert.equal(drain(p.read), "");
    mock.timers.tick(1);
    assert.equal(drain(p.read), line(2));
    for (const t of timers) clearInterval(t);
    for (const bad of ["0", "-5", "1.5", "2147483648", "soon"]) {
      assert.throws(() => flushEvery(lines, { TSC_MICRO_LOG_FLUSH_MS: bad }), (e: Error) => e instanceof RangeError && e.message.includes("TSC_MICRO_LOG_FLUSH_MS") && e.message.includes(JSON.stringify(bad)));
    }
  } finally {
    mock.timers.reset();
    p.close();
  }
});
