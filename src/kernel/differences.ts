/**
 * The intentional differences between the legacy arm64 exit path (v6.18, spec-legacy.ts) and
 * generic entry (spec-generic.ts), declared as data (shared/KERNEL.md §5).
 *
 * The two models read different words: generic entry reads thread_info->syscall_work (`work`,
 * `workAtEntry`), legacy arm64 reads thread_info->flags (`tifFlags`, `tifFlagsAtEntry`). A
 * comparison only means something when both words describe the same thread, so every
 * declaration here is stated over COHERENT inputs (see coherent()): the TIF bits the legacy
 * path tests are exactly legacyFlagsFor() of the work word at the same moment. TIF bits the
 * legacy path never tests may hold anything.
 *
 * Each `applies` predicate is exact on coherent inputs: when it holds, the two specifications'
 * outcomes (effects or final state) differ, and when no predicate holds they are equal. Both
 * directions are tested (properties/spec-differences.test.ts), so a predicate that is too wide,
 * too narrow, or not needed at all fails a test.
 */
import { decodeExit, decodeWork, type ExitDecoded, type SyscallWorkDecoded } from "./decode.ts";
import type { ExitInput } from "./state.ts";
import {
  _TIF_32BIT,
  _TIF_SECCOMP,
  _TIF_SINGLESTEP,
  _TIF_SYSCALL_AUDIT,
  _TIF_SYSCALL_EMU,
  _TIF_SYSCALL_EXIT_WORK,
  _TIF_SYSCALL_TRACE,
  _TIF_SYSCALL_TRACEPOINT,
  SYSCALL_WORK_SECCOMP,
  SYSCALL_WORK_SYSCALL_AUDIT,
  SYSCALL_WORK_SYSCALL_EMU,
  SYSCALL_WORK_SYSCALL_EXIT_TRAP,
  SYSCALL_WORK_SYSCALL_TRACE,
  SYSCALL_WORK_SYSCALL_TRACEPOINT,
} from "./work.ts";

/**
 * Which TIF flag stands for which work bit. USER_DISPATCH and RSEQ_SLICE have no legacy arm64
 * counterpart; EXIT_TRAP is what user_enable_single_step() sets where legacy set TIF_SINGLESTEP.
 */
const WORK_TO_TIF: readonly (readonly [work: bigint, tif: bigint])[] = [
  [SYSCALL_WORK_SECCOMP, _TIF_SECCOMP],
  [SYSCALL_WORK_SYSCALL_TRACEPOINT, _TIF_SYSCALL_TRACEPOINT],
  [SYSCALL_WORK_SYSCALL_TRACE, _TIF_SYSCALL_TRACE],
  [SYSCALL_WORK_SYSCALL_EMU, _TIF_SYSCALL_EMU],
  [SYSCALL_WORK_SYSCALL_AUDIT, _TIF_SYSCALL_AUDIT],
  [SYSCALL_WORK_SYSCALL_EXIT_TRAP, _TIF_SINGLESTEP],
];

/** The TIF flags a legacy kernel would hold for a thread with this work word (only the bits the exit path tests). */
export function legacyFlagsFor(work: bigint): bigint {
  return WORK_TO_TIF.reduce((flags, [w, tif]) => ((work & w) !== 0n ? flags | tif : flags), 0n);
}

/** The TIF bits the legacy exit path tests (TIF_32BIT is taken from `compat`, not from the word). */
export const LEGACY_TESTED_TIF = _TIF_SYSCALL_EXIT_WORK;

/**
 * coherent() - whether the legacy words describe the same thread as the generic ones
 * @input: the task state
 *
 * True when the tested TIF bits of tifFlags mirror `work` and those of tifFlagsAtEntry mirror
 * `workAtEntry`. Only coherent inputs take part in the legacy-vs-generic comparison.
 */
export function coherent(input: ExitInput): boolean {
  return (
    (input.tifFlags & LEGACY_TESTED_TIF) === legacyFlagsFor(input.work) &&
    (input.tifFlagsAtEntry & LEGACY_TESTED_TIF) === legacyFlagsFor(input.workAtEntry)
  );
}

/**
 * withLegacyFlags() - the same input with legacy words that describe the same thread
 * @input: any input; its TIF bits the legacy exit path does not test are kept
 *
 * Sets the tested bits of tifFlags / tifFlagsAtEntry from work / workAtEntry and TIF_32BIT from
 * `compat`, so coherent(withLegacyFlags(x)) always holds.
 */
export function withLegacyFlags(input: ExitInput): ExitInput {
  const keep = (flags: bigint) => flags & ~(LEGACY_TESTED_TIF | _TIF_32BIT);
  const is32 = input.compat ? _TIF_32BIT : 0n;
  return {
    ...input,
    tifFlags: keep(input.tifFlags) | legacyFlagsFor(input.work) | is32,
    tifFlagsAtEntry: keep(input.tifFlagsAtEntry) | legacyFlagsFor(input.workAtEntry) | is32,
  };
}

export type DifferenceId =
  | "sud_gate"
  | "sud_work_opens_exit_path"
  | "seccomp_emu_no_exit_work"
  | "gate_read_at_exit"
  | "debug_rseq_legacy_always_exits"
  | "sysemu_singlestep_no_exit_report"
  | "step_from_work_word"
  | "rseq_first";

export interface LegacyDifference {
  readonly id: DifferenceId;
  /** One line: what changed and why the outcome differs. */
  readonly reason: string;
  /** "KERNEL.md §5" for a listed difference; "derived" for a consequence of one that needs its own declaration. */
  readonly source: "KERNEL.md §5" | "derived";
  /**
   * On coherent inputs: when true, the legacy and generic outcomes differ because of this rule;
   * when no declaration's predicate is true, the outcomes are equal.
   */
  readonly applies: (input: ExitInput) => boolean;
}

