/**
 * The exit-side hooks both specifications call: audit, the sys_exit tracepoint and the arm64
 * ptrace report with its x7/r12 scratch-register ABI. Legacy (v6.18) and generic entry share them
 * unchanged (shared/KERNEL.md §5: "Unchanged: the x7/r12 ABI, return values used by audit and
 * tracepoint, effect order").
 *
 * A run is a small mutable record, so each specification reads top to bottom like the kernel
 * function it follows: effects are appended in the order they happen.
 */
import { match } from "ts-pattern";
import { IS_ERR_VALUE, PTRACE_SYSCALL_EXIT, regs_return_value, syscall_get_return_value } from "./decode.ts";
import type { Effect, ExitOutcome, ScratchRegister } from "./effects.ts";
import type { ExitInput, RegsInput, TracerAction } from "./state.ts";

interface MutableRegs {
  x0: bigint;
  x7: bigint;
  x12: bigint;
  orig_x0: bigint;
  syscallno: number;
}

/** The task while it runs the exit path: pt_regs, on_dispatch and the effects so far. */
export interface ExitRun {
  readonly regs: MutableRegs;
  onDispatch: boolean;
  readonly compat: boolean;
  readonly tracer: TracerAction;
  readonly effects: Effect[];
}

/** Registers are 64-bit: every value stored into pt_regs is kept as its unsigned 64-bit pattern. */
function u64(value: bigint): bigint {
  return BigInt.asUintN(64, value);
}

export function startRun(input: ExitInput): ExitRun {
  const r = input.regs;
  return {
    regs: { x0: u64(r.x0), x7: u64(r.x7), x12: u64(r.x12), orig_x0: u64(r.orig_x0), syscallno: r.syscallno },
    onDispatch: input.onDispatch,
    compat: input.compat,
    tracer: input.tracer,
    effects: [],
  };
}

export function finishRun(run: ExitRun): ExitOutcome {
  const regs: RegsInput = { ...run.regs };
  return { effects: [...run.effects], final: { regs, onDispatch: run.onDispatch } };
}

/** rseq_syscall() / the generic rseq debug check; only called when CONFIG_DEBUG_RSEQ is on. */
export function rseq_check(run: ExitRun): void {
  run.effects.push({ kind: "rseq_check" });
}

/**
 * audit_syscall_exit() - __audit_syscall_exit() when the task has an audit context
 *
 * include/linux/audit.h: the guard is audit_context() alone; neither SYSCALL_WORK_SYSCALL_AUDIT
 * nor TIF_SYSCALL_AUDIT is tested here (the caller's gate already looked at the work bits).
 */
export function audit_syscall_exit(run: ExitRun, auditContext: boolean): void {
  if (!auditContext) return;
  const returnCode = regs_return_value(run.regs, run.compat);
  run.effects.push({ kind: "audit_exit", success: !IS_ERR_VALUE(returnCode), returnCode });
}

/** trace_sys_exit(regs, syscall_get_return_value(current, regs)): the raw_syscalls:sys_exit event. */
export function trace_sys_exit(run: ExitRun): void {
  run.effects.push({ kind: "sys_exit", ret: syscall_get_return_value(run.regs, run.compat) });
}

function readScratch(regs: MutableRegs, reg: ScratchRegister): bigint {
  return reg === "x7" ? regs.x7 : regs.x12;
}

function writeScratch(regs: MutableRegs, reg: ScratchRegister, value: bigint): void {
  if (reg === "x7") regs.x7 = u64(value);
  else regs.x12 = u64(value);
}

/**
 * ptrace_report_syscall_exit() - the stop: record what the tracer sees, then let it write pt_regs
 *
 * include/linux/ptrace.h: step -> a single-step SIGTRAP, otherwise a syscall-exit stop
 * (SIGTRAP|0x80, event message 2). Either way the tracer may rewrite registers while the task is
 * stopped; the return value is ignored on exit.
 */
function ptrace_report_syscall_exit(run: ExitRun, reg: ScratchRegister, step: boolean): void {
  run.effects.push({
    kind: "ptrace_exit",
    step,
    scratchReg: reg,
    x0: run.regs.x0,
    scratch: readScratch(run.regs, reg),
  });
  match(run.tracer)
    .with({ kind: "none" }, () => {})
    .with({ kind: "write_x0" }, (t) => {
      run.regs.x0 = u64(t.x0);
    })
    .with({ kind: "write_scratch" }, (t) => writeScratch(run.regs, reg, t.scratch))
    .with({ kind: "write_both" }, (t) => {
      run.regs.x0 = u64(t.x0);
      writeScratch(run.regs, reg, t.scratch);
    })
    .exhaustive();
}

/**
 * arch_ptrace_report_syscall_exit() - arm64's exit report with the scratch-register ABI
 * @run: the task
 * @reg: x7 for AArch64 tasks, r12 for compat tasks
 * @step: a single-step report (report_single_step() generic, TIF_SINGLESTEP legacy)
 *
 * v6.18 arch/arm64/kernel/ptrace.c report_syscall(regs, PTRACE_SYSCALL_EXIT), the same code the
 * generic-entry series keeps as arch_ptrace_report_syscall_exit(): save the scratch register and
 * write PTRACE_SYSCALL_EXIT into it so the tracer can tell an exit stop from an entry stop.
 * Without step the stop comes first and the restore after it, so a tracer's write to the scratch
 * register is discarded; with step the restore comes first, because the pseudo single-step
 * SIGTRAP must show the real register, and a tracer's write to it survives.
 */
export function arch_ptrace_report_syscall_exit(run: ExitRun, reg: ScratchRegister, step: boolean): void {
  const saved = readScratch(run.regs, reg);
  writeScratch(run.regs, reg, PTRACE_SYSCALL_EXIT);
  match(step)
    .with(false, () => {
      ptrace_report_syscall_exit(run, reg, false);
      writeScratch(run.regs, reg, saved);
    })
    .with(true, () => {
      writeScratch(run.regs, reg, saved);
      ptrace_report_syscall_exit(run, reg, true);
    })
    .exhaustive();
}
