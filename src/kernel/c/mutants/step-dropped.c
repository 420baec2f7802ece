// SPDX-License-Identifier: GPL-2.0-only
/*
 * step-dropped.c - mutant of `inline`: exit report always made as a syscall-exit stop.
 *
 * A plausible refactoring slip the conformance properties must catch. The head lines below
 * are read by build.ts into golden/fixtures/manifest.json.
 *
 * @breaks: a single-stepping task (EXIT_TRAP without EMU) gets a syscall-exit stop with x7 = 1 instead of a single-step report, and a tracer's write to x7 is lost
 * @rule: KERNEL.md 3, syscall_exit_work step 4: arch_ptrace_report_syscall_exit(regs, step) with step = report_single_step(work)
 * @bits: EXIT_TRAP
 * @minimal-input: work=EXIT_TRAP
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
		arch_ptrace_report_syscall_exit(regs, 0);
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
