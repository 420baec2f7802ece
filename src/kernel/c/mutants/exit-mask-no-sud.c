// SPDX-License-Identifier: GPL-2.0-only
/*
 * exit-mask-no-sud.c - mutant of `inline`: exit work mask without SYSCALL_WORK_SYSCALL_USER_DISPATCH.
 *
 * A plausible refactoring slip the conformance properties must catch. The head lines below
 * are read by build.ts into golden/fixtures/manifest.json.
 *
 * @breaks: a task whose only exit work is USER_DISPATCH never reaches the SUD gate: on_dispatch stays set after a dispatched syscall
 * @rule: KERNEL.md 2: SYSCALL_WORK_EXIT contains TRACEPOINT, TRACE, AUDIT, USER_DISPATCH and EXIT_TRAP
 * @bits: USER_DISPATCH
 * @minimal-input: work=USER_DISPATCH on_dispatch=1
 */
#include "generic.h"

void trace_syscall_exit(struct pt_regs *regs, long ret);

/* The slip: the exit mask spelled out by hand, one bit short. */
#define EXIT_WORK_MASK                                                              \
	(SYSCALL_WORK_SYSCALL_TRACEPOINT | SYSCALL_WORK_SYSCALL_TRACE |             \
	 SYSCALL_WORK_SYSCALL_AUDIT | SYSCALL_WORK_SYSCALL_EXIT_TRAP)

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

	if (unlikely(work & EXIT_WORK_MASK))
		syscall_exit_work(regs, work);
}

static __always_inline void variant_exit_to_user_mode(struct pt_regs *regs, unsigned long flags)
{
	syscall_exit_to_user_mode_work(regs);
}

#include "el0_svc_common.h"
