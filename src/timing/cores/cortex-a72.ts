/**
 * Arm Cortex-A72.
 *
 * LLVM models cortex-a72 with the Cortex-A57 scheduling model (AArch64.td: CortexA72 uses
 * CortexA57Model); classes follow LLVM 16's AArch64SchedA57.td as llvm-mca-16 applies it
 * (`llvm-mca-16 -mtriple=aarch64 -mcpu=cortex-a72 -instruction-info -resource-pressure`).
 * Machine numbers: CortexA57Model in AArch64SchedA57.td; decode width: Arm Cortex-A72 Software
 * Optimization Guide (3-wide decode). Front-end numbers are assumptions, overridable.
 */
import {
  type CoreModel,
  LLVM16_XZR_DIFFERENCE,
  MODEL_MCA_DIFFERENCES,
  pipe,
  timingClass as w,
} from "../core.ts";

const int = w(1, 1, [pipe("I")]);
const multi2 = w(2, 1, [pipe("M")]);
const none = w(1, 1, []);

export const cortexA72: CoreModel = {
  name: "cortex-a72",
  description: "Arm Cortex-A72 (LLVM's Cortex-A57 model), 1.5-2.4 GHz",
  // A57UnitB, A57UnitI (2), A57UnitM, A57UnitL, A57UnitS; FP/ASIMD pipes are not used here.
  units: ["B", "I0", "I1", "M", "L", "S"],
  groups: { I: ["I0", "I1"] },
  classes: {
    alu: int,
    alu_flags: int,
    // A57 shifted/extended register ALU ops: 2 cycles on M.
    arith_shift_cheap: multi2,
    arith_shift: multi2,
    arith_flags_shift_cheap: multi2,
    arith_flags_shift: multi2,
    logic_shift: multi2,
    logic_flags_shift: multi2,
    bitfield_insert: multi2,
    // EXTR (and ROR immediate): 2 micro-ops, 3 cycles, I + M.
    ror_imm: w(3, 2, [pipe("I"), pipe("M")]),
    extract: w(3, 2, [pipe("I"), pipe("M")]),
    // MUL/MADD W: 3 cycles; X: 5; (S|U)MULH: 6; UDIV W 19, X 35, not pipelined.
    mul32: w(3, 1, [pipe("M")]),
    mul64: w(5, 1, [pipe("M")]),
    mul_high: w(6, 1, [pipe("M")]),
    div32: w(19, 1, [pipe("M", 19)]),
    div64: w(35, 1, [pipe("M", 35)]),
    load: w(4, 1, [pipe("L")]),
    load_regoff: w(4, 2, [pipe("L"), pipe("I")]),
    load_wb: w(4, 2, [pipe("L"), pipe("I")]),
    load_pair: w(4, 2, [pipe("L")]),
    load_pair_wb: w(4, 3, [pipe("L"), pipe("I")]),
    load_acquire: w(4, 1, [pipe("L")]),
    store: w(1, 1, [pipe("S")]),
    store_regoff: w(1, 2, [pipe("S"), pipe("I")]),
    store_wb: w(1, 3, [pipe("S"), pipe("I", 2)]),
    // STP X: 2 micro-ops on S (2 cycles); STP W: 1.
    store_pair: w(2, 2, [pipe("S", 2)]),
    store_pair_w: w(1, 1, [pipe("S")]),
    store_pair_wb: w(2, 4, [pipe("S", 2), pipe("I", 2)]),
    store_pair_w_wb: w(1, 3, [pipe("S"), pipe("I", 2)]),
    store_release: w(1, 1, [pipe("S")]),
    branch: w(1, 1, [pipe("B")]),
    // BL: 2 micro-ops (B + I, the link register write); BLR: 2 micro-ops, 2 cycles.
    call: w(1, 2, [pipe("B"), pipe("I")]),
    call_indirect: w(2, 2, [pipe("B"), pipe("I")]),
    hint: none,
    barrier: none,
    system: none,
  },
  params: {
    // CortexA57Model: IssueWidth 3, MicroOpBufferSize 128, MispredictPenalty 14.
    dispatchWidth: 3,
    robSize: 128,
    mispredictPenalty: 14,
    // Cortex-A72 Software Optimization Guide: 3 instructions decoded per cycle.
    decodeWidth: 3,
    // Cortex-A72 TRM: 48 KiB L1I, 64 B lines.
    icacheLineBytes: 64,
    // A57 WriteAdr: 1 cycle on I.
    writebackLatency: 1,
    // LLVM 16 llvm/lib/MCA/InstrBuilder.cpp computeMaxLatency: calls get 100 cycles.
    mcaCallLatency: 100,
    // Assumptions:
    retireWidth: 3,
    takenBranchBubble: 1,
    btbMissPenalty: 3,
    btbEntries: 2048,
    predictorEntries: 4096,
    rasDepth: 8,
    icacheMissPenalty: 12,
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
  mcaDifferences: [...MODEL_MCA_DIFFERENCES, LLVM16_XZR_DIFFERENCE],
  mcaTools: ["llvm-mca-16"],
  mcaVersion: 16,
};
