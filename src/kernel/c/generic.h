/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * generic.h - pieces of the generic-entry exit path shared by `ref`, `inline` and the mutants.
 *
 * report_single_step() follows kernel/entry/syscall-common.c (v6.18) / include/linux/
 * entry-common.h (v7.0); arch_ptrace_report_syscall_exit() follows the arm64 generic-entry
 * series, which keeps the legacy x7/r12 ABI: the tracer sees PTRACE_SYSCALL_EXIT in the
 * scratch register at a syscall-exit stop, never at a single-step report.
 */
#ifndef EXITWORK_GENERIC_H
#define EXITWORK_GENERIC_H

#include "arm64.h"

/*
 * PTRACE_SYSEMU_SINGLESTEP sets both EMU and EXIT_TRAP; such a task must not get an exit
 * report, because the emulated syscall never ran.
 */
static __always_inline bool report_single_step(unsigned long work)
{
	if (work & SYSCALL_WORK_SYSCALL_EMU)
		return false;

	return work & SYSCALL_WORK_SYSCALL_EXIT_TRAP;
}

static __always_inline void arch_ptrace_report_syscall_exit(struct pt_regs *regs, int step)
{
	int regno = ptrace_scratch_regno();
	unsigned long saved_reg = regs->regs[regno];

	regs->regs[regno] = PTRACE_SYSCALL_EXIT;
	if (!step) {
		/* A tracer's write to the scratch register during the stop must not reach the task. */
		ptrace_report_syscall_exit(regs, 0);
		regs->regs[regno] = saved_reg;
	} else {
		/* A single-step report shows the real register, and the tracer may change it. */
		regs->regs[regno] = saved_reg;
		ptrace_report_syscall_exit(regs, 1);
	}
}

#endif /* EXITWORK_GENERIC_H */
