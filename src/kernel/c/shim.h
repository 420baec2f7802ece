/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * shim.h - the slice of the arm64 kernel that the exit-path variants compile against.
 *
 * Layouts, names and helpers follow Linux v6.18/v7.0 (arch/arm64/include/asm/ptrace.h,
 * include/linux/thread_info.h, include/linux/compiler.h) as summarised in shared/KERNEL.md.
 * The offsets must equal src/kernel/layout.ts: every one is pinned here with
 * EXITWORK_CHECK_OFFSET, and src/kernel/layout.test.ts reads those lines and compares them.
 *
 * The kernel build reads `current` from SP_EL0, like arm64 get_current(); the user-mode
 * build (-DEXITWORK_USER) reads TPIDR_EL0 instead, because EL0 code cannot access SP_EL0 and
 * the driver can set TPIDR_EL0 with `msr`. Nothing else differs between the two builds.
 */
#ifndef EXITWORK_SHIM_H
#define EXITWORK_SHIM_H

typedef unsigned char u8;
typedef int s32;
typedef unsigned int u32;
typedef unsigned long u64;
typedef _Bool bool;
#define true 1
#define false 0
#ifndef NULL
#define NULL ((void *)0)
#endif

#define __always_inline inline __attribute__((__always_inline__))
#define noinline __attribute__((__noinline__))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
/* include/asm-generic/rwonce.h: a volatile access the compiler may neither merge nor repeat. */
#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define BIT(n) (1UL << (n))

