/**
 * exitwork's typed API: load a fixture, run it on the simulated core with an input state, time it
 * on a core model, compare two observations, generate inputs, and format results. A user writes
 * a property of their own with these in vitest (see README.md).
 */

export {
  arbExitInput,
  arbReturnValue,
  arbTracerAction,
  arbWork,
  describeInput,
  exhaustiveInputs,
  inputKey,
} from "./harness/arbitraries.ts";
export { type Budgets, judgeCycles, readBudgets } from "./harness/budgets.ts";
export { type CheckOptions, type CheckRun, runCheck } from "./harness/check.ts";
export {
  compareObservations,
  type Divergence,
  type Observation,
  observationRows,
} from "./harness/compare.ts";
export { detailRun, type RunDetail } from "./harness/detail.ts";
export { runSubject, type Subject, specObservation, subjectOf, timeSubject } from "./harness/observe.ts";
export { exitPath } from "./harness/paths.ts";
export type { CheckSummary, PropertyResult } from "./harness/results.ts";
export type { Effect, ExitOutcome } from "./kernel/effects.ts";
export { formatEffect, formatEffects } from "./kernel/effects.ts";
export { type FixtureInfo, fixtureInfo, listFixtures } from "./kernel/fixtures.ts";
export { inputFromJson, inputToJson } from "./kernel/input-json.ts";
export { specGeneric } from "./kernel/spec-generic.ts";
export { specLegacy } from "./kernel/spec-legacy.ts";
export type { ExitFinalState, ExitInput, RegsInput, TracerAction } from "./kernel/state.ts";
export { defaultInput } from "./kernel/state.ts";
export * from "./kernel/work.ts";
export { renderMarkdown, sideBySide, writeCounterexample } from "./report/counterexample.ts";
export { failureToReport } from "./report/failure-report.ts";
export { formatKtap } from "./report/ktap.ts";
export { formatSummary } from "./report/summary.ts";
export { attributeCycles, cores, renderTimeline, simulate } from "./timing/index.ts";
