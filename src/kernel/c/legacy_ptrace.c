// SPDX-License-Identifier: GPL-2.0-only
/*
 * legacy_ptrace.c - syscall_trace_exit() and report_syscall() as
 * arch/arm64/kernel/ptrace.c has them in Linux v6.18 (no SUD on this path; rseq last).
 */
#include "arm64.h"

void syscall_trace_exit(struct pt_regs *regs);

/* report_syscall(regs, PTRACE_SYSCALL_EXIT) with its entry half left out. */
static void report_syscall_exit(struct pt_regs *regs)
{
	int regno = ptrace_scratch_regno();
	unsigned long saved_reg = regs->regs[regno];

	regs->regs[regno] = PTRACE_SYSCALL_EXIT;
	/* The step/no-step choice reads TIF_SINGLESTEP live, not from the flags of the caller. */
	if (!test_thread_flag(TIF_SINGLESTEP)) {
		ptrace_report_syscall_exit(regs, 0);
		regs->regs[regno] = saved_reg;
	} else {
		regs->regs[regno] = saved_reg;
		ptrace_report_syscall_exit(regs, 1);
	}
}

void syscall_trace_exit(struct pt_regs *regs)
{
	unsigned long flags = read_thread_flags();

	audit_syscall_exit(regs);

	if (flags & _TIF_SYSCALL_TRACEPOINT)
		trace_sys_exit(regs, syscall_get_return_value(current, regs));

	if (flags & (_TIF_SYSCALL_TRACE | _TIF_SINGLESTEP))
		report_syscall_exit(regs);

	if (EXITWORK_DEBUG_RSEQ)
		rseq_syscall(regs);
}
