/**
 * The contract between the functional core and the timing model: one record per executed
 * instruction, in program order. The functional core fills it; timing only reads it.
 *
 * Register ids in `reads` / `writes`: 0..30 are X0..X30 (W forms count as the same register),
 * 31 is SP, 32 is NZCV. XZR/WZR is never a dependency and never appears.
 */
export const REG_SP = 31;
export const REG_NZCV = 32;
export const REG_COUNT = 33;

export type BranchKind =
  | "none"
  /** B.cond, CBZ/CBNZ, TBZ/TBNZ */
  | "conditional"
  /** B */
  | "direct"
  /** BL */
  | "call"
  /** BLR */
  | "indirect_call"
  /** BR */
  | "indirect"
  /** RET (and RETAA-style returns if ever supported) */
  | "return";

export interface MemAccess {
  readonly addr: number;
  readonly size: number;
  readonly store: boolean;
}

export interface ExecutedInsn {
  readonly pc: number;
  readonly word: number;
  /** Encoding name from the decode table (src/a64/encodings.ts), e.g. "ADD_imm", "LDR_imm_post". */
  readonly name: string;
  readonly reads: readonly number[];
  readonly writes: readonly number[];
  /** Data memory accesses in order (LDP/STP give two). Empty for non-memory instructions. */
  readonly mem: readonly MemAccess[];
  readonly branch: BranchKind;
  /** For branches: whether it was taken (unconditional ones always are). */
  readonly taken: boolean;
  /** Address of the next instruction executed. */
  readonly nextPc: number;
}
