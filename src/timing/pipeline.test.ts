import { describe, expect, it } from "vitest";
import { type ExecutedInsn, REG_NZCV } from "../a64/stream.ts";
import { applyOverrides, TimingFailure } from "./core.ts";
import { cores } from "./cores/index.ts";
import { Pipeline, STALL_REASONS, simulate } from "./pipeline.ts";
import { callPair, repeatStream } from "./synthetic.ts";

function insn(pc: number, name: string, fields: Partial<ExecutedInsn> = {}): ExecutedInsn {
  return {
    pc,
    word: 0x8000_0000,
    name,
    reads: [],
    writes: [],
    mem: [],
    branch: "none",
    taken: false,
    nextPc: pc + 4,
    ...fields,
  };
}

const mca = { mode: "steady", frontEnd: false, keepPerInsn: true } as const;

describe("mca-compatible mode", () => {
  it("one ALU instruction: dispatch 0, issue 1, complete 2, retire 3, 4 cycles (as llvm-mca-16)", () => {
    const r = simulate(cores.tsv110, [insn(0, "ADD_imm", { reads: [1], writes: [0] })], mca);
    expect([r.perInsn!.dispatch[0], r.perInsn!.issue[0], r.perInsn!.complete[0], r.retire[0]]).toEqual([
      0, 1, 2, 3,
    ]);
    expect(r.totalCycles).toBe(4);
  });

  it("a chain of dependent loads issues every load-latency cycles (llvm-mca-16: 15 cycles)", () => {
    const chain = [0, 4, 8].map((pc) =>
      insn(pc, "LDR_imm_uoff", { reads: [0], writes: [0], mem: [{ addr: 0x100, size: 8, store: false }] }),
    );
    const r = simulate(cores.tsv110, chain, mca);
    expect([...r.perInsn!.issue]).toEqual([1, 5, 9]);
    expect(r.totalCycles).toBe(15);
  });

  it("dispatch takes at most dispatchWidth micro-ops per cycle", () => {
    const movs = Array.from({ length: 8 }, (_, i) => insn(4 * i, "MOVZ", { writes: [i] }));
    const r = simulate(cores["cortex-a72"], movs, mca);
    expect([...r.perInsn!.dispatch]).toEqual([0, 0, 0, 1, 1, 1, 2, 2]);
  });

  it("a full reorder buffer holds dispatch until the oldest instruction retires", () => {
    const small = applyOverrides(cores.tsv110, { params: { robSize: 2 } });
    const loads = Array.from({ length: 3 }, (_, i) =>
      insn(4 * i, "LDR_imm_uoff", {
        reads: [10],
        writes: [i],
        mem: [{ addr: 0x100, size: 8, store: false }],
      }),
    );
    const r = simulate(small, loads, mca);
    expect(r.perInsn!.dispatch[2]).toBe(r.retire[0]);
    expect(r.stallCycles.rob).toBeGreaterThan(0);
  });

  it("calls take llvm-mca's 100 cycles to complete; their link register is ready after 1 (llvm-mca-16: 103 cycles)", () => {
    const [bl, ret] = callPair(0x1000, 0x2000).map((s) => s.insn);
    const r = simulate(cores.tsv110, [bl!, ret!], mca);
    expect(r.perInsn!.complete[0]! - r.perInsn!.issue[0]!).toBe(100);
    expect(r.perInsn!.issue[1]).toBe(r.perInsn!.issue[0]! + 1);
    expect(r.retire[1]).toBe(r.retire[0]);
    expect(r.totalCycles).toBe(103);
  });

  it("a store issues no earlier than an older load (llvm-mca LSUnit order)", () => {
    const stream = [
      insn(0, "MADD", { reads: [9], writes: [9] }),
      insn(4, "LDR_imm_uoff", { reads: [9], writes: [1], mem: [{ addr: 0x100, size: 8, store: false }] }),
      insn(8, "STR_imm_uoff", { reads: [3, 7], mem: [{ addr: 0x200, size: 8, store: true }] }),
    ];
    const r = simulate(cores.tsv110, stream, mca);
    expect(r.perInsn!.issue[2]).toBeGreaterThanOrEqual(r.perInsn!.issue[1]!);
    expect(r.stallCycles.memory).toBeGreaterThan(0);
  });
});

