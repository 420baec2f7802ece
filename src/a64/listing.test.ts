/**
 * Disassembly of every instruction of every committed fixture listing (`objdump -d`, golden/fixtures)
 * equals the listing's text, branch targets symbolised from the ELF's function symbols.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { isRunError, loadProgram } from "../harness/run.ts";
import { listFixtures, parseListing } from "../kernel/fixtures.ts";
import { disassemble } from "./decode.ts";

describe("disassembly of the committed fixture listings", () => {
  const fixtures = listFixtures();
  it("has fixtures to check", () => {
    expect(fixtures.length).toBeGreaterThan(0);
  });
  for (const f of fixtures) {
    it(`${f.id}: every listed instruction`, () => {
      const program = loadProgram(f.id);
      if (isRunError(program)) throw new Error(`${program.code}: ${program.message}`);
      const functions = parseListing(readFileSync(f.listingPath, "utf8"));
      const mismatches: string[] = [];
      let count = 0;
      for (const fn of functions) {
        for (const insn of fn.insns) {
          count++;
          const mine = disassemble(insn.word, insn.address, program.symbolizer);
          if (mine !== insn.text) mismatches.push(`${insn.address.toString(16)}: ${mine} | ${insn.text}`);
        }
      }
      expect(mismatches).toEqual([]);
      expect(count).toBeGreaterThan(10);
    });
  }
});
