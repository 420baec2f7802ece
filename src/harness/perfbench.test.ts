import { describe, expect, it } from "vitest";
import { type ExecutedInsn, REG_SP } from "../a64/stream.ts";
import { SYSCALL_WORK_SYSCALL_AUDIT, SYSCALL_WORK_SYSCALL_TRACE } from "../kernel/work.ts";
import {
  AUDIT_BOOT,
  benchInput,
  benchMetrics,
  benchTable,
  categorize,
  changePct,
  cyclesByCategory,
  DEFAULT_BASELINE_CYCLES,
  DEFAULT_GHZ,
  differencePp,
  isAuditBoot,
  mnemonicCounts,
  PATCHES,
  perfBench,
  QUIET_THREAD,
  runVariant,
  SEED_BEFORE_USECS,
  upstreamPct,
} from "./perfbench.ts";
import { MEMORY_MAP, PT_REGS_ADDR } from "./run.ts";

describe("perf-bench arithmetic", () => {
  it("turns the seed's baseline back into the seed's usecs/op and its ops/sec", () => {
    const m = benchMetrics(DEFAULT_BASELINE_CYCLES, DEFAULT_GHZ);
    expect(m.usecsPerOp).toBeCloseTo(SEED_BEFORE_USECS, 6);
    expect(m.totalSec).toBeCloseTo(2.1719, 4);
    expect(Math.round(m.opsPerSec)).toBe(4_604_215);
  });

  it("subtracts the modelled saving from the baseline and nothing else", () => {
    const t = benchTable(564.7, 100, 85.1, 2.6);
    expect(t.before.usecsPerOp).toBeCloseTo(564.7 / 2600, 12);
    expect(t.after.usecsPerOp).toBeCloseTo((564.7 - 14.9) / 2600, 12);
    expect(t.changePct.usecsPerOp).toBeCloseTo((-14.9 / 564.7) * 100, 9);
    expect(t.changePct.totalSec).toBeCloseTo(t.changePct.usecsPerOp, 9);
    expect(t.changePct.opsPerSec).toBeCloseTo((564.7 / 549.8 - 1) * 100, 9);
  });

  it("a slower after variant gives a positive change", () => {
    const t = benchTable(500, 15, 16, 2);
    expect(t.after.usecsPerOp).toBeCloseTo(501 / 2000, 12);
    expect(t.changePct.usecsPerOp).toBeCloseTo(0.2, 9);
    expect(t.changePct.opsPerSec).toBeLessThan(0);
  });

  it("reads the upstream changes of KERNEL.md §8 from the published numbers", () => {
    const [v9, v10] = PATCHES;
    expect(upstreamPct(v9!.upstream)).toBeCloseTo(((0.211453 - 0.217192) / 0.217192) * 100, 9);
    expect(upstreamPct(v9!.upstream).toFixed(1)).toBe("-2.6");
    expect(upstreamPct(v10!.upstream).toFixed(2)).toBe("-3.78");
  });

  it("measures the difference from upstream in percentage points, model minus upstream", () => {
    expect(differencePp(-0.7, -2.6)).toBeCloseTo(1.9, 12);
    expect(differencePp(-3, -2.6)).toBeCloseTo(-0.4, 12);
    expect(changePct(200, 150)).toBe(-25);
  });
});

function insn(partial: Partial<ExecutedInsn> & Pick<ExecutedInsn, "name" | "word">): ExecutedInsn {
  return {
    pc: 0x10000,
    reads: [],
    writes: [],
    mem: [],
    branch: "none",
    taken: false,
    nextPc: 0x10004,
    ...partial,
  };
}

describe("instruction classes", () => {
  it("separates what a call costs from the work itself", () => {
    expect(categorize(insn({ name: "BL", word: 0x94000006, branch: "call", taken: true }))).toBe("call/ret");
    expect(categorize(insn({ name: "RET", word: 0xd65f03c0, branch: "return", taken: true }))).toBe(
      "call/ret",
    );
    expect(categorize(insn({ name: "TBNZ", word: 0x37280941, branch: "conditional" }))).toBe("branches");
    expect(categorize(insn({ name: "PACIASP", word: 0xd503233f }))).toBe("PAC/BTI hints");
    expect(categorize(insn({ name: "NOP", word: 0xd503201f }))).toBe("ftrace NOPs");
    // stp x29, x30, [sp, #-32]! below pt_regs; str x0, [x19] into pt_regs->regs[0].
    const frame = { addr: PT_REGS_ADDR - 32, size: 8, store: true };
    expect(
      categorize(insn({ name: "STP_pre", word: 0xa9be7bfd, reads: [REG_SP, 29, 30], mem: [frame] })),
    ).toBe("frame save/restore");
    const ptRegs = { addr: PT_REGS_ADDR, size: 8, store: true };
    expect(categorize(insn({ name: "STR_imm_uoff", word: 0xf9000260, reads: [19, 0], mem: [ptRegs] }))).toBe(
      "kernel data loads/stores",
    );
    const scs = { addr: MEMORY_MAP.shadowCallStack, size: 8, store: true };
    expect(categorize(insn({ name: "STR_imm_post", word: 0xf800865e, reads: [18, 30], mem: [scs] }))).toBe(
      "frame save/restore",
    );
    expect(categorize(insn({ name: "ADD_imm", word: 0x910003fd, reads: [REG_SP], writes: [29] }))).toBe(
      "frame save/restore",
    );
    expect(categorize(insn({ name: "ORR_shift", word: 0xaa0003f3, reads: [0], writes: [19] }))).toBe(
      "register moves",
    );
    expect(categorize(insn({ name: "MOVZ", word: 0xd2800ec0, writes: [0] }))).toBe("compute");
  });

  it("charges each instruction the cycles it moved retirement, summing to the total", () => {
    const stream = [
      insn({ name: "PACIASP", word: 0xd503233f }),
      insn({ name: "BL", word: 0x94000006, branch: "call", taken: true }),
      insn({ name: "RET", word: 0xd65f03c0, branch: "return", taken: true }),
      insn({ name: "MOVZ", word: 0xd2800ec0, writes: [0] }),
    ];
    const rows = cyclesByCategory(stream, [0, 3, 3, 7]);
    const of = (c: string) => rows.find((r) => r.category === c)!;
    expect(of("PAC/BTI hints")).toEqual({ category: "PAC/BTI hints", instructions: 1, cycles: 1 });
    expect(of("call/ret")).toEqual({ category: "call/ret", instructions: 2, cycles: 3 });
    expect(of("compute")).toEqual({ category: "compute", instructions: 1, cycles: 4 });
    expect(rows.reduce((s, r) => s + r.cycles, 0)).toBe(8);
    expect(mnemonicCounts(stream)).toEqual({ bl: 1, mov: 1, paciasp: 1, ret: 1 });
    expect(Object.keys(mnemonicCounts([...stream].reverse()))).toEqual(["bl", "mov", "paciasp", "ret"]);
  });
});

