/**
 * Timing kinds: the shared step between an encoding and a core's timing class.
 *
 * Every encoding the decoder supports maps to one kind, possibly depending on the instruction
 * word where LLVM's scheduling models split one encoding (a shift amount of zero, an LSL of at
 * most 4, a 32- or 64-bit multiply). Each core then maps every kind to a timing class, so both
 * steps are exhaustive records: a new encoding or kind without a class is a type error.
 */
import { extract } from "../a64/bits.ts";
import type { EncodingName } from "../a64/encodings.ts";

export const OP_KINDS = [
  /** Immediate and unshifted register ALU, moves, ADR/ADRP, SBFM/UBFM, CSEL family, variable shifts. */
  "alu",
  /** Flag-setting ALU without a shift (ADDS/SUBS/ANDS, so CMP/CMN/TST) and CCMP/CCMN. */
  "alu_flags",
  /** ADD/SUB with LSL #1..#4 (LLVM's IsCheapLSL predicate). */
  "arith_shift_cheap",
  /** ADD/SUB with any other non-zero shift, or an extended register. */
  "arith_shift",
  /** ADDS/SUBS with LSL #1..#4. */
  "arith_flags_shift_cheap",
  /** ADDS/SUBS with any other non-zero shift, or an extended register. */
  "arith_flags_shift",
  /** AND/BIC/ORR/ORN/EOR/EON with a non-zero shift. */
  "logic_shift",
  /** ANDS/BICS with a non-zero shift. */
  "logic_flags_shift",
  /** BFM (BFI/BFXIL): reads its destination. */
  "bitfield_insert",
  /** EXTR with Rn == Rm (ROR immediate). */
  "ror_imm",
  /** EXTR with two different registers. */
  "extract",
  "mul32",
  "mul64",
  "mul_high",
  "div32",
  "div64",
  /** LDR/LDUR/LDR (literal), any size or sign, immediate offset. */
  "load",
  /** LDR with a register offset. */
  "load_regoff",
  /** LDR pre- or post-index (address write-back). */
  "load_wb",
  "load_pair",
  "load_pair_wb",
  "load_acquire",
  /** STR/STUR immediate offset. */
  "store",
  "store_regoff",
  "store_wb",
  /** STP of two X registers. */
  "store_pair",
  /** STP of two W registers. */
  "store_pair_w",
  "store_pair_wb",
  "store_pair_w_wb",
  "store_release",
  /** B, B.cond, CBZ/CBNZ, TBZ/TBNZ, BR, RET. */
  "branch",
  /** BL. */
  "call",
  /** BLR. */
  "call_indirect",
  /** NOP and the hint space: PACIASP/AUTIASP/BTI are hints on the v8.0/v8.2 cores modelled here. */
  "hint",
  /** DMB/DSB/ISB. */
  "barrier",
  /** MRS; BRK and UDF (which end a run) share it. */
  "system",
] as const;

export type OpKind = (typeof OP_KINDS)[number];

/** Kind of an encoding, or a function of the word where LLVM's models split the encoding. */
type KindRule = OpKind | ((word: number) => OpKind);

/** DecodeShift's imm6 and shift type of the shifted-register forms (Arm ARM C6.2, ADD (shifted register)). */
function shiftAmount(word: number): number {
  return extract(word, 10, 6);
}

function isCheapLsl(word: number): boolean {
  return extract(word, 22, 2) === 0 && shiftAmount(word) <= 4;
}

const arithShift = (word: number): OpKind =>
  shiftAmount(word) === 0 ? "alu" : isCheapLsl(word) ? "arith_shift_cheap" : "arith_shift";
const arithFlagsShift = (word: number): OpKind =>
  shiftAmount(word) === 0 ? "alu_flags" : isCheapLsl(word) ? "arith_flags_shift_cheap" : "arith_flags_shift";
const logicShift = (word: number): OpKind => (shiftAmount(word) === 0 ? "alu" : "logic_shift");
const logicFlagsShift = (word: number): OpKind =>
  shiftAmount(word) === 0 ? "alu_flags" : "logic_flags_shift";
