// SPDX-License-Identifier: GPL-2.0-only
/*
 * legacy.c - variant `legacy`: arm64's own exit path of Linux v6.18, before the conversion
 * to generic entry (arch/arm64/kernel/syscall.c, el0_svc_common()).
 *
 * The gate combines the flags snapshot taken at syscall entry with a fresh read at exit;
 * the work itself is syscall_trace_exit() in arch/arm64/kernel/ptrace.c, here
 * legacy_ptrace.c, a separate translation unit.
 */
#include "arm64.h"

void syscall_trace_exit(struct pt_regs *regs);

static __always_inline bool has_syscall_work(unsigned long flags)
{
	return unlikely(flags & _TIF_SYSCALL_WORK);
}

static __always_inline void variant_exit_to_user_mode(struct pt_regs *regs, unsigned long flags)
{
	/*
	 * Tracing may have been switched on or off while the syscall ran, so look again; but a
	 * task traced at entry is always traced at exit, as the old entry assembly did.
	 */
	if (!has_syscall_work(flags) && !EXITWORK_DEBUG_RSEQ) {
		flags = read_thread_flags();
		if (!has_syscall_work(flags) && !(flags & _TIF_SINGLESTEP))
			return;
	}

	syscall_trace_exit(regs);
}

#include "el0_svc_common.h"
