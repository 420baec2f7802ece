// SPDX-License-Identifier: GPL-2.0-only
/*
 * svc_exit_inline.c - variant `svc-exit-inline`: v9 15/16 of the arm64 generic-entry series,
 * "entry: Inline syscall_exit_work()": the exit work is __always_inline, syscall_trace_enter()
 * is still out of line (svc_ref_syscall_common.c).
 */
#include "svc_exit_work_inline.h"

long syscall_trace_enter(struct pt_regs *regs, long syscall, unsigned long work);

/* v6.18: the out-of-line syscall_trace_enter() takes the number as an argument. */
static __always_inline long variant_syscall_trace_enter(struct pt_regs *regs, int scno, unsigned long work)
{
	return syscall_trace_enter(regs, scno, work);
}

#include "svc_el0_svc_common.h"
