/**
 * Decoding of the exit path's inputs into named booleans, and the arm64 return-value helpers.
 *
 * The specifications never test a bit of a word directly: they decode the word here first and
 * match on the named record, so every guard reads with the kernel's own words.
 *
 * Names follow v7.0 include/linux/entry-common.h (report_single_step), include/linux/err.h
 * (IS_ERR_VALUE, MAX_ERRNO) and arch/arm64/include/asm/{ptrace,syscall}.h (regs_return_value,
 * syscall_get_return_value). Facts as gathered in shared/KERNEL.md §2, §3 and §5.
 */
import type { ScratchRegister } from "./effects.ts";
import type { ExitInput, RegsInput } from "./state.ts";
import {
  _TIF_32BIT,
  _TIF_SECCOMP,
  _TIF_SINGLESTEP,
  _TIF_SYSCALL_AUDIT,
  _TIF_SYSCALL_EMU,
  _TIF_SYSCALL_TRACE,
  _TIF_SYSCALL_TRACEPOINT,
  _TIF_SYSCALL_WORK,
  SYSCALL_WORK_EXIT,
  SYSCALL_WORK_SECCOMP,
  SYSCALL_WORK_SYSCALL_AUDIT,
  SYSCALL_WORK_SYSCALL_EMU,
  SYSCALL_WORK_SYSCALL_EXIT_TRAP,
  SYSCALL_WORK_SYSCALL_RSEQ_SLICE,
  SYSCALL_WORK_SYSCALL_TRACE,
  SYSCALL_WORK_SYSCALL_TRACEPOINT,
  SYSCALL_WORK_SYSCALL_USER_DISPATCH,
} from "./work.ts";

/** The work word (thread_info->syscall_work) as named booleans, one per enum syscall_work_bit. */
export interface SyscallWorkDecoded {
  readonly seccomp: boolean;
  readonly tracepoint: boolean;
  readonly trace: boolean;
  readonly emu: boolean;
  readonly audit: boolean;
  readonly syscallUserDispatch: boolean;
  readonly exitTrap: boolean;
  readonly rseqSlice: boolean;
  /** `work & SYSCALL_WORK_EXIT`: the gate of syscall_exit_to_user_mode_work(). */
  readonly exitWork: boolean;
}

/** Everything the generic exit path decides on, named as the kernel names it. */
export interface ExitDecoded extends SyscallWorkDecoded {
  /** current->syscall_dispatch.on_dispatch */
  readonly onDispatch: boolean;
  /** current->audit_context != NULL */
  readonly auditContext: boolean;
  /** is_compat_thread(): TIF_32BIT */
  readonly compat: boolean;
  /** CONFIG_DEBUG_RSEQ */
  readonly debugRseq: boolean;
  /** report_single_step(work) */
  readonly step: boolean;
}

/** Legacy arm64 thread_info->flags as named booleans (v6.18 arch/arm64/include/asm/thread_info.h). */
export interface TifDecoded {
  readonly syscallTrace: boolean;
  readonly syscallAudit: boolean;
  readonly syscallTracepoint: boolean;
  readonly seccomp: boolean;
  readonly syscallEmu: boolean;
  readonly singlestep: boolean;
  readonly is32bit: boolean;
  /** has_syscall_work(flags): `flags & _TIF_SYSCALL_WORK`. */
  readonly syscallWork: boolean;
}

function has(word: bigint, mask: bigint): boolean {
  return (word & mask) !== 0n;
}

export function decodeWork(work: bigint): SyscallWorkDecoded {
  return {
    seccomp: has(work, SYSCALL_WORK_SECCOMP),
    tracepoint: has(work, SYSCALL_WORK_SYSCALL_TRACEPOINT),
    trace: has(work, SYSCALL_WORK_SYSCALL_TRACE),
    emu: has(work, SYSCALL_WORK_SYSCALL_EMU),
    audit: has(work, SYSCALL_WORK_SYSCALL_AUDIT),
    syscallUserDispatch: has(work, SYSCALL_WORK_SYSCALL_USER_DISPATCH),
    exitTrap: has(work, SYSCALL_WORK_SYSCALL_EXIT_TRAP),
    rseqSlice: has(work, SYSCALL_WORK_SYSCALL_RSEQ_SLICE),
    exitWork: has(work, SYSCALL_WORK_EXIT),
  };
}