#define EXITWORK_CHECK_OFFSET(type, member, offset) \
	_Static_assert(__builtin_offsetof(type, member) == (offset), #type "." #member)
#define EXITWORK_CHECK_SIZE(type, size) _Static_assert(sizeof(type) == (size), #type " size")

/* arch/arm64/include/asm/ptrace.h, v6.18 */
struct pt_regs {
	u64 regs[31];
	u64 sp;
	u64 pc;
	u64 pstate;
	u64 orig_x0;
	s32 syscallno;
	u32 pmr_unused;
	u64 sdei_ttbr1;
	u64 pmr;
	u64 stackframe[2];
	u64 lockdep_hardirqs;
	u64 exit_rcu;
};
EXITWORK_CHECK_OFFSET(struct pt_regs, regs, 0);
EXITWORK_CHECK_OFFSET(struct pt_regs, sp, 248);
EXITWORK_CHECK_OFFSET(struct pt_regs, pc, 256);
EXITWORK_CHECK_OFFSET(struct pt_regs, pstate, 264);
EXITWORK_CHECK_OFFSET(struct pt_regs, orig_x0, 272);
EXITWORK_CHECK_OFFSET(struct pt_regs, syscallno, 280);
EXITWORK_CHECK_SIZE(struct pt_regs, 336);

/* include/linux/thread_info.h (generic entry adds syscall_work after flags). */
struct thread_info {
	unsigned long flags;
	unsigned long syscall_work;
};

/* include/linux/syscall_user_dispatch_types.h */
struct syscall_user_dispatch {
	char *selector;
	unsigned long offset;
	unsigned long len;
	bool on_dispatch;
};

struct audit_context;

/*
 * task_struct starts with thread_info (CONFIG_THREAD_INFO_IN_TASK); the padding stands for
 * the fields the exit path never touches, so the two it does touch sit where layout.ts says.
 */
struct task_struct {
	struct thread_info thread_info;
	u8 fields_before_audit[0x8a8 - 0x10];
	struct audit_context *audit_context;
	struct syscall_user_dispatch syscall_dispatch;
	u8 fields_after_dispatch[0x900 - 0x8d0];
};
EXITWORK_CHECK_OFFSET(struct task_struct, thread_info.flags, 0);
EXITWORK_CHECK_OFFSET(struct task_struct, thread_info.syscall_work, 8);
EXITWORK_CHECK_OFFSET(struct task_struct, audit_context, 0x8a8);
EXITWORK_CHECK_OFFSET(struct task_struct, syscall_dispatch.selector, 0x8b0);
EXITWORK_CHECK_OFFSET(struct task_struct, syscall_dispatch.offset, 0x8b8);
EXITWORK_CHECK_OFFSET(struct task_struct, syscall_dispatch.len, 0x8c0);
EXITWORK_CHECK_OFFSET(struct task_struct, syscall_dispatch.on_dispatch, 0x8c8);
EXITWORK_CHECK_SIZE(struct task_struct, 0x900);

#ifdef EXITWORK_USER
#define EXITWORK_CURRENT_SYSREG "tpidr_el0"
#else
#define EXITWORK_CURRENT_SYSREG "sp_el0"
#endif

/*
 * arch/arm64/include/asm/current.h: not volatile, so the compiler may reuse one read of
 * `current` within a function, exactly as it does in the kernel.
 */
static __always_inline struct task_struct *get_current(void)
{
	unsigned long cur;

	asm("mrs %0, " EXITWORK_CURRENT_SYSREG : "=r"(cur));
	return (struct task_struct *)cur;
}
#define current get_current()
#define current_thread_info() (&current->thread_info)

static __always_inline unsigned long read_thread_flags(void)
{
	return READ_ONCE(current_thread_info()->flags);
}

/* include/linux/thread_info.h, enum syscall_work_bit (v7.0) */
#define SYSCALL_WORK_SECCOMP BIT(0)
#define SYSCALL_WORK_SYSCALL_TRACEPOINT BIT(1)
#define SYSCALL_WORK_SYSCALL_TRACE BIT(2)
#define SYSCALL_WORK_SYSCALL_EMU BIT(3)
#define SYSCALL_WORK_SYSCALL_AUDIT BIT(4)
#define SYSCALL_WORK_SYSCALL_USER_DISPATCH BIT(5)
#define SYSCALL_WORK_SYSCALL_EXIT_TRAP BIT(6)
#define SYSCALL_WORK_SYSCALL_RSEQ_SLICE BIT(7)

/* include/linux/entry-common.h; ARCH_SYSCALL_WORK_EXIT is 0 on arm64. */
#define SYSCALL_WORK_EXIT                                                           \
	(SYSCALL_WORK_SYSCALL_TRACEPOINT | SYSCALL_WORK_SYSCALL_TRACE |             \
	 SYSCALL_WORK_SYSCALL_AUDIT | SYSCALL_WORK_SYSCALL_USER_DISPATCH |          \
	 SYSCALL_WORK_SYSCALL_EXIT_TRAP)

/* arch/arm64/include/asm/thread_info.h, v6.18 */
#define TIF_SYSCALL_TRACE 8
#define TIF_SYSCALL_AUDIT 9
#define TIF_SYSCALL_TRACEPOINT 10
#define TIF_SECCOMP 11
#define TIF_SYSCALL_EMU 12
#define TIF_SINGLESTEP 21
#define TIF_32BIT 22
#define _TIF_SYSCALL_TRACE BIT(TIF_SYSCALL_TRACE)
#define _TIF_SYSCALL_AUDIT BIT(TIF_SYSCALL_AUDIT)
#define _TIF_SYSCALL_TRACEPOINT BIT(TIF_SYSCALL_TRACEPOINT)
#define _TIF_SECCOMP BIT(TIF_SECCOMP)
#define _TIF_SYSCALL_EMU BIT(TIF_SYSCALL_EMU)
#define _TIF_SINGLESTEP BIT(TIF_SINGLESTEP)
#define _TIF_32BIT BIT(TIF_32BIT)
#define _TIF_SYSCALL_WORK                                                           \
	(_TIF_SYSCALL_TRACE | _TIF_SYSCALL_AUDIT | _TIF_SYSCALL_TRACEPOINT |        \
	 _TIF_SECCOMP | _TIF_SYSCALL_EMU)

static __always_inline bool test_thread_flag(int flag)
{
	return (read_thread_flags() >> flag) & 1;
}

/* arch/arm64/include/asm/compat.h: is_compat_task() tests TIF_32BIT. */
static __always_inline bool is_compat_task(void)
{
	return test_thread_flag(TIF_32BIT);
}

/* include/linux/bitops.h */
static __always_inline long sign_extend64(u64 value, int index)
{
	int shift = 63 - index;

	return (long)(value << shift) >> shift;
}

/* include/linux/err.h */
#define MAX_ERRNO 4095
#define IS_ERR_VALUE(x) unlikely((unsigned long)(x) >= (unsigned long)-MAX_ERRNO)

/* include/uapi/linux/ptrace.h (arm64 uses these values in the scratch register). */
#define PTRACE_SYSCALL_ENTER 0
#define PTRACE_SYSCALL_EXIT 1

/*
 * Hooks: out-of-line functions the exit path calls. The kernel build defines each as a bare
 * `ret` in hooks.S (the simulator intercepts at its address); the user-mode build defines
 * them in user/driver.c.
 */
long exitwork_syscall_body(struct pt_regs *regs);
void __audit_syscall_exit(int success, long return_code);
void trace_sys_exit(struct pt_regs *regs, long ret);
void ptrace_report_syscall_exit(struct pt_regs *regs, int step);
void rseq_syscall(struct pt_regs *regs);

/*
 * The committed fixtures are built without CONFIG_DEBUG_RSEQ, so the rseq debug check
 * compiles out of every variant, as it does in such a kernel (include/linux/rseq.h).
 */
#ifdef CONFIG_DEBUG_RSEQ
#define EXITWORK_DEBUG_RSEQ 1
#else
#define EXITWORK_DEBUG_RSEQ 0
#endif

#endif /* EXITWORK_SHIM_H */
