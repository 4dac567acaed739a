// The disconnect watch of a call on Node's listener: a response closing before its answer cancels
// the call; once the work settled (dispose) or the answer was written, a close changes nothing.
// The listener stays on the response after dispose (taking it off again made every call's objects
// outlive the next young-generation GC, see call-abort.ts); these pin that it is inert there.
import { test } from "node:test";
import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import type { ServerResponse } from "node:http";
import { CallAbort } from "../src/server/call-abort.js";
import { ServiceError } from "../src/errors.js";

/** A response as the watch sees it: an emitter of "close" with `writableFinished`. */
function fakeResponse(): EventEmitter & { writableFinished: boolean } {
  return Object.assign(new EventEmitter(), { writableFinished: false });
}

const neverAsked = (): AbortSignal => {
  throw new Error("the request signal is not read when there is a response to watch");
};

test("the response closing before the answer cancels the call", () => {
  const res = fakeResponse();
  const call = new CallAbort("svc", "/f", undefined);
  call.watchCaller(res as unknown as ServerResponse, neverAsked);
  const seen: string[] = [];
  call.onAbort(() => seen.push("aborted"));
  res.emit("close");
  assert.equal(call.aborted, true);
  assert.ok(ServiceError.is(call.reason) && call.reason.code === "CANCELLED");
  assert.deepEqual(seen, ["aborted"]);
  // The listener stays (a real response closes once); a repeated close changes nothing.
  const reason = call.reason;
  res.emit("close");
  assert.equal(call.reason, reason);
  assert.deepEqual(seen, ["aborted"]);
});

test("after dispose a close does not cancel, however often it comes", () => {
  const res = fakeResponse();
  const call = new CallAbort("svc", "/f", undefined);
  call.watchCaller(res as unknown as ServerResponse, neverAsked);
  call.dispose();
  assert.equal(res.listenerCount("close"), 1, "left on the response on purpose");
  res.emit("close");
  res.emit("close");
  assert.equal(call.aborted, false, "inert however often the response closes");
});

test("a close after the answer was written does not cancel", () => {
  const res = fakeResponse();
  const call = new CallAbort("svc", "/f", undefined);
  call.watchCaller(res as unknown as ServerResponse, neverAsked);
  res.writableFinished = true;
  res.emit("close");
  assert.equal(call.aborted, false);
});

test("without a response, the request's signal is watched and the watch ends with dispose", () => {
  const controller = new AbortController();
  const call = new CallAbort("svc", "/f", undefined);
  call.watchCaller(undefined, () => controller.signal);
  call.dispose();
  controller.abort();
  assert.equal(call.aborted, false);
  const other = new AbortController();
  const watched = new CallAbort("svc", "/f", undefined);
  watched.watchCaller(undefined, () => other.signal);
  other.abort();
  assert.equal(watched.aborted, true);
});
