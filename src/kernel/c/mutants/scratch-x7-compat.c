// SPDX-License-Identifier: GPL-2.0-only
/*
 * scratch-x7-compat.c - mutant of `inline`: scratch register is x7 for compat tasks too.
 *
 * A plausible refactoring slip the conformance properties must catch. The head lines below
 * are read by build.ts into golden/fixtures/manifest.json.
 *
 * @breaks: the tracer of an AArch32 (compat) task sees r12 unchanged at the exit stop instead of PTRACE_SYSCALL_EXIT
 * @rule: KERNEL.md 3, arch_ptrace_report_syscall_exit: the scratch register is x7 for AArch64 tasks and r12 (regs[12]) for compat tasks
 * @bits: TRACE
 * @minimal-input: compat=1 work=TRACE x12=0
 */
#include "generic.h"

void trace_syscall_exit(struct pt_regs *regs, long ret);

/* The slip: the scratch register number is hard-coded to the AArch64 one. */
static __always_inline void report_syscall_exit_stop(struct pt_regs *regs, int step)
{
	int regno = 7;
	unsigned long saved_reg = regs->regs[regno];

	regs->regs[regno] = PTRACE_SYSCALL_EXIT;
	if (!step) {
		ptrace_report_syscall_exit(regs, 0);
		regs->regs[regno] = saved_reg;
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
