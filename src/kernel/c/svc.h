/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * svc.h - the entry side of the generic-entry syscall path on arm64, for the `svc-*` variants
 * (the whole el0_svc_common(): entry work, syscall body, exit work in one frame).
 *
 * Follows Linux v7.0 include/linux/entry-common.h (syscall_enter_audit) and the arm64
 * generic-entry series (arch_ptrace_report_syscall_entry keeps the x7/r12 ABI of v6.18
 * arch/arm64/kernel/ptrace.c report_syscall()), as summarised in shared/KERNEL.md §6.
 * The hooks are bare `ret`s in svc_hooks.S (kernel build) or real functions in
 * user/svc_driver.c (user-mode build).
 */
#ifndef EXITWORK_SVC_H
#define EXITWORK_SVC_H

#include "generic.h"

/* include/linux/entry-common.h, v7.0 */
#define SYSCALL_WORK_ENTER                                                          \
	(SYSCALL_WORK_SECCOMP | SYSCALL_WORK_SYSCALL_TRACEPOINT |                   \
	 SYSCALL_WORK_SYSCALL_TRACE | SYSCALL_WORK_SYSCALL_EMU |                    \
	 SYSCALL_WORK_SYSCALL_AUDIT | SYSCALL_WORK_SYSCALL_USER_DISPATCH |          \
	 SYSCALL_WORK_SYSCALL_RSEQ_SLICE)

/* arch/arm64/include/asm/ptrace.h and include/uapi/asm-generic/errno.h */
#define NO_SYSCALL (-1)
#define ENOSYS 38

/* Entry hooks (kernel/entry/syscall_user_dispatch.c, kernel/rseq.c, include/linux/ptrace.h, kernel/seccomp.c, include/trace/events/syscalls.h, kernel/auditsc.c). */
bool syscall_user_dispatch(struct pt_regs *regs);
void rseq_syscall_enter_work(long syscall);
int ptrace_report_syscall_entry(struct pt_regs *regs);
int __secure_computing(void);
void trace_sys_enter(struct pt_regs *regs, long id);
void __audit_syscall_entry(int major, unsigned long a0, unsigned long a1, unsigned long a2, unsigned long a3);
/* The syscall table entry for scno (or do_ni_syscall), as invoke_syscall() picks it. */
long exitwork_syscall_fn(struct pt_regs *regs, int scno);

/* arch/arm64/include/asm/syscall.h */
static __always_inline int syscall_get_nr(struct task_struct *task, struct pt_regs *regs)
{
	return regs->syscallno;
}

/* A compat task's return value is a 32-bit register: only the low half is stored. */
static __always_inline void syscall_set_return_value(struct task_struct *task, struct pt_regs *regs, int error, long val)
{
	if (error)
		val = error;

	if (task->thread_info.flags & _TIF_32BIT)
		val = (u32)val;

	regs->regs[0] = val;
}

/* arch/arm64/include/asm/ptrace.h: a skipped syscall is one whose number is NO_SYSCALL. */
static __always_inline void forget_syscall(struct pt_regs *regs)
{
	regs->syscallno = NO_SYSCALL;
}

/*
 * The tracer sees PTRACE_SYSCALL_ENTER (0) in the scratch register at an entry stop, so it can
 * tell entry from exit; the saved value always comes back, whatever the tracer wrote there.
 */
static __always_inline int arch_ptrace_report_syscall_entry(struct pt_regs *regs)
{
	int regno = ptrace_scratch_regno();
	unsigned long saved_reg = regs->regs[regno];
	int ret;

	regs->regs[regno] = PTRACE_SYSCALL_ENTER;
	ret = ptrace_report_syscall_entry(regs);
	if (ret)
		forget_syscall(regs);
	regs->regs[regno] = saved_reg;
	return ret;
}

/* arm64 syscall_get_arguments(): the first argument is orig_x0, x0 already holds -ENOSYS. */
static __always_inline void syscall_enter_audit(struct pt_regs *regs, long syscall)
{
	if (unlikely(audit_context()))
		__audit_syscall_entry(syscall, regs->orig_x0, regs->regs[1], regs->regs[2], regs->regs[3]);
}

#endif /* EXITWORK_SVC_H */
