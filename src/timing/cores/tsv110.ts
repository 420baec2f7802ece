/**
 * HiSilicon TSV110 (Kunpeng 920).
 *
 * Classes follow LLVM 16's AArch64SchedTSV110.td as llvm-mca-16 applies it
 * (`llvm-mca-16 -mtriple=aarch64 -mcpu=tsv110 -instruction-info -resource-pressure`, which also
 * shows the predicate that keeps an unshifted register operand on the 1-cycle ALU pipes). Machine
 * numbers: TSV110Model in the same file. Front-end numbers are not published (shared/TIMING.md):
 * they are assumptions, listed in `assumptions` and overridable.
 */
import {
  type CoreModel,
  LLVM16_XZR_DIFFERENCE,
  MODEL_MCA_DIFFERENCES,
  pipe,
  timingClass as w,
} from "../core.ts";

const alu = w(1, 1, [pipe("ALUAB")]);
const ab = w(1, 1, [pipe("AB")]);
const mdu2 = w(2, 1, [pipe("MDU")]);
/** TSV110Wr_2cyc_1AB: llvm-mca-16 reports 2 cycles of AB pressure for it. */
const ab2 = w(2, 1, [pipe("AB", 2)]);
const none = w(1, 1, []);

export const tsv110: CoreModel = {
  name: "tsv110",
  description: "HiSilicon TSV110 (Kunpeng 920), 2.6 GHz",
  // TSV110UnitALU, TSV110UnitAB (2), TSV110UnitMDU, TSV110UnitLd0St, TSV110UnitLd1 (LLVM 16).
  units: ["ALU", "AB0", "AB1", "MDU", "Ld0St", "Ld1"],
  // Members in LLVM's resource-mask order (alphabetical), which decides llvm-mca's unit choice.
  groups: {
    AB: ["AB0", "AB1"],
    ALUAB: ["AB", "ALU"],
    LdSt: ["Ld0St", "Ld1"],
  },
  classes: {
    // WriteI / WriteImm / WriteIS: TSV110Wr_1cyc_1ALUAB.
    alu,
    // (ADD|SUB|AND)S, CCMP: TSV110Wr_1cyc_1AB.
    alu_flags: ab,
    // WriteISReg / WriteIEReg: TSV110Wr_2cyc_1MDU (no cheap-LSL variant on TSV110).
    arith_shift_cheap: mdu2,
    arith_shift: mdu2,
    // (ADD|SUB)S[WX]r(s|x): TSV110Wr_2cyc_1AB.
    arith_flags_shift_cheap: ab2,
    arith_flags_shift: ab2,
    // (AND|BIC|EON|EOR|ORN|ORR)[WX]rs: TSV110Wr_2cyc_1MDU.
    logic_shift: mdu2,
    // (AND|BIC)S[WX]rs: TSV110Wr_2cyc_1AB.
    logic_flags_shift: ab2,
    // (S|U)?BFM, EXTR: TSV110Wr_1cyc_1ALUAB.
    bitfield_insert: alu,
    ror_imm: alu,
    extract: alu,
    // MADDW/MSUBW, (S|U)MADDL: TSV110Wr_3cyc_1MDU; MADDX: TSV110Wr_4cyc_1MDU; (S|U)MULH: 4 cycles.
    mul32: w(3, 1, [pipe("MDU")]),
    mul64: w(4, 1, [pipe("MDU")]),
    mul_high: w(4, 1, [pipe("MDU")]),
    // (S|U)DIVW: TSV110Wr_12cyc_1MDU, (S|U)DIVX: TSV110Wr_20cyc_1MDU, not pipelined (RThroughput 12/20).
    div32: w(12, 1, [pipe("MDU", 12)]),
    div64: w(20, 1, [pipe("MDU", 20)]),
    // LDR*ui, LDUR*, LDR*l, LDR*ro: TSV110Wr_4cyc_1LdSt on either load pipe.
    load: w(4, 1, [pipe("LdSt")]),
    load_regoff: w(4, 1, [pipe("LdSt")]),
    // LDR*(post|pre): [TSV110Wr_4cyc_1LdSt, WriteAdr] against defs (wback, Rt): llvm-mca-16 gives
    // the base 4 cycles and Rt 1 (checked with -timeline).
    load_wb: { ...w(4, 2, [pipe("LdSt"), pipe("ALUAB")]), mcaDefLatencies: [4, 1] },
    // LDP: TSV110Wr_4cyc_1LdSt + WriteLDHi (a micro-op without a pipe).
    load_pair: w(4, 2, [pipe("LdSt")]),
    // LDP(post|pre): TSV110Wr_4cyc_1LdSt_1ALUAB + WriteLDHi + WriteAdr: 4 micro-ops, 2 ALUAB
    // cycles; against defs (wback, Rt, Rt2) llvm-mca-16 gives 4, 4, 1.
    load_pair_wb: { ...w(4, 4, [pipe("LdSt"), pipe("ALUAB", 2)]), mcaDefLatencies: [4, 4, 1] },
    load_acquire: w(4, 1, [pipe("LdSt")]),
    // STR*ui, STUR*, STP: TSV110Wr_1cyc_1LdSt, the one load-or-store pipe.
    store: w(1, 1, [pipe("Ld0St")]),
    // STR*ro, STR*(post|pre), STP(post|pre): TSV110Wr_1cyc_1LdSt + WriteAdr.
    store_regoff: w(1, 2, [pipe("Ld0St"), pipe("ALUAB")]),
    store_wb: w(1, 2, [pipe("Ld0St"), pipe("ALUAB")]),
    store_pair: w(1, 1, [pipe("Ld0St")]),
    store_pair_w: w(1, 1, [pipe("Ld0St")]),
    store_pair_wb: w(1, 2, [pipe("Ld0St"), pipe("ALUAB")]),
    store_pair_w_wb: w(1, 2, [pipe("Ld0St"), pipe("ALUAB")]),
    store_release: w(1, 1, [pipe("Ld0St")]),
    // B, BL, BLR, BR, RET, CBZ/CBNZ/TBZ/TBNZ, B.cond: TSV110Wr_1cyc_1AB.
    branch: ab,
    call: ab,
    call_indirect: ab,
    // WriteHint, WriteBarrier, WriteSys: 1 cycle, no pipe.
    hint: none,
    barrier: none,
    system: none,
  },
  params: {
    // TSV110Model: IssueWidth 4, MicroOpBufferSize 128, MispredictPenalty 14.
    dispatchWidth: 4,
    robSize: 128,
    mispredictPenalty: 14,
    // WikiChip (microarchitectures/taishan_v110): 4-wide decode.
    decodeWidth: 4,
    // WikiChip: 64 KiB L1I, 64 B lines.
    icacheLineBytes: 64,
    // WriteAdr: Latency 1.
    writebackLatency: 1,
    // LLVM 16 llvm/lib/MCA/InstrBuilder.cpp computeMaxLatency: calls get 100 cycles.
    mcaCallLatency: 100,
    // Assumptions (not published for TSV110, shared/TIMING.md):
    retireWidth: 4,
    takenBranchBubble: 1,
    btbMissPenalty: 3,
    btbEntries: 4096,
    predictorEntries: 4096,
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
  mcaDifferences: [...MODEL_MCA_DIFFERENCES, LLVM16_XZR_DIFFERENCE],
  mcaTools: ["llvm-mca-16"],
  mcaVersion: 16,
};
