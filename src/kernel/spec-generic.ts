/**
 * The executable specification of the generic-entry syscall exit work on arm64: the oracle the
 * `ref` and `inline` fixtures are checked against.
 *
 * Follows syscall_exit_to_user_mode_work() and syscall_exit_work() as v6.18
 * kernel/entry/syscall-common.c has them out of line (arm64 generic-entry series) and as v7.0
 * include/linux/entry-common.h has them `static __always_inline` ("entry: Inline
 * syscall_exit_work()"): the inlining moves code, not effects, so one specification serves both
 * layouts. The arm64 report is arch_ptrace_report_syscall_exit() (exit-hooks.ts).
 * Facts as gathered in shared/KERNEL.md §3.
 */
import { match } from "ts-pattern";
import { decodeExit, type ExitDecoded, scratchRegister } from "./decode.ts";
import type { ExitOutcome } from "./effects.ts";
import {
  arch_ptrace_report_syscall_exit,
  audit_syscall_exit,
  type ExitRun,
  finishRun,
  rseq_check,
  startRun,
  trace_sys_exit,
} from "./exit-hooks.ts";
import type { ExitInput } from "./state.ts";

/**
 * syscall_exit_work() - the slow path, entered only when a SYSCALL_WORK_EXIT bit is set
 * @run: the task
 * @d: the decoded work word (read once at exit) and task state
 *
 * The SUD gate comes first and excludes everything else: a syscall that syscall user dispatch
 * redirected to the user-space handler was never executed, so there is nothing to audit, trace
 * or report; clearing on_dispatch re-arms dispatch for the handler's own return (sigreturn).
 */
function syscall_exit_work(run: ExitRun, d: ExitDecoded): void {
  match(d)
    .with({ syscallUserDispatch: true, onDispatch: true }, () => {
      run.onDispatch = false;
      run.effects.push({ kind: "on_dispatch_cleared" });
    })
    .otherwise(() => {
      audit_syscall_exit(run, d.auditContext);
      if (d.tracepoint) trace_sys_exit(run);
      match(d)
        .with({ step: true }, () => arch_ptrace_report_syscall_exit(run, scratchRegister(d.compat), true))
        .with({ step: false, trace: true }, () =>
          arch_ptrace_report_syscall_exit(run, scratchRegister(d.compat), false),
        )
        .with({ step: false, trace: false }, () => {})
        .exhaustive();
    });
}

/**
 * specGeneric() - syscall_exit_to_user_mode_work() on arm64 with generic entry
 * @input: the task state at syscall exit
 *
 * Reads `input.work` (the word as it is at exit, READ_ONCE) and never `workAtEntry`, nor the
 * legacy TIF words. Return: the effects in order and the task's pt_regs / on_dispatch after them.
 */
export function specGeneric(input: ExitInput): ExitOutcome {
  const d = decodeExit(input);
  const run = startRun(input);
  if (d.debugRseq) rseq_check(run);
  if (d.exitWork) syscall_exit_work(run, d);
  return finishRun(run);
}
