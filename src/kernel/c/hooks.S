/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hooks.S - the extern hooks of the kernel build, each a bare `ret` at its own address.
 *
 * The calls to them stay real BL + RET pairs, as in the kernel; the simulator intercepts
 * at a hook's address, performs the effect it stands for, then executes the `ret`.
 * Written in assembly so that no compiler flag (pac-ret, BTI, SCS, patchable entries)
 * adds instructions to them.
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

	exitwork_hook exitwork_syscall_body
	exitwork_hook __audit_syscall_exit
	exitwork_hook trace_sys_exit
	exitwork_hook ptrace_report_syscall_exit
	exitwork_hook rseq_syscall

	.section .note.GNU-stack, "", %progbits
