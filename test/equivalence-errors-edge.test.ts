// calls-errors and calls-edge: errors cross the wire with their class, fields
// and causes; remote calls in then() callbacks and optional-chained maps answer
// as in the monolith.
import { describe, test } from "node:test";
import { checkEquivalence } from "./helpers/equivalence.ts";
import { GUARD, each1 } from "./helpers/equivalence-calls.ts";
import * as programErrors from "../fixtures/calls-errors/src/errors.ts";

const ERROR_KINDS = ["none", "validation", "quiet", "proto", "syntax", "type", "reference", "uri", "aggregate", "cause-chain", "cause-value", "custom-field", "string"];
const IDS = [5, 0, -7, 2.5, 5000];

describe("calls-errors", () => {
  test("errors cross the wire with their class, fields and causes, and callers' catch branches behave as in the monolith", GUARD, async () => {
    await checkEquivalence({
      fixture: "calls-errors",
      label: "eq-calls-errors",
      // The test receives the services' errors through dist/clients: it
      // registers the program's classes, imported from the fixture's source.
      errorClasses: { ...programErrors },
      calls: [
        // thrown by a service, received by the test
        ...each1("errFind", IDS),
        ...each1("errAsyncFind", IDS),
        ...each1("errThrow", ERROR_KINDS),
        // caught inside another service
        ...each1("errLookup", IDS),
        ...each1("errDescribe", IDS),
        ...each1("errDescribeKind", ERROR_KINDS),
        ...each1("errAsyncLookup", IDS.slice(0, 4)),
        ...each1("errFindEach", [[1, 0, -4, 2.5, 2000, 9], []]),
        // passed on, or wrapped, by another service: two hops
        ...each1("errWrap", IDS),
        ...each1("errPassThrough", ERROR_KINDS),
        ...each1("errFindAll", [[1, 2], [1, 0, -1], [], [3, 2.5]]),
      ],
    });
  });
});

// ---------------------------------------------------------------------------

describe("calls-edge", () => {
  test("remote calls in a then() callback and an optional-chained map build and answer as in the monolith (a default parameter is a diagnostic: see diag-calls)", GUARD, async () => {
    await checkEquivalence({
      fixture: "calls-edge",
      label: "eq-calls-edge",
      calls: [
        ...each1("edgeThenCallback", [0, 4]),
        ...each1("edgeOptionalMap", [null, [], [1, 2, 3]]),
      ],
    });
  });
});
