import { describe, expect, it } from "vitest";
import { Code, runCore } from "./core.ts";
import { Machine } from "./machine.ts";
import { Memory } from "./memory.ts";
import { type ExecutedInsn, REG_NZCV, REG_SP } from "./stream.ts";

const BASE = 0x1000;
const DATA = 0x8000;
const STOP = 0xdead00;

function setup(
  words: readonly number[],
  intercepts = new Map<number, string>(),
): { code: Code[]; m: Machine } {
  const bytes = new Uint8Array(words.length * 4);
  const view = new DataView(bytes.buffer);
  words.forEach((w, i) => {
    view.setUint32(i * 4, w >>> 0, true);
  });
  const mem = new Memory();
  mem.map("text", BASE, bytes.length, "rx", bytes);
  mem.map("data", DATA, 0x100, "rw");
  const m = new Machine(mem);
  m.x[30] = BigInt(STOP);
  m.x[REG_SP] = BigInt(DATA + 0x100);
  return { code: [new Code({ vaddr: BASE, bytes }, intercepts)], m };
}

const RET = 0xd65f03c0;

describe("step loop", () => {
  it("runs to the stop address and emits one ExecutedInsn per instruction with exact read/write sets", () => {
    // mov x1, #0x8000 ; str x1, [x1, #8] ; subs x2, x1, #1 ; b.ne +8 ; nop ; ret
    const words = [0xd2900001, 0xf9000421, 0xf1000422, 0x54000041, 0xd503201f, RET];
    const { code, m } = setup(words);
    const seen: ExecutedInsn[] = [];
    const result = runCore(code, m, BASE, {
      stopAt: STOP,
      maxSteps: 100,
      name: "t",
      onInsn: (i) => seen.push(i),
    });
    expect(result).toEqual({ ok: true, steps: 5 });
    expect(m.x[2]).toBe(0x7fffn);
    expect(m.mem.peek(DATA + 8, 8)).toBe(0x8000n);
    expect(seen.map((i) => i.name)).toEqual(["MOVZ", "STR_imm_uoff", "SUBS_imm", "B_cond", "RET"]);
    expect(seen[0]).toMatchObject({
      reads: [],
      writes: [1],
      mem: [],
      branch: "none",
      taken: false,
      nextPc: BASE + 4,
    });
    expect(seen[1]).toMatchObject({
      reads: [1],
      writes: [],
      mem: [{ addr: DATA + 8, size: 8, store: true }],
    });
    expect(seen[2]).toMatchObject({ reads: [1], writes: [2, REG_NZCV] });
    expect(seen[3]).toMatchObject({
      reads: [REG_NZCV],
      branch: "conditional",
      taken: true,
      nextPc: BASE + 20,
    });
    expect(seen[4]).toMatchObject({ reads: [30], branch: "return", taken: true, nextPc: STOP });
  });

  it("reports a load outside memory as a fault naming pc, word and disassembly", () => {
    // ldr x0, [x1]
    const { code, m } = setup([0xf9400020, RET]);
    m.x[1] = 0x7000_0000n;
    const result = runCore(code, m, BASE, { stopAt: STOP, maxSteps: 10, name: "t" });
    expect(result).toEqual({
      ok: false,
      error: {
        code: "EXITWORK_SIM_FAULT",
        path: "t@0x1000",
        message: "load of 8 bytes at 0x70000000: address not mapped",
        pc: BASE,
        word: 0xf9400020,
        disasm: "ldr\tx0, [x1]",
        steps: 0,
      },
    });
  });

  it("reports a store to read-only code as a fault", () => {
    // str x0, [x1]
    const { code, m } = setup([0xf9000020, RET]);
    m.x[1] = BigInt(BASE);
    const result = runCore(code, m, BASE, { stopAt: STOP, maxSteps: 10, name: "t" });
    expect(result.ok ? "" : result.error.message).toMatch(
      /store of 8 bytes at 0x1000: store to read-only region text/,
    );
  });

  it("ends a looping run at the step limit with a clear error", () => {
    const { code, m } = setup([0x14000000]);
    const result = runCore(code, m, BASE, { stopAt: STOP, maxSteps: 1000, name: "loop" });
    expect(result).toMatchObject({
      ok: false,
      error: { code: "EXITWORK_SIM_STEP_LIMIT", message: "no return after 1000 instructions", steps: 1000 },
    });
  });

  it("ends on an undecodable word, a trap, or a jump out of the code with typed errors", () => {
    const undecodable = setup([0xff000000]);
    expect(
      runCore(undecodable.code, undecodable.m, BASE, { stopAt: STOP, maxSteps: 9, name: "t" }),
    ).toMatchObject({
      ok: false,
      error: { code: "EXITWORK_SIM_UNDECODABLE", word: 0xff000000, disasm: ".inst\t0xff000000 ; undefined" },
    });
    const brk = setup([0xd4207d00]);
    expect(runCore(brk.code, brk.m, BASE, { stopAt: STOP, maxSteps: 9, name: "t" })).toMatchObject({
      ok: false,
      error: { code: "EXITWORK_SIM_TRAP", disasm: "brk\t#0x3e8" },
    });
    const jump = setup([0xd61f0020]);
    jump.m.x[1] = 0x4444n;
    expect(runCore(jump.code, jump.m, BASE, { stopAt: STOP, maxSteps: 9, name: "t" })).toMatchObject({
      ok: false,
      error: { code: "EXITWORK_SIM_FETCH", pc: 0x4444, word: undefined },
    });
  });

  it("calls an intercept before the tagged instruction executes, with that instruction's index", () => {
    // bl hook ; br x19 ; hook: ret
    const { code, m } = setup([0x94000002, 0xd61f0260, RET], new Map([[BASE + 8, "hook"]]));
    const calls: [string, number, bigint][] = [];
    m.x[19] = BigInt(STOP);
    const result = runCore(code, m, BASE, {
      stopAt: STOP,
      maxSteps: 10,
      name: "t",
      onIntercept: (tag, machine, index) => calls.push([tag, index, machine.x[30]!]),
    });
    expect(result).toEqual({ ok: true, steps: 3 });
    expect(calls).toEqual([["hook", 1, BigInt(BASE + 4)]]);
  });
});