describe("perfBench on the committed fixtures", () => {
  it("attributes every cycle of a run to some class", () => {
    const run = runVariant("ref", "gcc.defconfig", benchInput(AUDIT_BOOT), "tsv110");
    expect(run.categories.reduce((s, c) => s + c.cycles, 0)).toBe(run.cycles);
    expect(run.categories.reduce((s, c) => s + c.instructions, 0)).toBe(run.instructions);
    expect(run.perEffect.reduce((s, e) => s + e.cycles, 0)).toBe(run.cycles);
    expect(run.effects).toEqual(["audit_exit success=1 code=1234"]);
    expect(Object.values(run.mnemonics).reduce((s, n) => s + n, 0)).toBe(run.instructions);
  });

  it("models the whole syscall by default: v9 inlines the exit work, v10 both; effects unchanged", () => {
    const r = perfBench({
      core: "tsv110",
      state: AUDIT_BOOT,
      build: "gcc.defconfig",
      baselineCycles: 564.7,
      ghz: 2.6,
    });
    expect(r.fixtures).toBe("svc");
    expect(r.patches.map((p) => [p.variants.before, p.variants.after, p.partial])).toEqual([
      ["svc-ref", "svc-exit-inline", false],
      ["svc-ref", "svc-inline", false],
    ]);
    const expected = [
      "audit_entry nr=173 args=0x0,0x0,0x0,0x0",
      "syscall_body nr=173",
      "audit_exit success=1 code=1234",
    ];
    for (const p of r.patches) {
      for (const run of [p.before, p.after]) {
        expect(run.effects).toEqual(expected);
        expect(run.categories.reduce((s, c) => s + c.cycles, 0)).toBe(run.cycles);
        expect(run.perEffect.reduce((s, e) => s + e.cycles, 0)).toBe(run.cycles);
      }
    }
    expect(r.patches[0]!.before).toEqual(r.patches[1]!.before);
  });

  it("on the exit-only fixtures both patches compare ref with inline and v10 is marked partial", () => {
    const r = perfBench({
      core: "tsv110",
      state: AUDIT_BOOT,
      build: "gcc.defconfig",
      baselineCycles: 564.7,
      ghz: 2.6,
      fixtures: "exit",
    });
    expect(r.patches.map((p) => [p.variants.before, p.variants.after, p.partial])).toEqual([
      ["ref", "inline", false],
      ["ref", "inline", true],
    ]);
  });

  it("builds each table from the variants' cycles and compares with upstream only for the audit=1 state", () => {
    for (const state of [AUDIT_BOOT, QUIET_THREAD]) {
      const result = perfBench({
        core: "cortex-a72",
        state,
        build: "clang.defconfig",
        baselineCycles: 600,
        ghz: 2,
      });
      for (const p of result.patches) {
        const after = 600 - (p.before.cycles - p.after.cycles);
        expect(p.table.after.usecsPerOp).toBeCloseTo(after / 2000, 12);
        expect(p.differencePp === null).toBe(!isAuditBoot(state));
        if (p.differencePp !== null)
          expect(p.differencePp).toBeCloseTo(p.table.changePct.usecsPerOp - p.upstreamPct, 9);
      }
    }
  });

  it("knows the audit=1 state from any other", () => {
    expect(isAuditBoot({ work: SYSCALL_WORK_SYSCALL_AUDIT, auditContext: true })).toBe(true);
    expect(isAuditBoot({ work: SYSCALL_WORK_SYSCALL_AUDIT, auditContext: false })).toBe(false);
    expect(
      isAuditBoot({ work: SYSCALL_WORK_SYSCALL_AUDIT | SYSCALL_WORK_SYSCALL_TRACE, auditContext: true }),
    ).toBe(false);
  });

  it("rejects a baseline or clock that is not positive, as a coded error", () => {
    expect(() =>
      perfBench({ core: "tsv110", state: AUDIT_BOOT, build: "gcc.defconfig", baselineCycles: 0, ghz: 2.6 }),
    ).toThrow(/USAGE: --baseline-cycles/);
    expect(() =>
      perfBench({ core: "tsv110", state: AUDIT_BOOT, build: "gcc.nope", baselineCycles: 1, ghz: 2.6 }),
    ).toThrow(/USAGE: --build/);
  });
});
