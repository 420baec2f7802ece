/**
 * Arm Neoverse N1.
 *
 * Classes follow AArch64SchedNeoverseN1.td (LLVM 17 and later; references: Arm Neoverse N1
 * Software Optimization Guide and WikiChip). LLVM 16 has no N1 model: `llvm-mca-16
 * -mcpu=neoverse-n1` uses the Cortex-A57 model (checked: same pipes and numbers as cortex-a57),
 * so the cross-check compares this N1 model with mca's A57 numbers; see `mcaDifferences`.
 */
import { type CoreModel, MODEL_MCA_DIFFERENCES, pipe, timingClass as w } from "../core.ts";

const int = w(1, 1, [pipe("I")]);
const multi2 = w(2, 1, [pipe("M")]);
const none = w(1, 1, []);

export const neoverseN1: CoreModel = {
  name: "neoverse-n1",
  description: "Arm Neoverse N1 (Ampere Altra, AWS Graviton2), 2.5-3.0 GHz",
  // N1UnitB, N1UnitS (2), N1UnitM, N1UnitL (2), N1UnitD (2); FP/ASIMD pipes are not used here.
  units: ["B", "S0", "S1", "M", "L0", "L1", "D0", "D1"],
  // N1UnitI = M + S, members in LLVM's resource-mask order (alphabetical).
  groups: { S: ["S0", "S1"], I: ["M", "S"], L: ["L0", "L1"], D: ["D0", "D1"] },
  classes: {
    // WriteI / WriteImm / WriteIS: N1Write_1c_1I (flag-setting too).
    alu: int,
    alu_flags: int,
    // N1WriteISReg: IsCheapLSL -> N1Write_1c_1I, else N1Write_2c_1M; WriteIEReg: N1Write_2c_1M.
    arith_shift_cheap: int,
    arith_shift: multi2,
    arith_flags_shift_cheap: int,
    arith_flags_shift: multi2,
    // Logical, shift, no flagset: N1Write_1c_1I; flagset: N1Write_2c_1M.
    logic_shift: int,
    logic_flags_shift: multi2,
    // BFM: N1Write_2c_1M.
    bitfield_insert: multi2,
    // N1WriteExtr: IsRORImmIdiomPred -> N1Write_1c_1I, else N1Write_3c_1I_1M.
    ror_imm: int,
    extract: w(3, 2, [pipe("I"), pipe("M")]),
    // WriteIM32 N1Write_2c_1M, WriteIM64 N1Write_4c3_1M, (S|U)MULH N1Write_5c3_1M.
    mul32: w(2, 1, [pipe("M")]),
    mul64: w(4, 1, [pipe("M", 3)]),
    mul_high: w(5, 1, [pipe("M", 3)]),
    // WriteID32 N1Write_12c5_1M, WriteID64 N1Write_20c5_1M.
    div32: w(12, 1, [pipe("M", 5)]),
    div64: w(20, 1, [pipe("M", 5)]),
    // WriteLD / WriteLDIdx: N1Write_4c_1L; WriteAdr: N1Write_1c_1I; WriteLDHi: N1Write_4c_1L.
    load: w(4, 1, [pipe("L")]),
    load_regoff: w(4, 1, [pipe("L")]),
    load_wb: w(4, 2, [pipe("L"), pipe("I")]),
    load_pair: w(4, 2, [pipe("L"), pipe("L")]),
    load_pair_wb: w(4, 3, [pipe("L"), pipe("L"), pipe("I")]),
    load_acquire: w(4, 1, [pipe("L")]),
    // WriteST / WriteSTIdx: N1Write_1c_1L_1D; WriteSTP: N1Write_1c_2L_1D; STPWi: N1Write_1c_1L_1D.
    store: w(1, 2, [pipe("L"), pipe("D")]),
    store_regoff: w(1, 2, [pipe("L"), pipe("D")]),
    store_wb: w(1, 3, [pipe("L"), pipe("D"), pipe("I")]),
    store_pair: w(1, 3, [pipe("L"), pipe("L"), pipe("D")]),
    store_pair_w: w(1, 2, [pipe("L"), pipe("D")]),
    store_pair_wb: w(1, 4, [pipe("L"), pipe("L"), pipe("D"), pipe("I")]),
    store_pair_w_wb: w(1, 3, [pipe("L"), pipe("D"), pipe("I")]),
    store_release: w(1, 2, [pipe("L"), pipe("D")]),
    // WriteBr / WriteBrReg: N1Write_1c_1B; BL, BLR: N1Write_1c_1B_1I.
    branch: w(1, 1, [pipe("B")]),
    call: w(1, 2, [pipe("B"), pipe("I")]),
    call_indirect: w(1, 2, [pipe("B"), pipe("I")]),
    // WriteHint, WriteBarrier, WriteSys: 1 cycle, no pipe.
    hint: none,
    barrier: none,
    system: none,
  },
  params: {
    // NeoverseN1Model: IssueWidth 8, MicroOpBufferSize 128 (copied from A76), MispredictPenalty 11.
    dispatchWidth: 8,
    robSize: 128,
    mispredictPenalty: 11,
    // Neoverse N1 SOG / WikiChip: 4-wide decode, 64 KiB L1I with 64 B lines.
    decodeWidth: 4,
    icacheLineBytes: 64,
    // WriteAdr: N1Write_1c_1I.
    writebackLatency: 1,
    // LLVM 16 llvm/lib/MCA/InstrBuilder.cpp computeMaxLatency: calls get 100 cycles.
    mcaCallLatency: 100,
    // Assumptions:
    retireWidth: 8,
    takenBranchBubble: 1,
    btbMissPenalty: 3,
    btbEntries: 6144,
    predictorEntries: 8192,
    rasDepth: 16,
    icacheMissPenalty: 11,
    frontEndDepth: 0,
    storeForwardLatency: 5,
  },
  assumptions: [
    "retireWidth",
    "takenBranchBubble",
    "btbMissPenalty",
    "btbEntries",
    "predictorEntries",
    "rasDepth",
    "icacheMissPenalty",
    "frontEndDepth",
    "storeForwardLatency",
  ],
  mcaDifferences: [
    ...MODEL_MCA_DIFFERENCES,
    "llvm-mca-16 has no Neoverse N1 model and uses Cortex-A57's (dispatch 3 instead of 8, shifted ALU ops on M, BL/BLR and STP split differently): this model keeps the N1 numbers and is cross-checked against an LLVM that has them (17 or later); against llvm-mca-16 short traces come out up to 14% faster",
    "LLVM's `(AND|BIC)S[WX]rs` entry also catches unshifted ANDS/BICS (`tst x1, x8`): 2 cycles on M there, 1 on I here as the N1 SOG's \"ALU, basic, flagset\" (up to ~4 cycles per trace)",
    "llvm-mca-19 reads `hint #25`/`hint #29` as PACIASP/AUTIASP, which use SP and LR and write LR; on this v8.2 core without PAuth they are NOPs without operands: only the mca-compatible mode copies the LLVM 19 view (mca-quirks.ts)",
  ],
  // AArch64SchedNeoverseN1.td exists from LLVM 17.
  mcaTools: ["llvm-mca-19", "llvm-mca-18", "llvm-mca-17"],
  mcaVersion: 19,
};
