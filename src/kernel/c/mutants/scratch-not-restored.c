// SPDX-License-Identifier: GPL-2.0-only
/*
 * scratch-not-restored.c - mutant of `inline`: scratch register not restored after a syscall-exit stop.
 *
 * A plausible refactoring slip the conformance properties must catch. The head lines below
 * are read by build.ts into golden/fixtures/manifest.json.
 *
 * @breaks: after a syscall-exit stop the task returns to user space with x7 (r12) = PTRACE_SYSCALL_EXIT, or with the tracer's write to it, instead of its own value
 * @rule: KERNEL.md 3, arch_ptrace_report_syscall_exit: with step == 0 the saved scratch value is restored after the stop; a tracer's write to it is discarded
 * @bits: TRACE
 * @minimal-input: work=TRACE x7=0
 */
#include "generic.h"

void trace_syscall_exit(struct pt_regs *regs, long ret);

/* The slip: the restore after the syscall-exit stop went missing. */
static __always_inline void report_syscall_exit_stop(struct pt_regs *regs, int step)
{
	int regno = ptrace_scratch_regno();
	unsigned long saved_reg = regs->regs[regno];

	regs->regs[regno] = PTRACE_SYSCALL_EXIT;
	if (!step) {
		ptrace_report_syscall_exit(regs, 0);
	} else {
		regs->regs[regno] = saved_reg;
		ptrace_report_syscall_exit(regs, 1);
	}
}

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
		report_syscall_exit_stop(regs, step);
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
