// SPDX-License-Identifier: GPL-2.0-only
/*
 * audit-args-swapped.c - mutant of `svc-inline`: audit entry gets its first two arguments swapped.
 *
 * A plausible slip in the inlined syscall_trace_enter() that the conformance properties must
 * catch. The head lines below are read by build.ts into golden/fixtures/manifest.json.
 *
 * @breaks: the audit entry record shows x1 as the first argument and orig_x0 as the second
 * @rule: KERNEL.md 6: audit entry with the number and 4 arguments (arm64 syscall_get_arguments: orig_x0, x1, x2, x3)
 * @bits: AUDIT
 * @minimal-input: work=AUDIT audit_context=1 args=0xa1,0xa2,0xa3
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

	if (unlikely(audit_context()))
		__audit_syscall_entry(syscall, regs->regs[1], regs->orig_x0, regs->regs[2], regs->regs[3]);

	return ret ? : syscall;
}

/* v7.0: the inlined syscall_trace_enter() reads the number from pt_regs itself. */
static __always_inline long variant_syscall_trace_enter(struct pt_regs *regs, int scno, unsigned long work)
{
	return syscall_trace_enter(regs, work);
}

#include "svc_el0_svc_common.h"
