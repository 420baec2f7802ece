// SPDX-License-Identifier: GPL-2.0-only
/*
 * driver.c - runs one exit-path variant at EL0 under qemu-user, as a second opinion on the
 * simulated core.
 *
 * The variant objects are the kernel build's sources compiled with -DEXITWORK_USER, so
 * `current` is TPIDR_EL0 (which EL0 may write) instead of SP_EL0. This file implements the
 * hooks for real: it records each effect and applies the tracer's writes, in the same terms
 * as src/kernel/effects.ts.
 *
 * Input, one line per run, 15 hexadecimal fields without 0x, separated by spaces:
 *   work work_at_entry tif_flags tif_flags_at_entry on_dispatch audit_context compat
 *   x0 x7 x12 orig_x0 syscallno(u32) tracer(0 none, 1 write_x0, 2 write_scratch, 3 both)
 *   tracer_x0 tracer_scratch
 * Output, one JSON line per run: {"effects":[...],"final":{...}}, 64-bit values as "0x..".
 * A malformed line ends the run with exit status 2 and one message on stderr.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* glibc's sys/cdefs.h has its own __always_inline; the shim's is the kernel's spelling. */
#undef __always_inline
#include "../shim.h"

void exitwork_el0_svc(struct pt_regs *regs);

enum { FIELD_COUNT = 15, MAX_EFFECTS = 16 };

enum tracer_kind { TRACER_NONE, TRACER_WRITE_X0, TRACER_WRITE_SCRATCH, TRACER_WRITE_BOTH };

struct exit_input {
	unsigned long work, work_at_entry, tif_flags, tif_flags_at_entry;
	unsigned long on_dispatch, audit_context, compat;
	unsigned long x0, x7, x12, orig_x0, syscallno;
	unsigned long tracer, tracer_x0, tracer_scratch;
};

enum effect_kind { EFFECT_RSEQ, EFFECT_ON_DISPATCH_CLEARED, EFFECT_AUDIT, EFFECT_SYS_EXIT, EFFECT_PTRACE };

struct effect {
	enum effect_kind kind;
	int flag; /* audit: success; ptrace: step */
	unsigned long a; /* audit: return_code; sys_exit: ret; ptrace: x0 */
	unsigned long b; /* ptrace: scratch */
};

static struct task_struct task __attribute__((aligned(64)));
static int dummy_audit_context;
static struct exit_input input;
static struct effect effects[MAX_EFFECTS];
static int effect_count;
static bool last_on_dispatch;

/*
 * The hooks run while TPIDR_EL0 points at `task`, so they must not touch glibc's
 * thread-local storage: no stdio, no errno, only these globals.
 */
static void record(enum effect_kind kind, int flag, unsigned long a, unsigned long b)
{
	if (effect_count < MAX_EFFECTS)
		effects[effect_count++] = (struct effect){ kind, flag, a, b };
}

/* The SUD gate's store is no call; notice it at the next hook or at the end of the run. */
static void notice_on_dispatch(void)
{
	if (last_on_dispatch && !task.syscall_dispatch.on_dispatch)
		record(EFFECT_ON_DISPATCH_CLEARED, 0, 0, 0);
	last_on_dispatch = task.syscall_dispatch.on_dispatch;
}

static unsigned long compat_flag(void)
{
	return input.compat ? _TIF_32BIT : 0;
}

long exitwork_syscall_body(struct pt_regs *regs)
{
	task.thread_info.syscall_work = input.work;
	task.thread_info.flags = input.tif_flags | compat_flag();
	return (long)input.x0;
}

void __audit_syscall_exit(int success, long return_code)
{
	notice_on_dispatch();
	record(EFFECT_AUDIT, success, (unsigned long)return_code, 0);
}

void trace_sys_exit(struct pt_regs *regs, long ret)
{
	notice_on_dispatch();
	record(EFFECT_SYS_EXIT, 0, (unsigned long)ret, 0);
}

void ptrace_report_syscall_exit(struct pt_regs *regs, int step)
{
	int regno = input.compat ? 12 : 7;

	notice_on_dispatch();
	record(EFFECT_PTRACE, step != 0, regs->regs[0], regs->regs[regno]);
	if (input.tracer == TRACER_WRITE_X0 || input.tracer == TRACER_WRITE_BOTH)
		regs->regs[0] = input.tracer_x0;
	if (input.tracer == TRACER_WRITE_SCRATCH || input.tracer == TRACER_WRITE_BOTH)
		regs->regs[regno] = input.tracer_scratch;
}

void rseq_syscall(struct pt_regs *regs)
{
	notice_on_dispatch();
	record(EFFECT_RSEQ, 0, 0, 0);
}

static noinline void run_as_current(struct pt_regs *regs)
{
	unsigned long saved;

	asm volatile("mrs %0, tpidr_el0" : "=r"(saved));
	asm volatile("msr tpidr_el0, %0" : : "r"(&task) : "memory");
	exitwork_el0_svc(regs);
	asm volatile("msr tpidr_el0, %0" : : "r"(saved) : "memory");
}

static int parse_line(char *line, struct exit_input *in)
{
	unsigned long *fields[FIELD_COUNT] = {
		&in->work, &in->work_at_entry, &in->tif_flags, &in->tif_flags_at_entry,
		&in->on_dispatch, &in->audit_context, &in->compat, &in->x0, &in->x7, &in->x12,
		&in->orig_x0, &in->syscallno, &in->tracer, &in->tracer_x0, &in->tracer_scratch,
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
	return *cursor == '\0' && in->tracer <= TRACER_WRITE_BOTH ? 0 : -1;
}

static void print_outcome(const struct pt_regs *regs)
{
	printf("{\"effects\":[");
	for (int i = 0; i < effect_count; i++) {
		const struct effect *e = &effects[i];

		if (i > 0)
			printf(",");
		switch (e->kind) {
		case EFFECT_RSEQ:
			printf("{\"kind\":\"rseq_check\"}");
			break;
		case EFFECT_ON_DISPATCH_CLEARED:
			printf("{\"kind\":\"on_dispatch_cleared\"}");
			break;
		case EFFECT_AUDIT:
			printf("{\"kind\":\"audit_exit\",\"success\":%s,\"returnCode\":\"0x%lx\"}",
			       e->flag ? "true" : "false", e->a);
			break;
		case EFFECT_SYS_EXIT:
			printf("{\"kind\":\"sys_exit\",\"ret\":\"0x%lx\"}", e->a);
			break;
		case EFFECT_PTRACE:
			printf("{\"kind\":\"ptrace_exit\",\"step\":%s,\"scratchReg\":\"%s\",\"x0\":\"0x%lx\",\"scratch\":\"0x%lx\"}",
			       e->flag ? "true" : "false", input.compat ? "r12" : "x7", e->a, e->b);
			break;
		}
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
		task.thread_info.flags = input.tif_flags_at_entry | compat_flag();
		task.thread_info.syscall_work = input.work_at_entry;
		task.audit_context = input.audit_context ? (struct audit_context *)&dummy_audit_context : NULL;
		task.syscall_dispatch.on_dispatch = input.on_dispatch != 0;
		regs.regs[0] = input.orig_x0;
		regs.regs[7] = input.x7;
		regs.regs[12] = input.x12;
		regs.orig_x0 = input.orig_x0;
		regs.syscallno = (s32)(u32)input.syscallno;
		effect_count = 0;
		last_on_dispatch = task.syscall_dispatch.on_dispatch;

		run_as_current(&regs);
		notice_on_dispatch();
		print_outcome(&regs);
	}
	return 0;
}
