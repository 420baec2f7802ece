/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * svc_hooks.S - the extern hooks of the `svc-*` kernel builds (whole el0_svc_common), each a
 * bare `ret` at its own address, intercepted by src/harness/run-syscall.ts. The exit hooks
 * are those of hooks.S; exitwork_syscall_fn replaces exitwork_syscall_body because the
 * syscall body now receives the (possibly rewritten) syscall number.
 */
	.text
	.p2align 2

	.macro exitwork_hook name
	.globl \name
	.type \name, %function
\name:
	ret
	.size \name, . - \name
	.endm

	exitwork_hook syscall_user_dispatch
	exitwork_hook rseq_syscall_enter_work
	exitwork_hook ptrace_report_syscall_entry
	exitwork_hook __secure_computing
	exitwork_hook trace_sys_enter
	exitwork_hook __audit_syscall_entry
	exitwork_hook exitwork_syscall_fn
	exitwork_hook __audit_syscall_exit
	exitwork_hook trace_sys_exit
	exitwork_hook ptrace_report_syscall_exit
	exitwork_hook rseq_syscall

	.section .note.GNU-stack, "", %progbits
