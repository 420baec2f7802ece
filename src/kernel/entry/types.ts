/**
 * The whole syscall as one subject: the input of el0_svc_common() (entry work, syscall body,
 * exit work) and its observable effects, extending the exit side's ExitInput and Effect.
 *
 * Names follow Linux v7.0 include/linux/entry-common.h (syscall_trace_enter), kernel/entry/
 * syscall_user_dispatch.c, kernel/seccomp.c and arch/arm64/kernel/syscall.c; facts as gathered
 * in shared/KERNEL.md §6.
 */
import { type Effect, formatEffect, hex, type ScratchRegister } from "../effects.ts";
import { defaultInput, type ExitFinalState, type ExitInput } from "../state.ts";
import { formatWork } from "../work.ts";

/**
 * What syscall_user_dispatch() decides for a task with USER_DISPATCH set: `allow` (the
 * selector says ALLOW or the pc is in the allowed region: false), `dispatch` (on_dispatch = true,
 * syscall rolled back, SIGSYS queued: true) or `kill` (a bad selector: SIGSYS, on_dispatch
 * untouched: true). selftest syscall_user_dispatch/sud_test covers all three.
 */
export type SudOutcome = "allow" | "dispatch" | "kill";
export const SUD_OUTCOMES: readonly SudOutcome[] = ["allow", "dispatch", "kill"];

/**
 * What the tracer does at the syscall-entry stop (PTRACE_SYSCALL / PTRACE_SYSEMU):
 * `set_nr` rewrites regs->syscallno (PTRACE_SET_SYSCALL, NT_ARM_SYSTEM_CALL; -1 skips the
 * syscall), `skip` stands for ptrace_report_syscall_entry() returning non-zero (a fatal signal
 * arrived during the stop), `write_scratch` writes x7 (r12 for compat), which arm64 discards.
 */
export type EntryTracerAction =
  | { readonly kind: "none" }
  | { readonly kind: "set_nr"; readonly nr: number }
  | { readonly kind: "skip" }
  | { readonly kind: "write_scratch"; readonly scratch: bigint };

/**
 * __secure_computing()'s verdict: `allow` (0), `errno` (SECCOMP_RET_ERRNO: x0 = -errno via
 * syscall_set_return_value(), then -1) or `skip` (-1 with x0 untouched: RET_TRAP, RET_KILL, a
 * RET_TRACE tracer that skipped).
 */
export type SeccompVerdict =
  | { readonly kind: "allow" }
  | { readonly kind: "errno"; readonly errno: number }
  | { readonly kind: "skip" };

/**
 * One run of el0_svc_common(). The ExitInput fields keep their meaning for the exit half:
 * `workAtEntry` is the word the entry work reads, `work` the word a syscall body that ran leaves
 * for the exit work (a skipped syscall leaves `workAtEntry`), `regs.x0` the body's return value,
 * `regs.orig_x0` the first argument (x0 at entry), `regs.syscallno` the number at entry,
 * `tracer` the tracer at the exit stop, `auditContext` serves entry and exit audit.
 */
export interface SyscallInput extends ExitInput {
  /** x1..x3 at entry: audit's a1..a3 (a0 is orig_x0). */
  readonly args: readonly [bigint, bigint, bigint];
  readonly sud: SudOutcome;
  readonly entryTracer: EntryTracerAction;
  readonly seccomp: SeccompVerdict;
  /** The number a probe on the sys_enter tracepoint writes into regs->syscallno, or none. */
  readonly tracepointNr: number | null;
}

export type EntryEffect =
  /** syscall_user_dispatch(regs) was asked, and what it decided. */
  | { readonly kind: "sud_dispatch"; readonly outcome: SudOutcome }
  /** rseq_syscall_enter_work(syscall): the time-slice extension is relinquished (v7.0). */
  | { readonly kind: "rseq_slice_enter"; readonly nr: number }
  /** ptrace_report_syscall_entry(regs): the scratch register and syscall number the tracer sees. */
  | {
      readonly kind: "ptrace_entry";
      readonly scratchReg: ScratchRegister;
      readonly scratch: bigint;
      readonly nr: number;
    }
  /** __secure_computing(): the syscall number it judges (regs->syscallno). */
  | { readonly kind: "seccomp"; readonly nr: number }
  /** The raw_syscalls:sys_enter event with its id argument. */
  | { readonly kind: "sys_enter"; readonly nr: number }
  /** __audit_syscall_entry(major, a0..a3). */
  | { readonly kind: "audit_entry"; readonly nr: number; readonly args: readonly bigint[] }
  /** invoke_syscall(regs, scno): the table entry for scno ran. */
  | { readonly kind: "syscall_body"; readonly nr: number }
  /** The entry work returned NO_SYSCALL: no body, straight to the exit work. */
  | { readonly kind: "syscall_skipped" };

