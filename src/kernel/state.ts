/**
 * The input of one run of the exit path: the thread state a property generates and every
 * model (specification, machine code on the simulated core, qemu) starts from.
 */

/**
 * What the tracer does while the task sits in a ptrace stop at syscall exit.
 * `scratch` is the ptrace scratch register: x7 for AArch64 tasks, r12 (regs[12]) for compat.
 */
export type TracerAction =
  | { readonly kind: "none" }
  | { readonly kind: "write_x0"; readonly x0: bigint }
  | { readonly kind: "write_scratch"; readonly scratch: bigint }
  | { readonly kind: "write_both"; readonly x0: bigint; readonly scratch: bigint };

/** The pt_regs fields the exit path reads or a tracer writes (all other bytes stay as they were). */
export interface RegsInput {
  /** x0 after the syscall body: the return value, as the 64-bit register holds it. */
  readonly x0: bigint;
  readonly x7: bigint;
  readonly x12: bigint;
  readonly orig_x0: bigint;
  /** s32 */
  readonly syscallno: number;
}

export interface ExitInput {
  /** thread_info->syscall_work as the exit path reads it (generic entry), 64 bits. */
  readonly work: bigint;
  /** thread_info->syscall_work at syscall entry; the generic exit path must not look at it. */
  readonly workAtEntry: bigint;
  /** thread_info->flags at exit (legacy arm64 reads it fresh). TIF_32BIT is taken from `compat`. */
  readonly tifFlags: bigint;
  /** thread_info->flags at syscall entry: the legacy el0_svc_common snapshot. TIF_32BIT from `compat`. */
  readonly tifFlagsAtEntry: bigint;
  /** current->syscall_dispatch.on_dispatch */
  readonly onDispatch: boolean;
  /** current->audit_context != NULL */
  readonly auditContext: boolean;
  /** AArch32 task (TIF_32BIT): scratch register r12, return values sign-extended from bit 31. */
  readonly compat: boolean;
  readonly regs: RegsInput;
  readonly tracer: TracerAction;
  /** CONFIG_DEBUG_RSEQ; the committed fixtures are built without it. */
  readonly debugRseq: boolean;
}

/** The observable state after the exit path: pt_regs after tracer writes and scratch restore. */
export interface ExitFinalState {
  readonly regs: RegsInput;
  readonly onDispatch: boolean;
}

export const NO_TRACER: TracerAction = { kind: "none" };

/** A quiet thread: no work, no audit context, AArch64, syscall returned 0. */
export function defaultInput(overrides: Partial<ExitInput> = {}): ExitInput {
  return {
    work: 0n,
    workAtEntry: overrides.work ?? 0n,
    tifFlags: 0n,
    tifFlagsAtEntry: overrides.tifFlags ?? 0n,
    onDispatch: false,
    auditContext: false,
    compat: false,
    regs: { x0: 0n, x7: 0n, x12: 0n, orig_x0: 0n, syscallno: 172 },
    tracer: NO_TRACER,
    debugRseq: false,
    ...overrides,
  };
}
