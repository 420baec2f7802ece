// SPDX-License-Identifier: GPL-2.0-only
/*
 * inline_syscall_common.c - the out-of-line tracepoint wrapper of Linux v7.0
 * (kernel/entry/syscall-common.c, trace_syscall_exit(); `__trace_sys_exit` in v9 of the
 * series). Shared by `inline` and its mutants.
 */
#include "shim.h"

void trace_syscall_exit(struct pt_regs *regs, long ret);

void trace_syscall_exit(struct pt_regs *regs, long ret)
{
	trace_sys_exit(regs, ret);
}
