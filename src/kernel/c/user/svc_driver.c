// SPDX-License-Identifier: GPL-2.0-only
/*
 * svc_driver.c - runs one `svc-*` variant (the whole el0_svc_common) at EL0 under qemu-user,
 * as a second opinion on the simulated core. Like driver.c, but with the entry hooks and the
 * syscall body that receives the syscall number; the hooks do what src/harness/run-syscall.ts
 * does, in the same terms as src/kernel/entry/effects.ts.
 *
 * Input, one line per run, 24 hexadecimal fields without 0x, separated by spaces:
 *   work work_at_entry tif_flags on_dispatch audit_context compat x0 x7 x12 orig_x0
 *   syscallno(u32) x1 x2 x3 sud(0 allow, 1 dispatch, 2 kill)
 *   entry_tracer(0 none, 1 set_nr, 2 skip, 3 write_scratch) entry_tracer_value
 *   seccomp(0 allow, 1 errno, 2 skip) seccomp_errno tracepoint(0 none, 1 set_nr) tracepoint_nr
 *   exit_tracer(0 none, 1 write_x0, 2 write_scratch, 3 both) exit_tracer_x0 exit_tracer_scratch
 * Output, one JSON line per run: {"effects":[...],"final":{...}}, 64-bit values as "0x..",
 * syscall numbers as decimal. A malformed line ends the run with exit status 2.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* glibc's sys/cdefs.h has its own __always_inline; the shim's is the kernel's spelling. */
#undef __always_inline
#include "../svc.h"

void exitwork_el0_svc(struct pt_regs *regs);

enum { FIELD_COUNT = 24, MAX_EFFECTS = 24 };

enum sud_outcome { SUD_ALLOW, SUD_DISPATCH, SUD_KILL };
enum entry_tracer { ENTRY_NONE, ENTRY_SET_NR, ENTRY_SKIP, ENTRY_WRITE_SCRATCH };
enum seccomp_verdict { SECCOMP_ALLOW, SECCOMP_ERRNO, SECCOMP_SKIP };
enum exit_tracer { EXIT_NONE, EXIT_WRITE_X0, EXIT_WRITE_SCRATCH, EXIT_WRITE_BOTH };

struct svc_input {
	unsigned long work, work_at_entry, tif_flags, on_dispatch, audit_context, compat;
	unsigned long x0, x7, x12, orig_x0, syscallno, x1, x2, x3;
	unsigned long sud, entry_tracer, entry_tracer_value, seccomp, seccomp_errno;
	unsigned long tracepoint, tracepoint_nr, exit_tracer, exit_tracer_x0, exit_tracer_scratch;
};

enum effect_kind {
	EFFECT_SUD, EFFECT_RSEQ_SLICE, EFFECT_PTRACE_ENTRY, EFFECT_SECCOMP, EFFECT_SYS_ENTER,
	EFFECT_AUDIT_ENTRY, EFFECT_BODY, EFFECT_SKIPPED, EFFECT_RSEQ, EFFECT_ON_DISPATCH_CLEARED,
	EFFECT_AUDIT_EXIT, EFFECT_SYS_EXIT, EFFECT_PTRACE_EXIT,
};

struct effect {
	enum effect_kind kind;
	long nr; /* entry effects and the body: the syscall number; audit/ptrace exit: success/step */
	unsigned long v[4]; /* audit entry: a0..a3; ptrace entry: scratch; exits as in driver.c */
};

static struct task_struct task __attribute__((aligned(64)));
static int dummy_audit_context;
static struct svc_input input;
static struct pt_regs *current_regs;
static struct effect effects[MAX_EFFECTS];
static int effect_count;
static bool last_on_dispatch, body_called, skip_noted;

/* The hooks run with TPIDR_EL0 pointing at `task`: no stdio, no errno, only these globals. */
static void record(enum effect_kind kind, long nr, unsigned long a, unsigned long b, unsigned long c, unsigned long d)
{
	if (effect_count < MAX_EFFECTS)
		effects[effect_count++] = (struct effect){ kind, nr, { a, b, c, d } };
}

/* No hook marks a skipped body: note it when the exit side starts without one. */
static void notice_exit_side(void)
{
	if (!body_called && !skip_noted) {
		skip_noted = true;
		record(EFFECT_SKIPPED, 0, 0, 0, 0, 0);
	}
	if (last_on_dispatch && !task.syscall_dispatch.on_dispatch)
		record(EFFECT_ON_DISPATCH_CLEARED, 0, 0, 0, 0, 0);
	last_on_dispatch = task.syscall_dispatch.on_dispatch;
}

static int scratch_regno(void)
{
	return input.compat ? 12 : 7;
}

/* syscall_set_return_value(current, regs, -error, 0): compat tasks keep the low half. */
static void set_error(struct pt_regs *regs, long error)
{
	regs->regs[0] = input.compat ? (u32)error : (unsigned long)error;
}

