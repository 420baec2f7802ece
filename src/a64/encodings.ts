/**
 * The A64 decode table as data, one line per encoding, in the style of dynarmic's
 * `frontend/A64/decoder/a64.inc` and QEMU's `target/arm/tcg/a64.decode`.
 *
 * A pattern has 32 bit-symbols, bit 31 first; spaces sit at the Arm ARM field boundaries and
 * carry no meaning. `0`/`1` are fixed bits; a letter is a field (see FIELD_LETTERS), one
 * contiguous run per letter. Names follow the Arm ARM (DDI 0487) instruction pages: `_imm`,
 * `_shift`, `_ext`, `_reg`, `_lit`; loads/stores add the addressing form (`_uoff` unsigned offset,
 * `_pre`, `_post`, `_off` signed pair offset); unscaled forms keep their own Arm ARM names (LDUR...).
 *
 * Overlap is declared, never implied: entries with the same third element form a group in the
 * sense of decodetree's `{ }` — they may match the same word and the first listed wins. Entries
 * outside a group must be disjoint (checked by encodings.test.ts).
 *
 * Coverage: the base integer A64 instructions GCC 12 and Clang 16 emit for kernel C built with
 * -mgeneral-regs-only (no FP/SIMD, no atomics, no exclusives).
 */

/** Field letters and the Arm ARM field name each stands for. */
export const FIELD_LETTERS = {
  z: "sf",
  N: "N",
  d: "Rd",
  n: "Rn",
  m: "Rm",
  t: "Rt",
  u: "Rt2",
  a: "Ra",
  i: "imm",
  l: "immlo",
  h: "hw",
  H: "sh",
  r: "immr",
  s: "imms",
  k: "shift",
  c: "cond",
  f: "nzcv",
  o: "option",
  p: "imm3",
  b: "b5",
  e: "b40",
  x: "S",
  q: "opc0",
  y: "sysreg",
  w: "hint",
  v: "CRm",
  g: "targets",
} as const;

export type FieldLetter = keyof typeof FIELD_LETTERS;
export type FieldName = (typeof FIELD_LETTERS)[FieldLetter];

