/**
 * Architectural state of the simulated core: X0..X30 and SP as unsigned 64-bit bigints (SP at
 * index 31, the id stream.ts uses), PSTATE.NZCV packed as N<<3|Z<<2|C<<1|V, the system registers
 * the harness defines, and memory. The PC lives in the step loop, not here.
 */
import { Memory } from "./memory.ts";

/** MRS-readable system registers, keyed by o0:op1:CRn:CRm:op2 (the 15-bit `sysreg` field). */
export const SYSREGS = {
  /** op0=3 op1=0 CRn=4 CRm=1 op2=0 (Arm ARM D23.2 SP_EL0): `current` in the arm64 kernel. */
  sp_el0: 0x4208,
  /** op0=3 op1=3 CRn=13 CRm=0 op2=2: the user-mode builds read `current` from here. */
  tpidr_el0: 0x5e82,
  /** op0=3 op1=0 CRn=13 CRm=0 op2=4: the kernel's per-cpu offset. */
  tpidr_el1: 0x4684,
} as const;

export type SysregName = keyof typeof SYSREGS;

export const SYSREG_NAMES: ReadonlyMap<number, SysregName> = new Map(
  (Object.keys(SYSREGS) as SysregName[]).map((name) => [SYSREGS[name], name]),
);

export class Machine {
  readonly x: bigint[] = new Array<bigint>(32).fill(0n);
  nzcv = 0;
  readonly sysregs = new Map<number, bigint>();
  /** Set by conditional branches: whether the last one was taken. */
  taken = false;
  /** Index of the instruction executing now (the step loop keeps it for store watchers). */
  step = 0;
  constructor(readonly mem: Memory = new Memory()) {}
}