describe("front-end mode", () => {
  const frontEnd = { frontEnd: true, keepPerInsn: true } as const;

  it("a cold mispredicted branch holds the next instruction until it resolves plus the penalty", () => {
    const stream = [
      insn(0x1000, "SUBS_imm", { reads: [1], writes: [REG_NZCV] }),
      insn(0x1004, "B_cond", { reads: [REG_NZCV], branch: "conditional", taken: true, nextPc: 0x1040 }),
      insn(0x1040, "ADD_imm", { reads: [2], writes: [3] }),
    ];
    const cold = simulate(cores.tsv110, stream, { ...frontEnd, mode: "cold" });
    const penalty = cores.tsv110.params.mispredictPenalty;
    expect(cold.mispredicts).toBe(1);
    expect(cold.perInsn!.dispatch[2]).toBeGreaterThanOrEqual(cold.perInsn!.complete[1]! + penalty);
    const steady = simulate(cores.tsv110, stream, { ...frontEnd, mode: "steady" });
    expect(steady.mispredicts).toBe(0);
    expect(steady.totalCycles).toBeLessThan(cold.totalCycles);
  });

  it("cold runs miss once per I-cache line touched; steady runs do not miss", () => {
    const stream = repeatStream(400);
    const lines = new Set(stream.map((i) => Math.floor(i.pc / 64))).size;
    expect(simulate(cores.tsv110, stream, { ...frontEnd, mode: "cold" }).icacheMisses).toBe(lines);
    expect(simulate(cores.tsv110, stream, { ...frontEnd, mode: "steady" }).icacheMisses).toBe(0);
  });

  it("the return-address stack predicts a return to the call site", () => {
    const stream = callPair(0x1000, 0x2000).map((s) => s.insn);
    const cold = simulate(cores["neoverse-n1"], stream, { ...frontEnd, mode: "cold" });
    expect(cold.mispredicts).toBe(0);
  });

  it("a load of a stored address waits for forwarding", () => {
    const stream = [
      insn(0, "STR_imm_uoff", { reads: [1, 2], mem: [{ addr: 0x500, size: 8, store: true }] }),
      insn(4, "LDR_imm_uoff", { reads: [2], writes: [4], mem: [{ addr: 0x500, size: 8, store: false }] }),
      insn(8, "ADD_imm", { reads: [4], writes: [5] }),
    ];
    const r = simulate(cores.tsv110, stream, { ...frontEnd, mode: "steady" });
    const forwarded = r.perInsn!.issue[0]! + cores.tsv110.params.storeForwardLatency;
    expect(r.perInsn!.issue[2]).toBeGreaterThanOrEqual(Math.max(forwarded, r.perInsn!.issue[1]! + 4));
  });
});

describe("stall reasons", () => {
  const reason = (code: number | undefined) => STALL_REASONS[code ?? 0];

  it("names the constraint that held each instruction", () => {
    const stream = [
      insn(0, "ADD_shift", { word: 0x8b020820, reads: [1, 2], writes: [3] }),
      insn(4, "ADD_shift", { word: 0x8b020820, reads: [4, 5], writes: [6] }),
      insn(8, "LDR_imm_uoff", { reads: [3], writes: [7], mem: [{ addr: 0x100, size: 8, store: false }] }),
      insn(12, "ADD_imm", { reads: [7], writes: [8] }),
      insn(16, "ADD_imm", { reads: [9], writes: [10] }),
    ];
    const r = simulate(cores.tsv110, stream, mca);
    // Two shifted adds share the one MDU pipe; the load waits for x3, the add for the load.
    expect([...r.perInsn!.stall].map(reason)).toEqual(["none", "pipes", "operands", "operands", "dispatch"]);
    expect(r.stallCycles.pipes).toBe(1);
    // The load issues at 3 (x3 after 2 cycles) instead of 1, the add at 7 (x7 after 4) instead of 1.
    expect(r.stallCycles.operands).toBe(2 + 6);
  });

  it("counts the wait after a mispredicted branch as mispredict", () => {
    const stream = [
      insn(0x1000, "B_cond", { branch: "conditional", taken: true, nextPc: 0x1040 }),
      insn(0x1040, "ADD_imm", { reads: [2], writes: [3] }),
    ];
    const r = simulate(cores.tsv110, stream, { mode: "cold", frontEnd: true, keepPerInsn: true });
    expect(reason(r.perInsn!.stall[1])).toBe("mispredict");
    expect(r.stallCycles.mispredict).toBe(r.perInsn!.dispatch[1]! - r.perInsn!.dispatch[0]!);
  });
});

describe("simulate", () => {
  it("is deterministic and equals feeding the pipeline one instruction at a time", () => {
    const stream = repeatStream(2000);
    const options = { mode: "cold", frontEnd: true, keepPerInsn: true } as const;
    const a = simulate(cores.tsv110, stream, options);
    const b = simulate(cores.tsv110, stream, options);
    const pipeline = new Pipeline(cores.tsv110, options, 1);
    for (const i of stream) pipeline.feed(i);
    const c = pipeline.finish();
    expect(b).toEqual(a);
    expect(c).toEqual(a);
  });

  it("a latency past the reservation window is a coded error, not a crash", () => {
    const slow = applyOverrides(cores.tsv110, { classes: { load: { latency: 70_000 } } });
    const chain = [0, 4].map((pc) =>
      insn(pc, "LDR_imm_uoff", { reads: [0], writes: [0], mem: [{ addr: 0x100, size: 8, store: false }] }),
    );
    expect(() => simulate(slow, chain, mca)).toThrow(TimingFailure);
  });

  it("rejects an encoding without a timing kind with a coded error", () => {
    try {
      simulate(cores.tsv110, [insn(0x40, "FMADD")], mca);
      expect.unreachable();
    } catch (thrown) {
      expect(thrown).toBeInstanceOf(TimingFailure);
      expect((thrown as TimingFailure).issue).toMatchObject({
        code: "timing_unknown_encoding",
        path: "stream[0] pc=0x40",
      });
    }
  });
});
