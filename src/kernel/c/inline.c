// SPDX-License-Identifier: GPL-2.0-only
/*
 * inline.c - variant `inline`: the generic exit path of Linux v7.0, after "entry: Inline
 * syscall_exit_work()" (tip 31c9387d0d84).
 *
 * syscall_exit_work() is __always_inline in include/linux/entry-common.h; only the
 * tracepoint goes through an out-of-line wrapper, trace_syscall_exit(), which lives in
 * kernel/entry/syscall-common.c (here inline_syscall_common.c) so that the tracepoint
 * machinery is not inlined into every caller.
 */
#include "generic.h"

void trace_syscall_exit(struct pt_regs *regs, long ret);

static __always_inline void syscall_exit_work(struct pt_regs *regs, unsigned long work)
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
		trace_syscall_exit(regs, syscall_get_return_value(current, regs));

	step = report_single_step(work);
	if (step || work & SYSCALL_WORK_SYSCALL_TRACE)
		arch_ptrace_report_syscall_exit(regs, step);
}

static __always_inline void syscall_exit_to_user_mode_work(struct pt_regs *regs)
{
	unsigned long work = READ_ONCE(current_thread_info()->syscall_work);

	if (EXITWORK_DEBUG_RSEQ)
		rseq_syscall(regs);

	if (unlikely(work & SYSCALL_WORK_EXIT))
		syscall_exit_work(regs, work);
}

static __always_inline void variant_exit_to_user_mode(struct pt_regs *regs, unsigned long flags)
{
	syscall_exit_to_user_mode_work(regs);
}

#include "el0_svc_common.h"
