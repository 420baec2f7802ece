import { describe, expect, it } from "vitest";
import { ZR_READ, ZR_WRITE, zeroRegisterUse } from "./mca-quirks.ts";

// Words from `llvm-mc-16 -triple=aarch64 -show-encoding`.
describe("zero-register operands (llvm-mca-16 treats XZR as a register)", () => {
  it.each([
    ["SUBS_imm", 0xf100053f, ZR_WRITE, "cmp x9, #1"],
    ["ORR_shift", 0xaa0103e0, ZR_READ, "mov x0, x1"],
    ["STR_imm_uoff", 0xf900007f, ZR_READ, "str xzr, [x3]"],
    ["CSINC", 0x1a9f17e4, ZR_READ, "cset w4, eq"],
    ["MOVZ", 0xd2800062, 0, "mov x2, #3"],
    ["ADD_imm", 0x910003fd, 0, "mov x29, sp (Rn 31 is SP)"],
    ["LDR_imm_uoff", 0xf94003e1, 0, "ldr x1, [sp] (base 31 is SP)"],
    ["ADDS_shift", 0xab02003f, ZR_WRITE, "cmn x1, x2"],
  ])("%s %s: %s (%s)", (name, word, use) => {
    expect(zeroRegisterUse(name, word)).toBe(use);
  });
});
