// SPDX-License-Identifier: GPL-2.0-only
/*
 * ref_syscall_common.c - syscall_exit_work() as kernel/entry/syscall-common.c has it in
 * Linux v6.18: out of line, in its own translation unit.
 */
#include "generic.h"

void syscall_exit_work(struct pt_regs *regs, unsigned long work);

noinline void syscall_exit_work(struct pt_regs *regs, unsigned long work)
{
	bool step;

	/*
	 * A syscall the SUD dispatcher redirected to user space never ran: clear the flag the
	 * entry side set and skip every exit effect.
	 */
	if (unlikely(work & SYSCALL_WORK_SYSCALL_USER_DISPATCH)) {
		if (unlikely(current->syscall_dispatch.on_dispatch)) {
			current->syscall_dispatch.on_dispatch = false;
			return;
		}
	}

	audit_syscall_exit(regs);

	if (work & SYSCALL_WORK_SYSCALL_TRACEPOINT)
		trace_sys_exit(regs, syscall_get_return_value(current, regs));

	step = report_single_step(work);
	if (step || work & SYSCALL_WORK_SYSCALL_TRACE)
		arch_ptrace_report_syscall_exit(regs, step);
}
