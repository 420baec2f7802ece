/**
 * The executable specification of the legacy arm64 syscall exit work (v6.18, before the
 * generic-entry conversion): the oracle the `legacy` fixtures are checked against, and the
 * other side of the declared differences in differences.ts.
 *
 * Follows v6.18 arch/arm64/kernel/syscall.c el0_svc_common() (the exit gate) and
 * arch/arm64/kernel/ptrace.c syscall_trace_exit() and report_syscall(). Legacy entry has no
 * syscall_work word: it reads thread_info->flags (TIF_*), and never `input.work`.
 * Facts as gathered in shared/KERNEL.md §5.
 */
import { match } from "ts-pattern";
import { decodeTif, scratchRegister } from "./decode.ts";
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
 * legacyExitGate() - whether el0_svc_common() goes on to syscall_trace_exit()
 * @input: the task state
 *
 * A task that had syscall work at entry (the `flags` snapshot el0_svc_common took) always gets
 * the exit work, "as the old entry assembly did". Otherwise, without CONFIG_DEBUG_RSEQ, flags
 * are read again, because tracing may have been switched on during the syscall, and single-step
 * alone also opens the gate. With CONFIG_DEBUG_RSEQ the gate is always open so that
 * rseq_syscall() runs on every syscall.
 */
export function legacyExitGate(input: ExitInput): boolean {
  const atEntry = decodeTif(input.tifFlagsAtEntry);
  const atExit = decodeTif(input.tifFlags);
  return match({ snapshot: atEntry.syscallWork, debugRseq: input.debugRseq })
    .with({ snapshot: true }, () => true)
    .with({ snapshot: false, debugRseq: true }, () => true)
    .with({ snapshot: false, debugRseq: false }, () => atExit.syscallWork || atExit.singlestep)
    .exhaustive();
}

/**
 * syscall_trace_exit() - legacy arm64 exit work
 * @run: the task
 * @input: the task state; thread flags are read fresh (input.tifFlags)
 *
 * Audit is guarded by the audit context alone. The report runs for TIF_SYSCALL_TRACE or
 * TIF_SINGLESTEP, and report_syscall() picks step by testing TIF_SINGLESTEP again: EMU plays no
 * part. rseq_syscall() comes last and is called unconditionally, but acts only with
 * CONFIG_DEBUG_RSEQ, so its effect appears only then. Compat comes from input.compat (TIF_32BIT).
 */
function syscall_trace_exit(run: ExitRun, input: ExitInput): void {
  const flags = decodeTif(input.tifFlags);
  audit_syscall_exit(run, input.auditContext);
  if (flags.syscallTracepoint) trace_sys_exit(run);
  match(flags)
    .with({ singlestep: true }, () =>
      arch_ptrace_report_syscall_exit(run, scratchRegister(input.compat), true),
    )
    .with({ singlestep: false, syscallTrace: true }, () =>
      arch_ptrace_report_syscall_exit(run, scratchRegister(input.compat), false),
    )
    .with({ singlestep: false, syscallTrace: false }, () => {})
    .exhaustive();
  if (input.debugRseq) rseq_check(run);
}

/**
 * specLegacy() - the exit half of v6.18 arm64 el0_svc_common()
 * @input: the task state at syscall exit
 *
 * Reads tifFlagsAtEntry, tifFlags, audit context, compat and CONFIG_DEBUG_RSEQ; ignores `work`
 * and on_dispatch (legacy arm64 has no syscall user dispatch). Return: effects and final state.
 */
export function specLegacy(input: ExitInput): ExitOutcome {
  const run = startRun(input);
  if (legacyExitGate(input)) syscall_trace_exit(run, input);
  return finishRun(run);
}
