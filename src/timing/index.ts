/**
 * The cycle model (issue 5): core descriptions as data, an out-of-order pipeline driven by the
 * functional core's executed-instruction stream, and views over its results.
 */
export { attributeCycles, type CycleShare } from "./attribute.ts";
export {
  applyOverrides,
  CORE_PARAM_NAMES,
  type CoreModel,
  type CoreOverrides,
  CoreOverridesSchema,
  type CoreParamName,
  type CoreParams,
  parseCoreOverrides,
  parseCoreParams,
  type TimingClass,
  type TimingError,
  TimingFailure,
} from "./core.ts";
export { type CoreName, cores } from "./cores/index.ts";
export { KIND_OF_ENCODING, kindOf, type OpKind } from "./kinds.ts";
export {
  findMca,
  LLVM_MCA,
  type McaRegion,
  mcaAvailability,
  mcaSource,
  mcaSpelling,
  parseMcaTotals,
  runMca,
} from "./mca.ts";
export {
  type PerInsnTiming,
  Pipeline,
  type SimulateOptions,
  STALL_REASONS,
  type StallReason,
  simulate,
  type TimingResult,
} from "./pipeline.ts";
export { renderTimeline, type TimelineOptions } from "./timeline.ts";
