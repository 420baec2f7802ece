/**
 * The entry side as a second subject: the whole el0_svc_common (entry work, syscall body, exit
 * work) with its specification, inputs, effects and committed fixtures. The runner on the
 * simulated core is src/harness/run-syscall.ts (runSyscall, loadSyscallProgram).
 */
export {
  arbEntryTracer,
  arbEntryWork,
  arbSeccomp,
  arbSyscallInput,
  arbSyscallNr,
  ENTRY_BITS,
  OTHER_NR,
  SWEEP_ARGS,
  SWEEP_REGS,
  syscallSweep,
} from "./arbitraries.ts";
export {
  minimalSyscallInputOf,
  readSvcFixture,
  SVC_VARIANTS,
  type SvcVariant,
  svcFixtureInfo,
  svcFixtures,
} from "./fixtures.ts";
export {
  decodeEntry,
  ENOSYS,
  type EntryDecoded,
  NO_SYSCALL,
  PTRACE_SYSCALL_ENTER,
  specSyscall,
} from "./spec.ts";
export {
  defaultSyscallInput,
  describeSyscallInput,
  type EntryEffect,
  type EntryTracerAction,
  formatSyscallEffect,
  formatSyscallEffects,
  isEntryEffect,
  NO_ENTRY_TRACER,
  SECCOMP_ALLOW,
  type SeccompVerdict,
  SUD_OUTCOMES,
  type SudOutcome,
  type SyscallEffect,
  type SyscallEffectKind,
  type SyscallInput,
  type SyscallOutcome,
} from "./types.ts";
