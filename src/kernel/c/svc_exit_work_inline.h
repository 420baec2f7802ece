/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * svc_exit_work_inline.h - syscall_exit_work() `static __always_inline`, as v7.0
 * include/linux/entry-common.h has it ("entry: Inline syscall_exit_work()"), for the
 * `svc-exit-inline` and `svc-inline` variants and their mutants. The same code as inline.c,
 * whose bytes must not change, so it is not shared with it.
 */
#ifndef EXITWORK_SVC_EXIT_WORK_INLINE_H
#define EXITWORK_SVC_EXIT_WORK_INLINE_H

#include "svc.h"

void trace_syscall_exit(struct pt_regs *regs, long ret);

static __always_inline void syscall_exit_work(struct pt_regs *regs, unsigned long work)
{
	bool step;

	/* A dispatched syscall never ran: re-arm dispatch and skip every exit effect. */
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

#endif /* EXITWORK_SVC_EXIT_WORK_INLINE_H */