bool syscall_user_dispatch(struct pt_regs *regs)
{
	record(EFFECT_SUD, 0, input.sud, 0, 0, 0);
	if (input.sud == SUD_DISPATCH) {
		task.syscall_dispatch.on_dispatch = true;
		last_on_dispatch = true;
		regs->regs[0] = regs->orig_x0;
	}
	return input.sud != SUD_ALLOW;
}

void rseq_syscall_enter_work(long syscall)
{
	record(EFFECT_RSEQ_SLICE, syscall, 0, 0, 0, 0);
}

int ptrace_report_syscall_entry(struct pt_regs *regs)
{
	record(EFFECT_PTRACE_ENTRY, regs->syscallno, regs->regs[scratch_regno()], 0, 0, 0);
	if (input.entry_tracer == ENTRY_SET_NR)
		regs->syscallno = (s32)input.entry_tracer_value;
	if (input.entry_tracer == ENTRY_WRITE_SCRATCH)
		regs->regs[scratch_regno()] = input.entry_tracer_value;
	return input.entry_tracer == ENTRY_SKIP;
}

int __secure_computing(void)
{
	record(EFFECT_SECCOMP, current_regs->syscallno, 0, 0, 0, 0);
	if (input.seccomp == SECCOMP_ERRNO)
		set_error(current_regs, -(long)input.seccomp_errno);
	return input.seccomp == SECCOMP_ALLOW ? 0 : -1;
}

void trace_sys_enter(struct pt_regs *regs, long id)
{
	record(EFFECT_SYS_ENTER, id, 0, 0, 0, 0);
	if (input.tracepoint)
		regs->syscallno = (s32)input.tracepoint_nr;
}

void __audit_syscall_entry(int major, unsigned long a0, unsigned long a1, unsigned long a2, unsigned long a3)
{
	record(EFFECT_AUDIT_ENTRY, major, a0, a1, a2, a3);
}

long exitwork_syscall_fn(struct pt_regs *regs, int scno)
{
	body_called = true;
	record(EFFECT_BODY, scno, 0, 0, 0, 0);
	task.thread_info.syscall_work = input.work;
	task.thread_info.flags = input.tif_flags | (input.compat ? _TIF_32BIT : 0);
	return (long)input.x0;
}

void __audit_syscall_exit(int success, long return_code)
{
	notice_exit_side();
	record(EFFECT_AUDIT_EXIT, success, (unsigned long)return_code, 0, 0, 0);
}

void trace_sys_exit(struct pt_regs *regs, long ret)
{
	notice_exit_side();
	record(EFFECT_SYS_EXIT, 0, (unsigned long)ret, 0, 0, 0);
}

void ptrace_report_syscall_exit(struct pt_regs *regs, int step)
{
	int regno = scratch_regno();

	notice_exit_side();
	record(EFFECT_PTRACE_EXIT, step != 0, regs->regs[0], regs->regs[regno], 0, 0);
	if (input.exit_tracer == EXIT_WRITE_X0 || input.exit_tracer == EXIT_WRITE_BOTH)
		regs->regs[0] = input.exit_tracer_x0;
	if (input.exit_tracer == EXIT_WRITE_SCRATCH || input.exit_tracer == EXIT_WRITE_BOTH)
		regs->regs[regno] = input.exit_tracer_scratch;
}

void rseq_syscall(struct pt_regs *regs)
{
	notice_exit_side();
	record(EFFECT_RSEQ, 0, 0, 0, 0, 0);
}

static noinline void run_as_current(struct pt_regs *regs)
{
	unsigned long saved;

	asm volatile("mrs %0, tpidr_el0" : "=r"(saved));
	asm volatile("msr tpidr_el0, %0" : : "r"(&task) : "memory");
	exitwork_el0_svc(regs);
	asm volatile("msr tpidr_el0, %0" : : "r"(saved) : "memory");
}

static int parse_line(char *line, struct svc_input *in)
{
	unsigned long *fields[FIELD_COUNT] = {
		&in->work, &in->work_at_entry, &in->tif_flags, &in->on_dispatch, &in->audit_context,
		&in->compat, &in->x0, &in->x7, &in->x12, &in->orig_x0, &in->syscallno, &in->x1,
		&in->x2, &in->x3, &in->sud, &in->entry_tracer, &in->entry_tracer_value, &in->seccomp,
		&in->seccomp_errno, &in->tracepoint, &in->tracepoint_nr, &in->exit_tracer,
		&in->exit_tracer_x0, &in->exit_tracer_scratch,
	};
	char *cursor = line;

	for (int i = 0; i < FIELD_COUNT; i++) {
		char *end;

		*fields[i] = strtoul(cursor, &end, 16);
		if (end == cursor)
			return -1;
		cursor = end;
	}
	while (*cursor == ' ' || *cursor == '\n' || *cursor == '\r')
		cursor++;
	return *cursor == '\0' && in->sud <= SUD_KILL && in->entry_tracer <= ENTRY_WRITE_SCRATCH &&
			       in->seccomp <= SECCOMP_SKIP && in->exit_tracer <= EXIT_WRITE_BOTH
		       ? 0
		       : -1;
}

