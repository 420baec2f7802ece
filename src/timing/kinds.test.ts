import { describe, expect, it } from "vitest";
import { match } from "../a64/decode.ts";
import { ENCODING_NAMES } from "../a64/encodings.ts";
import { cores } from "./cores/index.ts";
import { KIND_OF_ENCODING, kindOf, OP_KINDS } from "./kinds.ts";

describe("kind of an encoding", () => {
  it("every encoding of the decode table has a rule, and every rule names a decode-table encoding", () => {
    expect(Object.keys(KIND_OF_ENCODING).sort()).toEqual([...ENCODING_NAMES].sort());
  });

  // Words from `llvm-mc-16 -triple=aarch64 -show-encoding`.
  it.each([
    ["ADD_shift", 0x8b020020, "alu", "add x0, x1, x2"],
    ["ADD_shift", 0x8b020820, "arith_shift_cheap", "add x0, x1, x2, lsl #2"],
    ["ADD_shift", 0x8b021420, "arith_shift", "add x0, x1, x2, lsl #5"],
    ["ADD_shift", 0x8b420820, "arith_shift", "add x0, x1, x2, lsr #2"],
    ["ADDS_shift", 0xab020820, "arith_flags_shift_cheap", "adds x0, x1, x2, lsl #2"],
    ["SUBS_shift", 0xeb020020, "alu_flags", "subs x0, x1, x2"],
    ["ORR_shift", 0xaa020c20, "logic_shift", "orr x0, x1, x2, lsl #3"],
    ["ORR_shift", 0xaa0103e0, "alu", "mov x0, x1"],
    ["ANDS_shift", 0xea020420, "logic_flags_shift", "ands x0, x1, x2, lsl #1"],
    ["EXTR", 0x93c10c20, "ror_imm", "ror x0, x1, #3"],
    ["EXTR", 0x93c20c20, "extract", "extr x0, x1, x2, #3"],
    ["MADD", 0x1b020c20, "mul32", "madd w0, w1, w2, w3"],
    ["MADD", 0x9b020c20, "mul64", "madd x0, x1, x2, x3"],
    ["UDIV", 0x1ac20820, "div32", "udiv w0, w1, w2"],
    ["UDIV", 0x9ac20820, "div64", "udiv x0, x1, x2"],
    ["STP_off", 0x290007e0, "store_pair_w", "stp w0, w1, [sp]"],
    ["STP_off", 0xa90007e0, "store_pair", "stp x0, x1, [sp]"],
    ["STP_pre", 0xa9be7bfd, "store_pair_wb", "stp x29, x30, [sp, #-32]!"],
    ["STP_pre", 0x29bf07e0, "store_pair_w_wb", "stp w0, w1, [sp, #-8]!"],
  ])("%s %s is %s (%s)", (name, word, kind) => {
    expect(match(word)?.encoding.name).toBe(name);
    expect(kindOf(name, word)).toBe(kind);
  });

  it("an unknown encoding has no kind", () => {
    expect(kindOf("FMADD", 0)).toBeUndefined();
  });
});

describe("core descriptions", () => {
  for (const core of Object.values(cores)) {
    it(`${core.name}: every kind has a class on known pipes, and assumptions are parameters`, () => {
      const names = new Set([...core.units, ...Object.keys(core.groups)]);
      for (const kind of OP_KINDS) {
        const cls = core.classes[kind];
        expect(cls.uops, kind).toBeGreaterThanOrEqual(1);
        expect(cls.latency, kind).toBeGreaterThanOrEqual(1);
        for (const use of cls.pipes) expect(names.has(use.group), `${kind} uses ${use.group}`).toBe(true);
      }
      for (const members of Object.values(core.groups))
        for (const m of members) expect(names.has(m)).toBe(true);
      for (const name of core.assumptions) expect(core.params[name]).toBeTypeOf("number");
      expect(core.units.length).toBeLessThanOrEqual(32);
    });
  }
});