export const ENCODING_TABLE = [
  // C4.1.92 Data processing - immediate
  ["ADR", "0 ll 10000 iiiiiiiiiiiiiiiiiii ddddd"],
  ["ADRP", "1 ll 10000 iiiiiiiiiiiiiiiiiii ddddd"],
  ["ADD_imm", "z 0 0 100010 H iiiiiiiiiiii nnnnn ddddd"],
  ["ADDS_imm", "z 0 1 100010 H iiiiiiiiiiii nnnnn ddddd"],
  ["SUB_imm", "z 1 0 100010 H iiiiiiiiiiii nnnnn ddddd"],
  ["SUBS_imm", "z 1 1 100010 H iiiiiiiiiiii nnnnn ddddd"],
  ["AND_imm", "z 00 100100 N rrrrrr ssssss nnnnn ddddd"],
  ["ORR_imm", "z 01 100100 N rrrrrr ssssss nnnnn ddddd"],
  ["EOR_imm", "z 10 100100 N rrrrrr ssssss nnnnn ddddd"],
  ["ANDS_imm", "z 11 100100 N rrrrrr ssssss nnnnn ddddd"],
  ["MOVN", "z 00 100101 hh iiiiiiiiiiiiiiii ddddd"],
  ["MOVZ", "z 10 100101 hh iiiiiiiiiiiiiiii ddddd"],
  ["MOVK", "z 11 100101 hh iiiiiiiiiiiiiiii ddddd"],
  ["SBFM", "z 00 100110 N rrrrrr ssssss nnnnn ddddd"],
  ["BFM", "z 01 100110 N rrrrrr ssssss nnnnn ddddd"],
  ["UBFM", "z 10 100110 N rrrrrr ssssss nnnnn ddddd"],
  ["EXTR", "z 00 100111 N 0 mmmmm ssssss nnnnn ddddd"],

  // C4.1.95 Data processing - register
  ["AND_shift", "z 00 01010 kk 0 mmmmm iiiiii nnnnn ddddd"],
  ["BIC_shift", "z 00 01010 kk 1 mmmmm iiiiii nnnnn ddddd"],
  ["ORR_shift", "z 01 01010 kk 0 mmmmm iiiiii nnnnn ddddd"],
  ["ORN_shift", "z 01 01010 kk 1 mmmmm iiiiii nnnnn ddddd"],
  ["EOR_shift", "z 10 01010 kk 0 mmmmm iiiiii nnnnn ddddd"],
  ["EON_shift", "z 10 01010 kk 1 mmmmm iiiiii nnnnn ddddd"],
  ["ANDS_shift", "z 11 01010 kk 0 mmmmm iiiiii nnnnn ddddd"],
  ["BICS_shift", "z 11 01010 kk 1 mmmmm iiiiii nnnnn ddddd"],
  ["ADD_shift", "z 0 0 01011 kk 0 mmmmm iiiiii nnnnn ddddd"],
  ["ADDS_shift", "z 0 1 01011 kk 0 mmmmm iiiiii nnnnn ddddd"],
  ["SUB_shift", "z 1 0 01011 kk 0 mmmmm iiiiii nnnnn ddddd"],
  ["SUBS_shift", "z 1 1 01011 kk 0 mmmmm iiiiii nnnnn ddddd"],
  ["ADD_ext", "z 0 0 01011 00 1 mmmmm ooo ppp nnnnn ddddd"],
  ["ADDS_ext", "z 0 1 01011 00 1 mmmmm ooo ppp nnnnn ddddd"],
  ["SUB_ext", "z 1 0 01011 00 1 mmmmm ooo ppp nnnnn ddddd"],
  ["SUBS_ext", "z 1 1 01011 00 1 mmmmm ooo ppp nnnnn ddddd"],
  ["ADC", "z 0 0 11010000 mmmmm 000000 nnnnn ddddd"],
  ["ADCS", "z 0 1 11010000 mmmmm 000000 nnnnn ddddd"],
  ["SBC", "z 1 0 11010000 mmmmm 000000 nnnnn ddddd"],
  ["SBCS", "z 1 1 11010000 mmmmm 000000 nnnnn ddddd"],
  ["CCMN_reg", "z 0 1 11010010 mmmmm cccc 0 0 nnnnn 0 ffff"],
  ["CCMP_reg", "z 1 1 11010010 mmmmm cccc 0 0 nnnnn 0 ffff"],
  ["CCMN_imm", "z 0 1 11010010 iiiii cccc 1 0 nnnnn 0 ffff"],
  ["CCMP_imm", "z 1 1 11010010 iiiii cccc 1 0 nnnnn 0 ffff"],
  ["CSEL", "z 0 0 11010100 mmmmm cccc 0 0 nnnnn ddddd"],
  ["CSINC", "z 0 0 11010100 mmmmm cccc 0 1 nnnnn ddddd"],
  ["CSINV", "z 1 0 11010100 mmmmm cccc 0 0 nnnnn ddddd"],
  ["CSNEG", "z 1 0 11010100 mmmmm cccc 0 1 nnnnn ddddd"],
  ["UDIV", "z 0 0 11010110 mmmmm 000010 nnnnn ddddd"],
  ["SDIV", "z 0 0 11010110 mmmmm 000011 nnnnn ddddd"],
  ["LSLV", "z 0 0 11010110 mmmmm 001000 nnnnn ddddd"],
  ["LSRV", "z 0 0 11010110 mmmmm 001001 nnnnn ddddd"],
  ["ASRV", "z 0 0 11010110 mmmmm 001010 nnnnn ddddd"],
  ["RORV", "z 0 0 11010110 mmmmm 001011 nnnnn ddddd"],
  ["RBIT", "z 1 0 11010110 00000 000000 nnnnn ddddd"],
  ["REV16", "z 1 0 11010110 00000 000001 nnnnn ddddd"],
  // REV32 (sf=1, opc=10) shares its bits with REV's 32-bit form (sf=0, opc=10).
  ["REV32", "1 1 0 11010110 00000 000010 nnnnn ddddd", "rev"],
  ["REV", "z 1 0 11010110 00000 00001 q nnnnn ddddd", "rev"],
  ["CLZ", "z 1 0 11010110 00000 000100 nnnnn ddddd"],
  ["CLS", "z 1 0 11010110 00000 000101 nnnnn ddddd"],
  ["MADD", "z 00 11011 000 mmmmm 0 aaaaa nnnnn ddddd"],
  ["MSUB", "z 00 11011 000 mmmmm 1 aaaaa nnnnn ddddd"],
  ["SMADDL", "1 00 11011 001 mmmmm 0 aaaaa nnnnn ddddd"],
  ["SMSUBL", "1 00 11011 001 mmmmm 1 aaaaa nnnnn ddddd"],
  ["SMULH", "1 00 11011 010 mmmmm 0 aaaaa nnnnn ddddd"],
  ["UMADDL", "1 00 11011 101 mmmmm 0 aaaaa nnnnn ddddd"],
  ["UMSUBL", "1 00 11011 101 mmmmm 1 aaaaa nnnnn ddddd"],
  ["UMULH", "1 00 11011 110 mmmmm 0 aaaaa nnnnn ddddd"],

  // C4.1.94 Loads and stores
  ["STRB_imm_uoff", "00 111 0 01 00 iiiiiiiiiiii nnnnn ttttt"],
  ["LDRB_imm_uoff", "00 111 0 01 01 iiiiiiiiiiii nnnnn ttttt"],
  ["LDRSB_imm_uoff", "00 111 0 01 1q iiiiiiiiiiii nnnnn ttttt"],
  ["STRH_imm_uoff", "01 111 0 01 00 iiiiiiiiiiii nnnnn ttttt"],
  ["LDRH_imm_uoff", "01 111 0 01 01 iiiiiiiiiiii nnnnn ttttt"],
  ["LDRSH_imm_uoff", "01 111 0 01 1q iiiiiiiiiiii nnnnn ttttt"],
  ["STR_imm_uoff", "1z 111 0 01 00 iiiiiiiiiiii nnnnn ttttt"],
  ["LDR_imm_uoff", "1z 111 0 01 01 iiiiiiiiiiii nnnnn ttttt"],
  ["LDRSW_imm_uoff", "10 111 0 01 10 iiiiiiiiiiii nnnnn ttttt"],
  ["STRB_imm_pre", "00 111 0 00 00 0 iiiiiiiii 11 nnnnn ttttt"],
  ["LDRB_imm_pre", "00 111 0 00 01 0 iiiiiiiii 11 nnnnn ttttt"],
  ["LDRSB_imm_pre", "00 111 0 00 1q 0 iiiiiiiii 11 nnnnn ttttt"],
  ["STRH_imm_pre", "01 111 0 00 00 0 iiiiiiiii 11 nnnnn ttttt"],
  ["LDRH_imm_pre", "01 111 0 00 01 0 iiiiiiiii 11 nnnnn ttttt"],
  ["LDRSH_imm_pre", "01 111 0 00 1q 0 iiiiiiiii 11 nnnnn ttttt"],
  ["STR_imm_pre", "1z 111 0 00 00 0 iiiiiiiii 11 nnnnn ttttt"],
  ["LDR_imm_pre", "1z 111 0 00 01 0 iiiiiiiii 11 nnnnn ttttt"],
  ["LDRSW_imm_pre", "10 111 0 00 10 0 iiiiiiiii 11 nnnnn ttttt"],
  ["STRB_imm_post", "00 111 0 00 00 0 iiiiiiiii 01 nnnnn ttttt"],
  ["LDRB_imm_post", "00 111 0 00 01 0 iiiiiiiii 01 nnnnn ttttt"],
  ["LDRSB_imm_post", "00 111 0 00 1q 0 iiiiiiiii 01 nnnnn ttttt"],
  ["STRH_imm_post", "01 111 0 00 00 0 iiiiiiiii 01 nnnnn ttttt"],
  ["LDRH_imm_post", "01 111 0 00 01 0 iiiiiiiii 01 nnnnn ttttt"],
  ["LDRSH_imm_post", "01 111 0 00 1q 0 iiiiiiiii 01 nnnnn ttttt"],
  ["STR_imm_post", "1z 111 0 00 00 0 iiiiiiiii 01 nnnnn ttttt"],
  ["LDR_imm_post", "1z 111 0 00 01 0 iiiiiiiii 01 nnnnn ttttt"],
  ["LDRSW_imm_post", "10 111 0 00 10 0 iiiiiiiii 01 nnnnn ttttt"],
  ["STURB", "00 111 0 00 00 0 iiiiiiiii 00 nnnnn ttttt"],
  ["LDURB", "00 111 0 00 01 0 iiiiiiiii 00 nnnnn ttttt"],
  ["LDURSB", "00 111 0 00 1q 0 iiiiiiiii 00 nnnnn ttttt"],
  ["STURH", "01 111 0 00 00 0 iiiiiiiii 00 nnnnn ttttt"],
  ["LDURH", "01 111 0 00 01 0 iiiiiiiii 00 nnnnn ttttt"],
  ["LDURSH", "01 111 0 00 1q 0 iiiiiiiii 00 nnnnn ttttt"],
  ["STUR", "1z 111 0 00 00 0 iiiiiiiii 00 nnnnn ttttt"],
  ["LDUR", "1z 111 0 00 01 0 iiiiiiiii 00 nnnnn ttttt"],
  ["LDURSW", "10 111 0 00 10 0 iiiiiiiii 00 nnnnn ttttt"],
  ["STRB_reg", "00 111 0 00 00 1 mmmmm ooo x 10 nnnnn ttttt"],
  ["LDRB_reg", "00 111 0 00 01 1 mmmmm ooo x 10 nnnnn ttttt"],
  ["LDRSB_reg", "00 111 0 00 1q 1 mmmmm ooo x 10 nnnnn ttttt"],
  ["STRH_reg", "01 111 0 00 00 1 mmmmm ooo x 10 nnnnn ttttt"],
  ["LDRH_reg", "01 111 0 00 01 1 mmmmm ooo x 10 nnnnn ttttt"],
  ["LDRSH_reg", "01 111 0 00 1q 1 mmmmm ooo x 10 nnnnn ttttt"],
  ["STR_reg", "1z 111 0 00 00 1 mmmmm ooo x 10 nnnnn ttttt"],
  ["LDR_reg", "1z 111 0 00 01 1 mmmmm ooo x 10 nnnnn ttttt"],
  ["LDRSW_reg", "10 111 0 00 10 1 mmmmm ooo x 10 nnnnn ttttt"],
  ["STP_post", "z0 101 0 001 0 iiiiiii uuuuu nnnnn ttttt"],
  ["STP_pre", "z0 101 0 011 0 iiiiiii uuuuu nnnnn ttttt"],
  ["STP_off", "z0 101 0 010 0 iiiiiii uuuuu nnnnn ttttt"],
  ["LDP_post", "z0 101 0 001 1 iiiiiii uuuuu nnnnn ttttt"],
  ["LDP_pre", "z0 101 0 011 1 iiiiiii uuuuu nnnnn ttttt"],
  ["LDP_off", "z0 101 0 010 1 iiiiiii uuuuu nnnnn ttttt"],
  ["LDPSW_post", "01 101 0 001 1 iiiiiii uuuuu nnnnn ttttt"],
  ["LDPSW_pre", "01 101 0 011 1 iiiiiii uuuuu nnnnn ttttt"],
  ["LDPSW_off", "01 101 0 010 1 iiiiiii uuuuu nnnnn ttttt"],
  ["LDR_lit", "0z 011 0 00 iiiiiiiiiiiiiiiiiii ttttt"],
  ["LDRSW_lit", "10 011 0 00 iiiiiiiiiiiiiiiiiii ttttt"],
  ["LDARB", "00 001000 1 1 0 11111 1 11111 nnnnn ttttt"],
  ["LDARH", "01 001000 1 1 0 11111 1 11111 nnnnn ttttt"],
  ["LDAR", "1z 001000 1 1 0 11111 1 11111 nnnnn ttttt"],
  ["STLRB", "00 001000 1 0 0 11111 1 11111 nnnnn ttttt"],
  ["STLRH", "01 001000 1 0 0 11111 1 11111 nnnnn ttttt"],
  ["STLR", "1z 001000 1 0 0 11111 1 11111 nnnnn ttttt"],

  // C4.1.93 Branches, exception generating and system instructions
  ["B", "0 00101 iiiiiiiiiiiiiiiiiiiiiiiiii"],
  ["BL", "1 00101 iiiiiiiiiiiiiiiiiiiiiiiiii"],
  ["B_cond", "0101010 0 iiiiiiiiiiiiiiiiiii 0 cccc"],
  ["CBZ", "z 011010 0 iiiiiiiiiiiiiiiiiii ttttt"],
  ["CBNZ", "z 011010 1 iiiiiiiiiiiiiiiiiii ttttt"],
  ["TBZ", "b 011011 0 eeeee iiiiiiiiiiiiii ttttt"],
  ["TBNZ", "b 011011 1 eeeee iiiiiiiiiiiiii ttttt"],
  ["BR", "1101011 0000 11111 000000 nnnnn 00000"],
  ["BLR", "1101011 0001 11111 000000 nnnnn 00000"],
  ["RET", "1101011 0010 11111 000000 nnnnn 00000"],
  ["BRK", "11010100 001 iiiiiiiiiiiiiiii 000 00"],
  ["UDF", "0000000000000000 iiiiiiiiiiiiiiii"],
  // The hint space: named hints first, HINT takes every other CRm:op2 (all execute as NOP here).
  ["NOP", "1101010100 0 00 011 0010 0000 000 11111", "hint"],
  ["PACIASP", "1101010100 0 00 011 0010 0011 001 11111", "hint"],
  ["AUTIASP", "1101010100 0 00 011 0010 0011 101 11111", "hint"],
  ["BTI", "1101010100 0 00 011 0010 0100 gg0 11111", "hint"],
  ["HINT", "1101010100 0 00 011 0010 wwww www 11111", "hint"],
  ["DSB", "1101010100 0 00 011 0011 vvvv 1 00 11111"],
  ["DMB", "1101010100 0 00 011 0011 vvvv 1 01 11111"],
  ["ISB", "1101010100 0 00 011 0011 vvvv 1 10 11111"],
  ["MRS", "1101010100 1 1 yyyyyyyyyyyyyyy ttttt"],
] as const satisfies readonly (readonly [string, string] | readonly [string, string, string])[];

