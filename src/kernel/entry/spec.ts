/**
 * The executable specification of the whole arm64 syscall with generic entry: el0_svc_common()
 * as Linux v7.0 arch/arm64/kernel/syscall.c has it, i.e. syscall_trace_enter() (v6.18
 * kernel/entry/syscall-common.c out of line, v7.0 include/linux/entry-common.h
 * `static __always_inline`), the syscall body, then the exit work of specGeneric(). The oracle of
 * the `svc-ref`, `svc-exit-inline` and `svc-inline` fixtures: inlining moves code, not effects.
 * Facts as gathered in shared/KERNEL.md §6.
 */
import { match } from "ts-pattern";
import { decodeWork, type SyscallWorkDecoded, scratchRegister } from "../decode.ts";
import type { ScratchRegister } from "../effects.ts";
import { specGeneric } from "../spec-generic.ts";
import { SYSCALL_WORK_ENTER } from "../work.ts";
import type { EntryEffect, SyscallInput, SyscallOutcome } from "./types.ts";

/** NO_SYSCALL (arch/arm64/include/asm/ptrace.h): the number of a syscall that must not run. */
export const NO_SYSCALL = -1;
/** PTRACE_SYSCALL_ENTER (arch/arm64/kernel/ptrace.c): the scratch value at an entry stop. */
export const PTRACE_SYSCALL_ENTER = 0n;
export const ENOSYS = 38;

/** Everything the entry work decides on, named as the kernel names it. */
export interface EntryDecoded extends SyscallWorkDecoded {
  /** `work & SYSCALL_WORK_ENTER`: el0_svc_common() calls syscall_trace_enter(). */
  readonly enterWork: boolean;
  readonly auditContext: boolean;
  readonly compat: boolean;
}

export function decodeEntry(input: SyscallInput): EntryDecoded {
  return {
    ...decodeWork(input.workAtEntry),
    enterWork: (input.workAtEntry & SYSCALL_WORK_ENTER) !== 0n,
    auditContext: input.auditContext,
    compat: input.compat,
  };
}

/** The task while it runs the entry work: pt_regs as it evolves, on_dispatch, effects so far. */
interface EntryRun {
  readonly input: SyscallInput;
  readonly d: EntryDecoded;
  readonly regs: { x0: bigint; x7: bigint; x12: bigint; orig_x0: bigint; syscallno: number };
  onDispatch: boolean;
  readonly effects: EntryEffect[];
}

/**
 * syscall_set_return_value(current, regs, error, val) - x0 as a syscall returns it
 *
 * arch/arm64/include/asm/syscall.h: a compat task's register holds only lower_32_bits(val).
 */
function syscall_set_return_value(run: EntryRun, value: bigint): void {
  run.regs.x0 = run.d.compat ? BigInt.asUintN(32, value) : BigInt.asUintN(64, value);
}

function scratchOf(run: EntryRun, reg: ScratchRegister): bigint {
  return reg === "x7" ? run.regs.x7 : run.regs.x12;
}

function setScratch(run: EntryRun, reg: ScratchRegister, value: bigint): void {
  if (reg === "x7") run.regs.x7 = BigInt.asUintN(64, value);
  else run.regs.x12 = BigInt.asUintN(64, value);
}

/**
 * syscall_user_dispatch() - SUD: true when the syscall must not run
 *
 * kernel/entry/syscall_user_dispatch.c: dispatching sets on_dispatch, rolls the syscall back
 * (arm64 syscall_rollback(): x0 = orig_x0) and queues SIGSYS; a bad selector kills the task with
 * SIGSYS without touching on_dispatch.
 */
function syscall_user_dispatch(run: EntryRun): boolean {
  run.effects.push({ kind: "sud_dispatch", outcome: run.input.sud });
  return match(run.input.sud)
    .with("allow", () => false)
    .with("dispatch", () => {
      run.onDispatch = true;
      run.regs.x0 = run.regs.orig_x0;
      return true;
    })
    .with("kill", () => true)
    .exhaustive();
}

/**
 * arch_ptrace_report_syscall_entry() - the entry stop with arm64's scratch-register ABI
 *
 * v6.18 arch/arm64/kernel/ptrace.c report_syscall(regs, PTRACE_SYSCALL_ENTER), kept by the
 * generic-entry series: the tracer sees 0 in x7 (r12 for compat) and the saved value is restored
 * after the stop whatever the tracer wrote; a non-zero report forgets the syscall
 * (syscallno = NO_SYSCALL). Return: the report's result.
 */
