// "The split program behaves exactly like the monolith": runs the same calls
// through the fixture's own modules (imported directly: the monolith) and
// through a build of it whose services all run as processes on 127.0.0.1
// (called through the generated clients), and compares the outcomes: equal
// values, or errors with the same name, message, class, enumerable fields and
// cause chain.
//
// The implementation lives in test/helpers/equivalence/; this module keeps
// the public names in one place for the tests that import them.
export { assertWaysAgree, runBuildWays } from "./equivalence/build-ways.ts";
export type { BuildWays } from "./equivalence/build-ways.ts";
export { assertReport, checkEquivalence, monolithFns, registerProgramErrors } from "./equivalence/check.ts";
export { describeOutcome, outcomeOf, profileThrown } from "./equivalence/outcomes.ts";
export { BuildFailed, buildFixture, fixtureTsconfig, startBuilt, startProgram } from "./equivalence/program.ts";
export type { SplitRun } from "./equivalence/program.ts";
export type { Call, CallList, CallResult, EquivalenceOptions, EquivalenceReport, ErrorClass, ErrorProfile, Fns, Outcome, Scenario, Side } from "./equivalence/types.ts";
