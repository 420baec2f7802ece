/**
 * Operand spelling of GNU objdump 2.40 (opcodes/aarch64-dis.c, aarch64-opc.c), the reference the
 * disassembly tests compare against byte for byte.
 */

/** X/W register name; `r31` says what register number 31 means for this operand. */
export function reg(n: number, sf: number, r31: "sp" | "zr"): string {
  if (n === 31) return r31 === "sp" ? (sf ? "sp" : "wsp") : sf ? "xzr" : "wzr";
  return `${sf ? "x" : "w"}${n}`;
}

export function hex(value: number | bigint): string {
  return `0x${value.toString(16)}`;
}

/** Condition names and the alternative names objdump adds as a comment (aarch64_conds). */
const CONDS: readonly (readonly string[])[] = [
  ["eq", "none"],
  ["ne", "any"],
  ["cs", "hs", "nlast"],
  ["cc", "lo", "ul", "last"],
  ["mi", "first"],
  ["pl", "nfrst"],
  ["vs"],
  ["vc"],
  ["hi", "pmore"],
  ["ls", "plast"],
  ["ge", "tcont"],
  ["lt", "tstop"],
  ["gt"],
  ["le"],
  ["al"],
  ["nv"],
];

export function condName(cond: number): string {
  return CONDS[cond]![0]!;
}

/** `\t// eq = none` for a condition operand with alternative names; empty otherwise. */
export function condComment(cond: number): string {
  const names = CONDS[cond]!;
  return names.length > 1 ? `\t// ${names[0]} = ${names.slice(1).join(", ")}` : "";
}

/** `  // b.none` after a B.cond target: objdump's branch-condition comment. */
export function branchCondComment(cond: number): string {
  const names = CONDS[cond]!;
  return names.length > 1
    ? `  // ${names
        .slice(1)
        .map((n) => `b.${n}`)
        .join(", ")}`
    : "";
}

/**
 * Mnemonic, tab, operands; before a `// #value` comment objdump pads the last operand to 23
 * columns (measured on binutils 2.40 output).
 */
export function insn(mnemonic: string, operands?: string, comment?: string): string {
  if (operands === undefined) return mnemonic;
  if (comment === undefined) return `${mnemonic}\t${operands}`;
  const cut = operands.lastIndexOf(", ") + 2;
  return `${mnemonic}\t${operands.slice(0, cut)}${operands.slice(cut).padEnd(23)}\t// ${comment}`;
}

export const SHIFT_NAMES = ["lsl", "lsr", "asr", "ror"] as const;
export const EXTEND_NAMES = ["uxtb", "uxth", "uxtw", "uxtx", "sxtb", "sxth", "sxtw", "sxtx"] as const;