function arch_ptrace_report_syscall_entry(run: EntryRun): boolean {
  const reg = scratchRegister(run.d.compat);
  const saved = scratchOf(run, reg);
  setScratch(run, reg, PTRACE_SYSCALL_ENTER);
  run.effects.push({
    kind: "ptrace_entry",
    scratchReg: reg,
    scratch: scratchOf(run, reg),
    nr: run.regs.syscallno,
  });
  const ret = match(run.input.entryTracer)
    .with({ kind: "none" }, () => false)
    .with({ kind: "set_nr" }, (t) => {
      run.regs.syscallno = t.nr;
      return false;
    })
    .with({ kind: "skip" }, () => true)
    .with({ kind: "write_scratch" }, (t) => {
      setScratch(run, reg, t.scratch);
      return false;
    })
    .exhaustive();
  if (ret) run.regs.syscallno = NO_SYSCALL;
  setScratch(run, reg, saved);
  return ret;
}

/** __secure_computing() - the seccomp verdict on regs->syscallno; true when the syscall must not run. */
function secure_computing(run: EntryRun): boolean {
  run.effects.push({ kind: "seccomp", nr: run.regs.syscallno });
  return match(run.input.seccomp)
    .with({ kind: "allow" }, () => false)
    .with({ kind: "errno" }, (v) => {
      syscall_set_return_value(run, BigInt(-v.errno));
      return true;
    })
    .with({ kind: "skip" }, () => true)
    .exhaustive();
}

/**
 * syscall_trace_enter() - the entry work, in the order of KERNEL.md §6
 * @run: the task, entered only when a SYSCALL_WORK_ENTER bit is set
 *
 * SUD first and exclusive (its ABI may make no sense to the rest); the rseq slice; the ptrace
 * entry stop (TRACE or EMU), after which EMU always skips; seccomp after ptrace so that it judges
 * what the tracer left; then the number is read again for the tracepoint, read again after it
 * (a probe may change it) and handed to audit with orig_x0 and x1..x3.
 * Return: the syscall number to run, or NO_SYSCALL.
 */
function syscall_trace_enter(run: EntryRun): number {
  const d = run.d;
  if (d.syscallUserDispatch && syscall_user_dispatch(run)) return NO_SYSCALL;
  if (d.rseqSlice) run.effects.push({ kind: "rseq_slice_enter", nr: run.regs.syscallno });
  if (d.trace || d.emu) {
    const ret = arch_ptrace_report_syscall_entry(run);
    if (ret || d.emu) return NO_SYSCALL;
  }
  if (d.seccomp && secure_computing(run)) return NO_SYSCALL;

  let syscall = run.regs.syscallno;
  if (d.tracepoint) {
    run.effects.push({ kind: "sys_enter", nr: syscall });
    if (run.input.tracepointNr !== null) run.regs.syscallno = run.input.tracepointNr;
    syscall = run.regs.syscallno;
  }
  if (d.auditContext) {
    const [a1, a2, a3] = run.input.args;
    run.effects.push({ kind: "audit_entry", nr: syscall, args: [run.regs.orig_x0, a1, a2, a3] });
  }
  return syscall;
}

/**
 * specSyscall() - el0_svc_common() on arm64 with generic entry, v7.0
 * @input: the task at syscall entry, plus what the hooks decide (SUD, tracers, seccomp, probes)
 *
 * With entry work, a user-issued syscall(-1) gets x0 = -ENOSYS first (a tracer's skip must not
 * leave the argument as the return value); a NO_SYSCALL from syscall_trace_enter() skips the body,
 * but never the exit work. Without entry work a syscall(-1) goes to the body (do_ni_syscall).
 * The body stores its return value (lower 32 bits for compat tasks) and leaves `input.work` in
 * thread_info; a skipped one leaves `workAtEntry`.
 * Return: entry effects, then syscall_body or syscall_skipped, then specGeneric()'s exit effects,
 * and the final pt_regs / on_dispatch.
 */
export function specSyscall(input: SyscallInput): SyscallOutcome {
  const r = input.regs;
  const run: EntryRun = {
    input,
    d: decodeEntry(input),
    regs: {
      x0: BigInt.asUintN(64, r.orig_x0),
      x7: BigInt.asUintN(64, r.x7),
      x12: BigInt.asUintN(64, r.x12),
      orig_x0: BigInt.asUintN(64, r.orig_x0),
      syscallno: r.syscallno,
    },
    onDispatch: input.onDispatch,
    effects: [],
  };
  let scno = r.syscallno;
  let bodyRuns = true;
  if (run.d.enterWork) {
    if (scno === NO_SYSCALL) syscall_set_return_value(run, BigInt(-ENOSYS));
    scno = syscall_trace_enter(run);
    bodyRuns = scno !== NO_SYSCALL;
  }
  if (bodyRuns) {
    run.effects.push({ kind: "syscall_body", nr: scno });
    syscall_set_return_value(run, input.regs.x0);
  } else run.effects.push({ kind: "syscall_skipped" });

  const exit = specGeneric({
    ...input,
    work: bodyRuns ? input.work : input.workAtEntry,
    onDispatch: run.onDispatch,
    regs: { ...run.regs },
  });
  return { effects: [...run.effects, ...exit.effects], final: exit.final };
}
