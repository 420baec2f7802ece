// SPDX-License-Identifier: GPL-2.0-only
/*
 * svc_inline.c - variant `svc-inline`: Linux v7.0 (v10 of the series, "entry: Inline
 * syscall_exit_work() and syscall_trace_enter()", tip 31c9387d0d84): both the entry and the
 * exit work are __always_inline in el0_svc_common(); only the tracepoints go through the
 * out-of-line wrappers of svc_syscall_common.c.
 */
#include "svc_exit_work_inline.h"

void trace_syscall_enter(struct pt_regs *regs, long syscall);

static __always_inline long syscall_trace_enter(struct pt_regs *regs, unsigned long work)
{
	long syscall, ret = 0;

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
		trace_syscall_enter(regs, syscall);
		/* Probes and BPF programs on the tracepoint may change it again. */
		syscall = syscall_get_nr(current, regs);
	}

	syscall_enter_audit(regs, syscall);

	return ret ? : syscall;
}

/* v7.0: the inlined syscall_trace_enter() reads the number from pt_regs itself. */
static __always_inline long variant_syscall_trace_enter(struct pt_regs *regs, int scno, unsigned long work)
{
	return syscall_trace_enter(regs, work);
}

#include "svc_el0_svc_common.h"
