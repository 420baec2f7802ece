import { describe, expect, it } from "vitest";
import { decode, disassemble, match } from "./decode.ts";
import { ENCODINGS } from "./encodings.ts";
import { OBJDUMP, objdumpAvailable, objdumpWords } from "./objdump.ts";
import { randomEncodings } from "./random.ts";

const haveObjdump = objdumpAvailable();
if (!haveObjdump)
  console.warn(`skipped: ${OBJDUMP} not found on PATH; disassembly is not compared with objdump`);

describe("disassembly", () => {
  it.skipIf(!haveObjdump)(
    "equals objdump for 100,000 random encodings generated from the table fields",
    () => {
      const words = randomEncodings(100_000, 0x5eed);
      const reference = objdumpWords(words);
      const mismatches: string[] = [];
      let compared = 0;
      words.forEach((word, i) => {
        const mine = disassemble(word, i * 4);
        // MRS of a register the harness does not define: objdump names it, the model rejects it.
        if (mine.endsWith("; unsupported")) return;
        compared++;
        if (mine !== reference[i]) {
          mismatches.push(
            `${word.toString(16).padStart(8, "0")} ${match(word)?.encoding.name}: ${mine} | ${reference[i]}`,
          );
        }
      });
      expect(mismatches.slice(0, 20)).toEqual([]);
      expect(compared).toBeGreaterThan(99_000);
    },
  );

  it("prints the aliases objdump prefers for common kernel code", () => {
    const cases: [number, string][] = [
      [0xd2800020, "mov\tx0, #0x1                   \t// #1"],
      [0xf1000c1f, "cmp\tx0, #0x3"],
      [0xa9bf7bfd, "stp\tx29, x30, [sp, #-16]!"],
      [0xd65f03c0, "ret"],
      [0xd503233f, "paciasp"],
      [0x1a9f07e0, "cset\tw0, ne\t// ne = any"],
      [0xd5384100, "mrs\tx0, sp_el0"],
      [0xd3431820, "ubfx\tx0, x1, #3, #4"],
    ];
    for (const [word, text] of cases) expect(disassemble(word, 0)).toBe(text);
  });

  it("names word and address of an undecodable word instead of throwing", () => {
    const result = decode(0xff000000, 0x400100);
    expect(result).toMatchObject({ ok: false, kind: "unallocated", word: 0xff000000, pc: 0x400100 });
    expect(disassemble(0xff000000, 0)).toBe(".inst\t0xff000000 ; undefined");
    expect(decode(0xd53b4200, 0)).toMatchObject({ ok: false, kind: "unsupported", name: "MRS" });
  });

  it("decodes every table entry's own fixed pattern to that entry or its group", () => {
    for (const enc of ENCODINGS) {
      const found = match(enc.value);
      expect(found?.encoding.group === undefined ? found?.encoding.name : found.encoding.group).toBe(
        enc.group ?? enc.name,
      );
    }
  });
});