/** sf (bit 31) selects the 64-bit form. */
const bySf =
  (narrow: OpKind, wide: OpKind) =>
  (word: number): OpKind =>
    extract(word, 31, 1) === 1 ? wide : narrow;

export const KIND_OF_ENCODING = {
  ADR: "alu",
  ADRP: "alu",
  ADD_imm: "alu",
  ADDS_imm: "alu_flags",
  SUB_imm: "alu",
  SUBS_imm: "alu_flags",
  AND_imm: "alu",
  ORR_imm: "alu",
  EOR_imm: "alu",
  ANDS_imm: "alu_flags",
  MOVN: "alu",
  MOVZ: "alu",
  MOVK: "alu",
  SBFM: "alu",
  BFM: "bitfield_insert",
  UBFM: "alu",
  EXTR: (word) => (extract(word, 5, 5) === extract(word, 16, 5) ? "ror_imm" : "extract"),
  AND_shift: logicShift,
  BIC_shift: logicShift,
  ORR_shift: logicShift,
  ORN_shift: logicShift,
  EOR_shift: logicShift,
  EON_shift: logicShift,
  ANDS_shift: logicFlagsShift,
  BICS_shift: logicFlagsShift,
  ADD_shift: arithShift,
  ADDS_shift: arithFlagsShift,
  SUB_shift: arithShift,
  SUBS_shift: arithFlagsShift,
  ADD_ext: "arith_shift",
  ADDS_ext: "arith_flags_shift",
  SUB_ext: "arith_shift",
  SUBS_ext: "arith_flags_shift",
  ADC: "alu",
  ADCS: "alu_flags",
  SBC: "alu",
  SBCS: "alu_flags",
  CCMN_reg: "alu_flags",
  CCMP_reg: "alu_flags",
  CCMN_imm: "alu_flags",
  CCMP_imm: "alu_flags",
  CSEL: "alu",
  CSINC: "alu",
  CSINV: "alu",
  CSNEG: "alu",
  UDIV: bySf("div32", "div64"),
  SDIV: bySf("div32", "div64"),
  LSLV: "alu",
  LSRV: "alu",
  ASRV: "alu",
  RORV: "alu",
  RBIT: "alu",
  REV16: "alu",
  REV32: "alu",
  REV: "alu",
  CLZ: "alu",
  CLS: "alu",
  MADD: bySf("mul32", "mul64"),
  MSUB: bySf("mul32", "mul64"),
  SMADDL: "mul32",
  SMSUBL: "mul32",
  SMULH: "mul_high",
  UMADDL: "mul32",
  UMSUBL: "mul32",
  UMULH: "mul_high",
  STRB_imm_uoff: "store",
  LDRB_imm_uoff: "load",
  LDRSB_imm_uoff: "load",
  STRH_imm_uoff: "store",
  LDRH_imm_uoff: "load",
  LDRSH_imm_uoff: "load",
  STR_imm_uoff: "store",
  LDR_imm_uoff: "load",
  LDRSW_imm_uoff: "load",
  STRB_imm_pre: "store_wb",
  LDRB_imm_pre: "load_wb",
  LDRSB_imm_pre: "load_wb",
  STRH_imm_pre: "store_wb",
  LDRH_imm_pre: "load_wb",
  LDRSH_imm_pre: "load_wb",
  STR_imm_pre: "store_wb",
  LDR_imm_pre: "load_wb",
  LDRSW_imm_pre: "load_wb",
  STRB_imm_post: "store_wb",
  LDRB_imm_post: "load_wb",
  LDRSB_imm_post: "load_wb",
  STRH_imm_post: "store_wb",
  LDRH_imm_post: "load_wb",
  LDRSH_imm_post: "load_wb",
  STR_imm_post: "store_wb",
  LDR_imm_post: "load_wb",
  LDRSW_imm_post: "load_wb",
  STURB: "store",
  LDURB: "load",
  LDURSB: "load",
  STURH: "store",
  LDURH: "load",
  LDURSH: "load",
  STUR: "store",
  LDUR: "load",
  LDURSW: "load",
  STRB_reg: "store_regoff",
  LDRB_reg: "load_regoff",
  LDRSB_reg: "load_regoff",
  STRH_reg: "store_regoff",
  LDRH_reg: "load_regoff",
  LDRSH_reg: "load_regoff",
  STR_reg: "store_regoff",
  LDR_reg: "load_regoff",
  LDRSW_reg: "load_regoff",
  STP_post: bySf("store_pair_w_wb", "store_pair_wb"),
  STP_pre: bySf("store_pair_w_wb", "store_pair_wb"),
  STP_off: bySf("store_pair_w", "store_pair"),
  LDP_post: "load_pair_wb",
  LDP_pre: "load_pair_wb",
  LDP_off: "load_pair",
  LDPSW_post: "load_pair_wb",
  LDPSW_pre: "load_pair_wb",
  LDPSW_off: "load_pair",
  LDR_lit: "load",
  LDRSW_lit: "load",
  LDARB: "load_acquire",
  LDARH: "load_acquire",
  LDAR: "load_acquire",
  STLRB: "store_release",
  STLRH: "store_release",
  STLR: "store_release",
  B: "branch",
  BL: "call",
  B_cond: "branch",
  CBZ: "branch",
  CBNZ: "branch",
  TBZ: "branch",
  TBNZ: "branch",
  BR: "branch",
  BLR: "call_indirect",
  RET: "branch",
  BRK: "system",
  UDF: "system",
  NOP: "hint",
  PACIASP: "hint",
  AUTIASP: "hint",
  BTI: "hint",
  HINT: "hint",
  DSB: "barrier",
  DMB: "barrier",
  ISB: "barrier",
  MRS: "system",
} as const satisfies Record<EncodingName, KindRule>;

