// SPDX-License-Identifier: GPL-2.0-only
/*
 * svc_syscall_common.c - the out-of-line tracepoint wrappers of Linux v7.0
 * (kernel/entry/syscall-common.c): with syscall_trace_enter() and syscall_exit_work() inlined
 * into every caller, the tracepoint machinery stays behind one call each.
 */
#include "svc.h"

void trace_syscall_enter(struct pt_regs *regs, long syscall);
void trace_syscall_exit(struct pt_regs *regs, long ret);

void trace_syscall_enter(struct pt_regs *regs, long syscall)
{
	trace_sys_enter(regs, syscall);
}

void trace_syscall_exit(struct pt_regs *regs, long ret)
{
	trace_sys_exit(regs, ret);
}