export type SyscallEffect = Effect | EntryEffect;
export type SyscallEffectKind = SyscallEffect["kind"];

export interface SyscallOutcome {
  readonly effects: readonly SyscallEffect[];
  readonly final: ExitFinalState;
}

export const NO_ENTRY_TRACER: EntryTracerAction = { kind: "none" };
export const SECCOMP_ALLOW: SeccompVerdict = { kind: "allow" };

/** A quiet syscall: defaultInput() (getppid, 172, returning 0), nothing decided at entry. */
export function defaultSyscallInput(overrides: Partial<SyscallInput> = {}): SyscallInput {
  return {
    ...defaultInput(overrides),
    args: [0n, 0n, 0n],
    sud: "allow",
    entryTracer: NO_ENTRY_TRACER,
    seccomp: SECCOMP_ALLOW,
    tracepointNr: null,
    ...overrides,
  };
}

const ENTRY_KINDS: ReadonlySet<string> = new Set<SyscallEffectKind>([
  "sud_dispatch",
  "rseq_slice_enter",
  "ptrace_entry",
  "seccomp",
  "sys_enter",
  "audit_entry",
  "syscall_body",
  "syscall_skipped",
]);

export function isEntryEffect(effect: SyscallEffect): effect is EntryEffect {
  return ENTRY_KINDS.has(effect.kind);
}

/** The one text form of an effect of either side, a line each. */
export function formatSyscallEffect(effect: SyscallEffect): string {
  if (!isEntryEffect(effect)) return formatEffect(effect);
  switch (effect.kind) {
    case "sud_dispatch":
      return `sud_dispatch ${effect.outcome}`;
    case "rseq_slice_enter":
      return `rseq_slice_enter nr=${effect.nr}`;
    case "ptrace_entry":
      return `ptrace_entry nr=${effect.nr} ${effect.scratchReg}=${hex(effect.scratch)}`;
    case "seccomp":
      return `seccomp nr=${effect.nr}`;
    case "sys_enter":
      return `sys_enter nr=${effect.nr}`;
    case "audit_entry":
      return `audit_entry nr=${effect.nr} args=${effect.args.map(hex).join(",")}`;
    case "syscall_body":
      return `syscall_body nr=${effect.nr}`;
    case "syscall_skipped":
      return "syscall_skipped";
  }
}

export function formatSyscallEffects(effects: readonly SyscallEffect[]): string[] {
  return effects.length === 0 ? ["(no effects)"] : effects.map(formatSyscallEffect);
}

function entryTracerText(t: EntryTracerAction): string {
  switch (t.kind) {
    case "none":
    case "skip":
      return t.kind;
    case "set_nr":
      return `set_nr(${t.nr})`;
    case "write_scratch":
      return `write_scratch(${hex(t.scratch)})`;
  }
}

/** describeSyscallInput() - one line for a human: the entry fields, then what differs from a quiet task. */
export function describeSyscallInput(input: SyscallInput): string {
  const r = input.regs;
  const seccomp = input.seccomp.kind === "errno" ? `errno(${input.seccomp.errno})` : input.seccomp.kind;
  const parts = [
    `work_at_entry=${formatWork(input.workAtEntry)}`,
    `nr=${r.syscallno}`,
    `sud=${input.sud}`,
    `entry_tracer=${entryTracerText(input.entryTracer)}`,
    `seccomp=${seccomp}`,
    `tp_nr=${input.tracepointNr ?? "none"}`,
    `audit_context=${input.auditContext ? 1 : 0}`,
    `compat=${input.compat ? 1 : 0}`,
    `on_dispatch=${input.onDispatch ? 1 : 0}`,
    `x0=${hex(r.x0)} x7=${hex(r.x7)} x12=${hex(r.x12)} orig_x0=${hex(r.orig_x0)}`,
    `args=${input.args.map(hex).join(",")}`,
    `exit_tracer=${input.tracer.kind}`,
  ];
  if (input.work !== input.workAtEntry) parts.push(`work_at_exit=${formatWork(input.work)}`);
  return parts.join(" ");
}