const KIND_INDEX = new Map<OpKind, number>(OP_KINDS.map((k, i) => [k, i]));

export function kindIndex(kind: OpKind): number {
  return KIND_INDEX.get(kind)!;
}

const RULES = new Map<string, KindRule>(Object.entries(KIND_OF_ENCODING));

/** Kind of one executed instruction; undefined for a name the decode table does not have. */
export function kindOf(name: string, word: number): OpKind | undefined {
  const rule = RULES.get(name);
  if (rule === undefined) return undefined;
  return typeof rule === "function" ? rule(word) : rule;
}

/**
 * Whether llvm-mca treats a kind as MayLoad / MayStore (the AArch64 instruction definitions, as
 * `llvm-mca-16 -instruction-info` shows them): the hint space and barriers are both.
 */
export const MCA_MEMORY: Record<OpKind, { load: boolean; store: boolean }> = {
  alu: { load: false, store: false },
  alu_flags: { load: false, store: false },
  arith_shift_cheap: { load: false, store: false },
  arith_shift: { load: false, store: false },
  arith_flags_shift_cheap: { load: false, store: false },
  arith_flags_shift: { load: false, store: false },
  logic_shift: { load: false, store: false },
  logic_flags_shift: { load: false, store: false },
  bitfield_insert: { load: false, store: false },
  ror_imm: { load: false, store: false },
  extract: { load: false, store: false },
  mul32: { load: false, store: false },
  mul64: { load: false, store: false },
  mul_high: { load: false, store: false },
  div32: { load: false, store: false },
  div64: { load: false, store: false },
  load: { load: true, store: false },
  load_regoff: { load: true, store: false },
  load_wb: { load: true, store: false },
  load_pair: { load: true, store: false },
  load_pair_wb: { load: true, store: false },
  load_acquire: { load: true, store: false },
  store: { load: false, store: true },
  store_regoff: { load: false, store: true },
  store_wb: { load: false, store: true },
  store_pair: { load: false, store: true },
  store_pair_w: { load: false, store: true },
  store_pair_wb: { load: false, store: true },
  store_pair_w_wb: { load: false, store: true },
  store_release: { load: false, store: true },
  branch: { load: false, store: false },
  call: { load: false, store: false },
  call_indirect: { load: false, store: false },
  hint: { load: true, store: true },
  barrier: { load: true, store: true },
  system: { load: false, store: false },
};
