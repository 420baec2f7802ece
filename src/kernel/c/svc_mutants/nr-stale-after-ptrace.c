// SPDX-License-Identifier: GPL-2.0-only
/*
 * nr-stale-after-ptrace.c - mutant of `svc-inline`: the syscall number is not read again after ptrace and seccomp.
 *
 * A plausible slip in the inlined syscall_trace_enter() that the conformance properties must
 * catch. The head lines below are read by build.ts into golden/fixtures/manifest.json.
 *
 * @breaks: the number is read once, early (for the rseq slice), and not again: tracepoint, audit and the body miss a number the tracer set at the entry stop
 * @rule: KERNEL.md 6: re-read the syscall number (after ptrace and seccomp), selftest ptrace/set_syscall_info
 * @bits: TRACE
 * @minimal-input: work=TRACE entry_tracer=set_nr:39
 */
#include "svc_exit_work_inline.h"

void trace_syscall_enter(struct pt_regs *regs, long syscall);

static __always_inline long syscall_trace_enter(struct pt_regs *regs, unsigned long work)
{
	long syscall = syscall_get_nr(current, regs), ret = 0;

	/* SUD comes first: a dispatched syscall's ABI may make no sense to the other work. */
	if (work & SYSCALL_WORK_SYSCALL_USER_DISPATCH) {
		if (syscall_user_dispatch(regs))
			return -1L;
	}

	if (work & SYSCALL_WORK_SYSCALL_RSEQ_SLICE)
		rseq_syscall_enter_work(syscall);

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
