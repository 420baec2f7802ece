/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * svc_el0_svc_common.h - arm64 el0_svc_common() of Linux v7.0 (arch/arm64/kernel/syscall.c after
 * the generic-entry conversion), included last by every `svc-*` variant. The variant supplies
 * syscall_exit_work() and variant_syscall_trace_enter(), its call of syscall_trace_enter()
 * (v6.18 passes the number, v7.0 reads it from pt_regs), inline or out of line.
 *
 * The caller (the runner, standing for the entry assembly and el0_svc()) has stored orig_x0 and
 * syscallno in pt_regs; x0 = regs and sp = regs on entry, as for the exit-only fixtures.
 */
#ifndef EXITWORK_SVC_EL0_SVC_COMMON_H
#define EXITWORK_SVC_EL0_SVC_COMMON_H

static __always_inline void syscall_exit_to_user_mode_work(struct pt_regs *regs)
{
	unsigned long work = READ_ONCE(current_thread_info()->syscall_work);

	if (EXITWORK_DEBUG_RSEQ)
		rseq_syscall(regs);

	if (unlikely(work & SYSCALL_WORK_EXIT))
		syscall_exit_work(regs, work);
}

static __always_inline void invoke_syscall(struct pt_regs *regs, int scno)
{
	long ret = exitwork_syscall_fn(regs, scno);

	syscall_set_return_value(current, regs, 0, ret);
}

void exitwork_el0_svc(struct pt_regs *regs);

void exitwork_el0_svc(struct pt_regs *regs)
{
	unsigned long work = READ_ONCE(current_thread_info()->syscall_work);
	int scno = regs->syscallno;

	if (unlikely(work & SYSCALL_WORK_ENTER)) {
		/*
		 * A tracer skips a syscall by setting its number to -1 and x0 to an error; a
		 * user-issued syscall(-1) must still return -ENOSYS if nobody does.
		 */
		if (scno == NO_SYSCALL)
			syscall_set_return_value(current, regs, -ENOSYS, 0);
		scno = variant_syscall_trace_enter(regs, scno, work);
		if (scno == NO_SYSCALL)
			goto trace_exit;
	}

	invoke_syscall(regs, scno);

trace_exit:
	syscall_exit_to_user_mode_work(regs);
}

#endif /* EXITWORK_SVC_EL0_SVC_COMMON_H */
