// SPDX-License-Identifier: GPL-2.0-only
/*
 * tracepoint-before-seccomp.c - mutant of `svc-inline`: the sys_enter tracepoint fires before seccomp.
 *
 * A plausible slip in the inlined syscall_trace_enter() that the conformance properties must
 * catch. The head lines below are read by build.ts into golden/fixtures/manifest.json.
 *
 * @breaks: sys_enter is emitted for a syscall seccomp then rejects, and before the verdict
 * @rule: KERNEL.md 6 order: seccomp (-1 -> return -1), then re-read the number, then if TRACEPOINT: sys_enter
 * @bits: SECCOMP,TRACEPOINT
 * @minimal-input: work=SECCOMP|TRACEPOINT
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

	syscall = syscall_get_nr(current, regs);

	if (unlikely(work & SYSCALL_WORK_SYSCALL_TRACEPOINT)) {
		trace_syscall_enter(regs, syscall);
		syscall = syscall_get_nr(current, regs);
	}

	if (work & SYSCALL_WORK_SECCOMP) {
		ret = __secure_computing();
		if (ret == -1L)
			return ret;
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
