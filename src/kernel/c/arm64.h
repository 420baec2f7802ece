/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * arm64.h - arm64 helpers the exit path uses in both the generic and the legacy entry code.
 *
 * Return values follow arch/arm64/include/asm/ptrace.h (regs_return_value) and
 * arch/arm64/include/asm/syscall.h (syscall_get_return_value), v6.18: x0, sign-extended from
 * bit 31 for compat tasks. Audit follows include/linux/audit.h (audit_syscall_exit), which
 * tests only audit_context, never a work bit.
 */
#ifndef EXITWORK_ARM64_H
#define EXITWORK_ARM64_H

#include "shim.h"

static __always_inline unsigned long regs_return_value(struct pt_regs *regs)
{
	unsigned long val = regs->regs[0];

	if (is_compat_task())
		val = sign_extend64(val, 31);
	return val;
}

static __always_inline long syscall_get_return_value(struct task_struct *task, struct pt_regs *regs)
{
	unsigned long val = regs->regs[0];

	if (task->thread_info.flags & _TIF_32BIT)
		val = sign_extend64(val, 31);
	return val;
}

static __always_inline struct audit_context *audit_context(void)
{
	return current->audit_context;
}

static __always_inline int is_syscall_success(struct pt_regs *regs)
{
	return !IS_ERR_VALUE(regs_return_value(regs));
}

static __always_inline void audit_syscall_exit(struct pt_regs *regs)
{
	if (unlikely(audit_context())) {
		int success = is_syscall_success(regs);
		long return_code = regs_return_value(regs);

		__audit_syscall_exit(success, return_code);
	}
}

/*
 * The ptrace scratch register: x7 for AArch64 tasks, r12 for AArch32 ones
 * (arch/arm64/kernel/ptrace.c, report_syscall / arch_ptrace_report_syscall_exit).
 */
static __always_inline int ptrace_scratch_regno(void)
{
	return is_compat_task() ? 12 : 7;
}

#endif /* EXITWORK_ARM64_H */
