/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * el0_svc_common.h - the shared caller, included last by every variant's main file.
 *
 * Modelled on arm64 el0_svc_common() (arch/arm64/kernel/syscall.c, v6.18): the exit work is
 * inlined into a function that has its own frame because it calls the syscall body, so the
 * fixtures measure the exit path where the kernel runs it. The variant supplies
 * variant_exit_to_user_mode(); only `legacy` uses the entry snapshot of the flags.
 *
 * The simulator enters with x0 = regs, sp = regs (pt_regs sits at the top of the kernel
 * stack) and the task in SP_EL0 (TPIDR_EL0 in the user-mode build).
 */
#ifndef EXITWORK_EL0_SVC_COMMON_H
#define EXITWORK_EL0_SVC_COMMON_H

void exitwork_el0_svc(struct pt_regs *regs);

void exitwork_el0_svc(struct pt_regs *regs)
{
	unsigned long flags = read_thread_flags();
	long ret = exitwork_syscall_body(regs);

	regs->regs[0] = ret;
	variant_exit_to_user_mode(regs, flags);
}

#endif /* EXITWORK_EL0_SVC_COMMON_H */