/** Both words of an input decoded once, so the predicates below read as the rules they state. */
interface ThreadView {
  readonly input: ExitInput;
  /** The generic view at exit (work word, task state, report_single_step). */
  readonly d: ExitDecoded;
  /** The work word at syscall entry (legacy's entry snapshot, on coherent inputs). */
  readonly entry: SyscallWorkDecoded;
  /** The SUD gate fires: generic clears on_dispatch and does nothing else. */
  readonly sudGate: boolean;
}

function viewOf(input: ExitInput): ThreadView {
  const d = decodeExit(input);
  return { input, d, entry: decodeWork(input.workAtEntry), sudGate: d.syscallUserDispatch && d.onDispatch };
}

/** Exit work bits both gates know: generic SYSCALL_WORK_EXIT without USER_DISPATCH. */
function sharedExitBits(w: SyscallWorkDecoded): boolean {
  return w.tracepoint || w.trace || w.audit || w.exitTrap;
}

/** Legacy's _TIF_SYSCALL_WORK counterpart in a work word (the entry-snapshot test). */
function legacySyscallWork(w: SyscallWorkDecoded): boolean {
  return w.trace || w.audit || w.tracepoint || w.seccomp || w.emu;
}

/**
 * Only legacy runs its exit work, and the only effect that work can have without a shared exit
 * bit is the audit record, so the outcomes differ exactly when there is an audit context.
 */
function onlyLegacyAudits(v: ThreadView): boolean {
  return v.d.auditContext && !v.d.exitWork;
}

/** With CONFIG_DEBUG_RSEQ legacy always runs syscall_trace_exit(): does it do more than rseq? */
function legacyHasExitEffect(v: ThreadView): boolean {
  return v.d.auditContext || v.d.tracepoint || v.d.trace || v.d.exitTrap;
}

/** Does the generic path have an effect besides the rseq check? */
function genericHasExitEffect(v: ThreadView): boolean {
  const d = v.d;
  return v.sudGate || (d.exitWork && (d.auditContext || d.tracepoint || d.trace || d.step));
}

interface Declaration extends Omit<LegacyDifference, "applies"> {
  readonly when: (v: ThreadView) => boolean;
}

const DECLARATIONS: readonly Declaration[] = [
  {
    id: "sud_gate",
    reason:
      "syscall user dispatch exists only with generic entry: its gate clears on_dispatch and skips all exit work",
    source: "KERNEL.md §5",
    when: (v) => v.sudGate,
  },
  {
    id: "sud_work_opens_exit_path",
    reason:
      "USER_DISPATCH is in SYSCALL_WORK_EXIT with no legacy flag: off dispatch it alone runs the exit work, so an audit context is audited only on generic",
    source: "derived",
    when: (v) =>
      v.d.auditContext &&
      v.d.syscallUserDispatch &&
      !v.d.onDispatch &&
      !sharedExitBits(v.d) &&
      !v.d.seccomp &&
      !v.d.emu &&
      !legacySyscallWork(v.entry) &&
      !v.d.debugRseq,
  },
  {
    id: "seccomp_emu_no_exit_work",
    reason:
      "SECCOMP and EMU are not in SYSCALL_WORK_EXIT: a seccomp-only or emu-only task no longer gets exit audit",
    source: "KERNEL.md §5",
    when: (v) => onlyLegacyAudits(v) && (v.d.seccomp || v.d.emu),
  },
  {
    id: "gate_read_at_exit",
    reason:
      "generic gates on the work word read at exit; legacy also ran exit work when the entry snapshot had work",
    source: "KERNEL.md §5",
    when: (v) => onlyLegacyAudits(v) && legacySyscallWork(v.entry),
  },
  {
    id: "debug_rseq_legacy_always_exits",
    reason:
      "with CONFIG_DEBUG_RSEQ legacy always calls syscall_trace_exit(); generic still gates on SYSCALL_WORK_EXIT",
    source: "derived",
    when: (v) => onlyLegacyAudits(v) && v.d.debugRseq,
  },
  {
    id: "sysemu_singlestep_no_exit_report",
    reason: "PTRACE_SYSEMU_SINGLESTEP (EMU|EXIT_TRAP without TRACE) no longer gets an exit report",
    source: "KERNEL.md §5",
    when: (v) => !v.sudGate && v.d.emu && v.d.exitTrap && !v.d.trace,
  },
  {
    id: "step_from_work_word",
    reason:
      "step is report_single_step(work), which EMU masks; legacy tested TIF_SINGLESTEP, so a traced SYSEMU_SINGLESTEP task gets a syscall-exit stop, not a step",
    source: "KERNEL.md §5",
    when: (v) => !v.sudGate && v.d.emu && v.d.exitTrap && v.d.trace,
  },
  {
    id: "rseq_first",
    reason:
      "the CONFIG_DEBUG_RSEQ check moved from last (after syscall_trace_exit) to first (before the gate)",
    source: "KERNEL.md §5",
    // The order shows only when both sides have an effect besides the check; when one side has
    // none, the outcomes differ for one of the gate rules above, not for the order.
    when: (v) => v.d.debugRseq && legacyHasExitEffect(v) && genericHasExitEffect(v),
  },
];

export const LEGACY_DIFFERENCES: readonly LegacyDifference[] = DECLARATIONS.map(({ when, ...rest }) => ({
  ...rest,
  applies: (input: ExitInput) => when(viewOf(input)),
}));

/** The declared differences that apply to an input (meaningful for coherent inputs only). */
export function differencesFor(input: ExitInput): LegacyDifference[] {
  const v = viewOf(input);
  return LEGACY_DIFFERENCES.filter((_, i) => DECLARATIONS[i]?.when(v));
}