static const char *const sud_names[] = { "allow", "dispatch", "kill" };

static void print_effect(const struct effect *e)
{
	const char *scratch = input.compat ? "r12" : "x7";

	switch (e->kind) {
	case EFFECT_SUD:
		printf("{\"kind\":\"sud_dispatch\",\"outcome\":\"%s\"}", sud_names[e->v[0]]);
		break;
	case EFFECT_RSEQ_SLICE:
		printf("{\"kind\":\"rseq_slice_enter\",\"nr\":%ld}", e->nr);
		break;
	case EFFECT_PTRACE_ENTRY:
		printf("{\"kind\":\"ptrace_entry\",\"scratchReg\":\"%s\",\"scratch\":\"0x%lx\",\"nr\":%ld}", scratch,
		       e->v[0], e->nr);
		break;
	case EFFECT_SECCOMP:
		printf("{\"kind\":\"seccomp\",\"nr\":%ld}", e->nr);
		break;
	case EFFECT_SYS_ENTER:
		printf("{\"kind\":\"sys_enter\",\"nr\":%ld}", e->nr);
		break;
	case EFFECT_AUDIT_ENTRY:
		printf("{\"kind\":\"audit_entry\",\"nr\":%ld,\"args\":[\"0x%lx\",\"0x%lx\",\"0x%lx\",\"0x%lx\"]}", e->nr,
		       e->v[0], e->v[1], e->v[2], e->v[3]);
		break;
	case EFFECT_BODY:
		printf("{\"kind\":\"syscall_body\",\"nr\":%ld}", e->nr);
		break;
	case EFFECT_SKIPPED:
		printf("{\"kind\":\"syscall_skipped\"}");
		break;
	case EFFECT_RSEQ:
		printf("{\"kind\":\"rseq_check\"}");
		break;
	case EFFECT_ON_DISPATCH_CLEARED:
		printf("{\"kind\":\"on_dispatch_cleared\"}");
		break;
	case EFFECT_AUDIT_EXIT:
		printf("{\"kind\":\"audit_exit\",\"success\":%s,\"returnCode\":\"0x%lx\"}", e->nr ? "true" : "false",
		       e->v[0]);
		break;
	case EFFECT_SYS_EXIT:
		printf("{\"kind\":\"sys_exit\",\"ret\":\"0x%lx\"}", e->v[0]);
		break;
	case EFFECT_PTRACE_EXIT:
		printf("{\"kind\":\"ptrace_exit\",\"step\":%s,\"scratchReg\":\"%s\",\"x0\":\"0x%lx\",\"scratch\":\"0x%lx\"}",
		       e->nr ? "true" : "false", scratch, e->v[0], e->v[1]);
		break;
	}
}

static void print_outcome(const struct pt_regs *regs)
{
	printf("{\"effects\":[");
	for (int i = 0; i < effect_count; i++) {
		if (i > 0)
			printf(",");
		print_effect(&effects[i]);
	}
	printf("],\"final\":{\"x0\":\"0x%lx\",\"x7\":\"0x%lx\",\"x12\":\"0x%lx\",\"orig_x0\":\"0x%lx\","
	       "\"syscallno\":%d,\"onDispatch\":%s}}\n",
	       regs->regs[0], regs->regs[7], regs->regs[12], regs->orig_x0, regs->syscallno,
	       task.syscall_dispatch.on_dispatch ? "true" : "false");
}

int main(void)
{
	char line[1024];
	unsigned long line_number = 0;

	while (fgets(line, sizeof(line), stdin)) {
		struct pt_regs regs;

		line_number++;
		if (parse_line(line, &input) != 0) {
			fprintf(stderr, "stdin:%lu: expected %d hexadecimal fields\n", line_number, FIELD_COUNT);
			return 2;
		}
		memset(&task, 0, sizeof(task));
		memset(&regs, 0, sizeof(regs));
		task.thread_info.flags = input.compat ? _TIF_32BIT : 0;
		task.thread_info.syscall_work = input.work_at_entry;
		task.audit_context = input.audit_context ? (struct audit_context *)&dummy_audit_context : NULL;
		task.syscall_dispatch.on_dispatch = input.on_dispatch != 0;
		regs.regs[0] = input.orig_x0;
		regs.regs[1] = input.x1;
		regs.regs[2] = input.x2;
		regs.regs[3] = input.x3;
		regs.regs[7] = input.x7;
		regs.regs[12] = input.x12;
		regs.orig_x0 = input.orig_x0;
		regs.syscallno = (s32)(u32)input.syscallno;
		current_regs = &regs;
		effect_count = 0;
		body_called = false;
		skip_noted = false;
		last_on_dispatch = task.syscall_dispatch.on_dispatch;

		run_as_current(&regs);
		notice_exit_side();
		print_outcome(&regs);
	}
	return 0;
}