export type EncodingName = (typeof ENCODING_TABLE)[number][0];

export interface FieldSpec {
  readonly name: FieldName;
  readonly lo: number;
  readonly width: number;
}

export interface Encoding {
  readonly name: EncodingName;
  readonly pattern: string;
  readonly mask: number;
  readonly value: number;
  readonly fields: readonly FieldSpec[];
  /** Overlap group (decodetree `{ }`); undefined for entries that must match alone. */
  readonly group: string | undefined;
}

export interface TableError {
  readonly code: "bad_width" | "undeclared_letter" | "split_field" | "duplicate_name";
  readonly path: string;
  readonly message: string;
}

export class EncodingTableError extends Error {
  constructor(readonly issue: TableError) {
    super(`${issue.code} at ${issue.path}: ${issue.message}`);
  }
}

function isFieldLetter(ch: string): ch is FieldLetter {
  return Object.hasOwn(FIELD_LETTERS, ch);
}

/** Parses one table line into mask/value/fields; a bad width, undeclared letter or split field is an error value. */
export function parsePattern(
  name: string,
  pattern: string,
): { mask: number; value: number; fields: FieldSpec[] } | TableError {
  const bits = pattern.replaceAll(" ", "");
  const path = `encodings/${name}`;
  if (bits.length !== 32) {
    return {
      code: "bad_width",
      path,
      message: `pattern "${pattern}" has ${bits.length} bit-symbols, not 32`,
    };
  }
  let mask = 0;
  let value = 0;
  const runs = new Map<FieldLetter, { hi: number; lo: number }>();
  for (let i = 0; i < 32; i++) {
    const ch = bits[i]!;
    const bit = 31 - i;
    if (ch === "0" || ch === "1") {
      mask |= 1 << bit;
      if (ch === "1") value |= 1 << bit;
      continue;
    }
    if (!isFieldLetter(ch)) {
      return {
        code: "undeclared_letter",
        path,
        message: `letter "${ch}" at bit ${bit} is not a declared field`,
      };
    }
    const run = runs.get(ch);
    if (run === undefined) runs.set(ch, { hi: bit, lo: bit });
    else if (run.lo === bit + 1) run.lo = bit;
    else return { code: "split_field", path, message: `field "${ch}" is not one contiguous run` };
  }
  const fields = [...runs].map(([letter, run]) => ({
    name: FIELD_LETTERS[letter],
    lo: run.lo,
    width: run.hi - run.lo + 1,
  }));
  return { mask: mask >>> 0, value: value >>> 0, fields };
}

/** Parses a whole table; throws EncodingTableError (a load-time failure of the module) on the first issue. */
export function parseTable(
  table: readonly (readonly [string, string] | readonly [string, string, string])[],
): Encoding[] {
  const seen = new Set<string>();
  return table.map((entry) => {
    const [name, pattern] = entry;
    if (seen.has(name)) {
      throw new EncodingTableError({
        code: "duplicate_name",
        path: `encodings/${name}`,
        message: "listed twice",
      });
    }
    seen.add(name);
    const parsed = parsePattern(name, pattern);
    if ("code" in parsed) throw new EncodingTableError(parsed);
    return { name: name as EncodingName, pattern, group: entry[2], ...parsed };
  });
}

export const ENCODINGS: readonly Encoding[] = parseTable(ENCODING_TABLE);

export const ENCODING_NAMES: readonly EncodingName[] = ENCODING_TABLE.map((e) => e[0]);
