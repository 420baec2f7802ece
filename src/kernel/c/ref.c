// SPDX-License-Identifier: GPL-2.0-only
/*
 * ref.c - variant `ref`: the generic exit path of Linux v6.18, before the inlining patch.
 *
 * syscall_exit_to_user_mode_work() is __always_inline in the caller
 * (include/linux/entry-common.h, v6.18) and calls syscall_exit_work(), which is an
 * out-of-line function in kernel/entry/syscall-common.c: here ref_syscall_common.c, a
 * separate translation unit, so without LTO the call stays a real BL.
 */
#include "generic.h"

void syscall_exit_work(struct pt_regs *regs, unsigned long work);

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