/** The generic exit path's view of an input: the work word read at exit, never `workAtEntry`. */
export function decodeExit(input: ExitInput): ExitDecoded {
  return {
    ...decodeWork(input.work),
    onDispatch: input.onDispatch,
    auditContext: input.auditContext,
    compat: input.compat,
    debugRseq: input.debugRseq,
    step: report_single_step(input.work),
  };
}

export function decodeTif(flags: bigint): TifDecoded {
  return {
    syscallTrace: has(flags, _TIF_SYSCALL_TRACE),
    syscallAudit: has(flags, _TIF_SYSCALL_AUDIT),
    syscallTracepoint: has(flags, _TIF_SYSCALL_TRACEPOINT),
    seccomp: has(flags, _TIF_SECCOMP),
    syscallEmu: has(flags, _TIF_SYSCALL_EMU),
    singlestep: has(flags, _TIF_SINGLESTEP),
    is32bit: has(flags, _TIF_32BIT),
    syscallWork: has(flags, _TIF_SYSCALL_WORK),
  };
}

/**
 * report_single_step() - whether the exit report is a single-step report
 * @work: the work word read at exit
 *
 * v7.0 include/linux/entry-common.h: an emulated syscall (PTRACE_SYSEMU) is never reported as a
 * step, even when EXIT_TRAP is set (PTRACE_SYSEMU_SINGLESTEP), because the tracer already saw the
 * syscall at entry and the step would be reported twice.
 */
export function report_single_step(work: bigint): boolean {
  const w = decodeWork(work);
  return !w.emu && w.exitTrap;
}

/** MAX_ERRNO (include/linux/err.h). */
export const MAX_ERRNO = 4095n;

/**
 * IS_ERR_VALUE() - whether a return value is an error code
 * @x: the value, any 64-bit pattern (signed or unsigned bigint)
 *
 * include/linux/err.h: `(unsigned long)x >= (unsigned long)-MAX_ERRNO`, i.e. x in [-4095, -1].
 */
export function IS_ERR_VALUE(x: bigint): boolean {
  return BigInt.asUintN(64, x) >= BigInt.asUintN(64, -MAX_ERRNO);
}

/**
 * Sign-extends x0 from bit 31 for compat tasks; AArch64 tasks return the 64-bit register as is.
 * The result is the signed `long` the callers pass on (audit's return_code, the tracepoint's ret).
 */
function returnValue(x0: bigint, compat: boolean): bigint {
  return compat ? BigInt.asIntN(32, x0) : BigInt.asIntN(64, x0);
}

/**
 * regs_return_value() - the syscall's return value as audit sees it
 *
 * arch/arm64/include/asm/ptrace.h: x0, sign_extend64(val, 31) when compat_user_mode(regs).
 * The kernel returns it as unsigned long and __audit_syscall_exit() takes it as long; this returns
 * that long.
 */
export function regs_return_value(regs: Pick<RegsInput, "x0">, compat: boolean): bigint {
  return returnValue(regs.x0, compat);
}

/**
 * syscall_get_return_value() - the syscall's return value as the sys_exit tracepoint sees it
 *
 * arch/arm64/include/asm/syscall.h: x0, sign_extend64(val, 31) when is_compat_thread(). Equal to
 * regs_return_value() for every task the model describes (compat_user_mode and is_compat_thread
 * agree for a task in a syscall).
 */
export function syscall_get_return_value(regs: Pick<RegsInput, "x0">, compat: boolean): bigint {
  return returnValue(regs.x0, compat);
}

/** The ptrace scratch register of arm64 report_syscall(): r12 (regs[12]) for AArch32 tasks, else x7. */
export function scratchRegister(compat: boolean): ScratchRegister {
  return compat ? "r12" : "x7";
}

/** PTRACE_SYSCALL_EXIT (arch/arm64/kernel/ptrace.c enum ptrace_syscall_dir): the value a tracer sees in the scratch register at an exit stop. */
export const PTRACE_SYSCALL_EXIT = 1n;
