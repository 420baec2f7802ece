// SPDX-License-Identifier: GPL-2.0-only
/*
 * svc_ref_syscall_common.c - syscall_trace_enter() as kernel/entry/syscall-common.c has it in
 * Linux v6.18: out of line, in its own translation unit (used by `svc-ref` and
 * `svc-exit-inline`, i.e. before v10 of the series inlined it).
 */
#include "svc.h"

long syscall_trace_enter(struct pt_regs *regs, long syscall, unsigned long work);

noinline long syscall_trace_enter(struct pt_regs *regs, long syscall, unsigned long work)
{
	long ret = 0;

	/* SUD comes first: a dispatched syscall's ABI may make no sense to the other work. */
	if (work & SYSCALL_WORK_SYSCALL_USER_DISPATCH) {
		if (syscall_user_dispatch(regs))
			return -1L;
	}

	if (work & SYSCALL_WORK_SYSCALL_RSEQ_SLICE)
		rseq_syscall_enter_work(syscall_get_nr(current, regs));

	if (work & (SYSCALL_WORK_SYSCALL_TRACE | SYSCALL_WORK_SYSCALL_EMU)) {
		ret = arch_ptrace_report_syscall_entry(regs);
		if (ret || (work & SYSCALL_WORK_SYSCALL_EMU))
			return -1L;
	}

	/* Seccomp after ptrace, so that it judges the syscall the tracer left. */
	if (work & SYSCALL_WORK_SECCOMP) {
		ret = __secure_computing();
		if (ret == -1L)
			return ret;
	}

	/* The tracer or a seccomp tracer may have changed the number. */
	syscall = syscall_get_nr(current, regs);

	if (unlikely(work & SYSCALL_WORK_SYSCALL_TRACEPOINT)) {
		trace_sys_enter(regs, syscall);
		/* Probes and BPF programs on the tracepoint may change it again. */
		syscall = syscall_get_nr(current, regs);
	}

	syscall_enter_audit(regs, syscall);

	return ret ? : syscall;
}
