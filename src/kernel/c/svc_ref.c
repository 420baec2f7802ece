// SPDX-License-Identifier: GPL-2.0-only
/*
 * svc_ref.c - variant `svc-ref`: the whole el0_svc_common() with generic entry as of Linux
 * v6.18, before the inlining patches: syscall_trace_enter() (svc_ref_syscall_common.c) and
 * syscall_exit_work() (ref_syscall_common.c) are out of line in kernel/entry/syscall-common.c,
 * so without LTO both calls stay real BLs.
 */
#include "svc.h"

long syscall_trace_enter(struct pt_regs *regs, long syscall, unsigned long work);
void syscall_exit_work(struct pt_regs *regs, unsigned long work);

/* v6.18: the out-of-line syscall_trace_enter() takes the number as an argument. */
static __always_inline long variant_syscall_trace_enter(struct pt_regs *regs, int scno, unsigned long work)
{
	return syscall_trace_enter(regs, scno, work);
}

#include "svc_el0_svc_common.h"
