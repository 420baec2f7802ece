import { describe, expect, it } from "vitest";
import { ENCODINGS, EncodingTableError, parsePattern, parseTable } from "./encodings.ts";

/** Two patterns can match one word iff their fixed bits agree wherever both are fixed. */
function canOverlap(a: { mask: number; value: number }, b: { mask: number; value: number }): boolean {
  return ((a.value ^ b.value) & a.mask & b.mask) === 0;
}

describe("encoding table", () => {
  it("has no two entries outside a shared group that match the same word", () => {
    const clashes: string[] = [];
    for (let i = 0; i < ENCODINGS.length; i++) {
      for (let j = i + 1; j < ENCODINGS.length; j++) {
        const a = ENCODINGS[i]!;
        const b = ENCODINGS[j]!;
        if (a.group !== undefined && a.group === b.group) continue;
        if (canOverlap(a, b)) clashes.push(`${a.name} / ${b.name}`);
      }
    }
    expect(clashes).toEqual([]);
  });

  it("declares every group as a real overlap (a group member overlaps another member)", () => {
    for (const enc of ENCODINGS) {
      if (enc.group === undefined) continue;
      const others = ENCODINGS.filter((o) => o.group === enc.group && o !== enc);
      expect(
        others.some((o) => canOverlap(enc, o)),
        enc.name,
      ).toBe(true);
    }
  });

  it("covers every field bit exactly once per pattern", () => {
    for (const enc of ENCODINGS) {
      let covered = enc.mask;
      for (const f of enc.fields) {
        const bits = (((1 << f.width) - 1) << f.lo) >>> 0;
        expect(covered & bits, `${enc.name}.${f.name}`).toBe(0);
        covered = (covered | bits) >>> 0;
      }
      expect(covered >>> 0, enc.name).toBe(0xffffffff);
    }
  });

  it("parses ADD_imm into the Arm ARM mask, value and fields", () => {
    const add = ENCODINGS.find((e) => e.name === "ADD_imm")!;
    expect(add.mask >>> 0).toBe(0x7f800000);
    expect(add.value >>> 0).toBe(0x11000000);
    expect(add.fields.map((f) => [f.name, f.lo, f.width])).toEqual([
      ["sf", 31, 1],
      ["sh", 22, 1],
      ["imm", 10, 12],
      ["Rn", 5, 5],
      ["Rd", 0, 5],
    ]);
  });

  it("rejects a bad width, an undeclared letter and a split field with coded errors", () => {
    expect(parsePattern("X", "0101")).toMatchObject({ code: "bad_width", path: "encodings/X" });
    expect(parsePattern("X", "Q".repeat(32))).toMatchObject({ code: "undeclared_letter" });
    expect(parsePattern("X", `d${"0".repeat(30)}d`)).toMatchObject({ code: "split_field" });
    expect(() => parseTable([["A", "0".repeat(31)]])).toThrow(EncodingTableError);
    expect(() =>
      parseTable([
        ["A", "0".repeat(32)],
        ["A", "1".repeat(32)],
      ]),
    ).toThrow(/duplicate_name/);
  });
});
