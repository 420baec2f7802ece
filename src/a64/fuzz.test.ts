/**
 * Decoder and executor fuzzing in the spirit of dynarmic's tests/A64/fuzz_with_unicorn.cpp: a
 * million random words through decode and, where they decode, one execution in a sandbox. The
 * only acceptable outcomes are a decoded instruction, a typed Undecodable, a MemoryFault or a
 * trap (BRK/UDF); anything else thrown is a bug.
 */
import { describe, expect, it } from "vitest";
import { decode, disassemble } from "./decode.ts";
import { TrapException } from "./insn/branch.ts";
import { Machine } from "./machine.ts";
import { Memory, MemoryFault } from "./memory.ts";
import { xorshift32 } from "./random.ts";

const WORDS = 1_000_000;
const SANDBOX = 0x10_0000;

function sandbox(): Machine {
  const mem = new Memory();
  mem.map("sandbox", SANDBOX, 0x2_0000, "rw");
  mem.map("text", 0x1000, 0x1000, "rx");
  return new Machine(mem);
}

describe("fuzzing", () => {
  it(`decodes and executes ${WORDS.toLocaleString("en")} random words without an uncaught exception`, () => {
    const next = xorshift32(0xf00d);
    const m = sandbox();
    const counts = { decoded: 0, unallocated: 0, unsupported: 0, faults: 0, traps: 0 };
    const failures: string[] = [];
    for (let i = 0; i < WORDS; i++) {
      const word = next();
      const pc = 0x1000 + ((i & 0x3ff) << 2);
      const d = decode(word, pc);
      if (!d.ok) {
        counts[d.kind]++;
        if (d.word !== word || d.pc !== pc)
          failures.push(`${word.toString(16)}: undecodable names ${d.word} at ${d.pc}`);
        continue;
      }
      counts.decoded++;
      // The registers it reads point near the sandbox, so most memory forms hit mapped memory.
      for (const r of d.reads) if (r < 32) m.x[r] = BigInt(SANDBOX + 0x1_0000 + ((next() & 0xfff) << 3));
      m.nzcv = next() & 15;
      try {
        const nextPc = d.exec(m);
        if (!Number.isInteger(nextPc)) failures.push(`${word.toString(16)}: next pc ${nextPc}`);
        for (const v of m.x)
          if (v < 0n || v >= 1n << 64n) failures.push(`${word.toString(16)}: register ${v}`);
      } catch (thrown) {
        if (thrown instanceof MemoryFault) counts.faults++;
        else if (thrown instanceof TrapException) counts.traps++;
        else
          failures.push(`${word.toString(16).padStart(8, "0")} ${disassemble(word, pc)}: ${String(thrown)}`);
      }
    }
    expect(failures.slice(0, 10)).toEqual([]);
    // A uniform word decodes as base A64 integer code about a quarter of the time; the rest is
    // FP/SIMD, SVE, system and unallocated space the model does not cover.
    expect(counts.decoded).toBeGreaterThan(WORDS / 10);
    expect(counts.unallocated + counts.unsupported).toBeGreaterThan(WORDS / 10);
  });

  it("disassembles every random word to some text without throwing", () => {
    const next = xorshift32(0xbeef);
    let empty = 0;
    for (let i = 0; i < 200_000; i++) if (disassemble(next(), i * 4).length === 0) empty++;
    expect(empty).toBe(0);
  });
});
