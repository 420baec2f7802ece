/**
 * Byte offsets of the kernel structures the exit path touches, arm64 (shared/KERNEL.md §4).
 *
 * The C shim header (src/kernel/c/shim.h) declares the same layout and checks every offset
 * with _Static_assert; src/kernel/layout.test.ts reads that header and compares the numbers,
 * so the two cannot drift apart.
 */
export const PT_REGS = {
  /** regs[31]: x0..x30, 8 bytes each. */
  regs: 0,
  sp: 248,
  pc: 256,
  pstate: 264,
  orig_x0: 272,
  /** s32 */
  syscallno: 280,
  size: 336,
} as const;

export const TASK = {
  /** struct thread_info at the start of task_struct. */
  thread_info_flags: 0,
  thread_info_syscall_work: 8,
  /** struct audit_context *: NULL when the task has no audit context. */
  audit_context: 0x8a8,
  syscall_dispatch_selector: 0x8b0,
  syscall_dispatch_offset: 0x8b8,
  syscall_dispatch_len: 0x8c0,
  /** bool */
  syscall_dispatch_on_dispatch: 0x8c8,
  size: 0x900,
} as const;

/** pt_regs offset of x<n>. */
export function regOffset(n: number): number {
  return PT_REGS.regs + 8 * n;
}
