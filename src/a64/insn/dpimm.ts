/**
 * Data processing - immediate (Arm ARM C4.1.92): PC-relative addressing, add/subtract, logical,
 * move wide, bitfield and extract.
 */
import { addWithCarry, bfxPreferred, decodeBitMasks, logicalFlags, signExtend, trunc } from "../bits.ts";
import { ids, NZCV, readZr, zrId } from "./alu.ts";
import { hex, insn, reg } from "./format.ts";
import type { Fields, Rejection, Semantics } from "./types.ts";

const unallocated = (reason: string): Rejection => ({ kind: "unallocated", reason });

function adr(page: boolean): Semantics {
  const target = (f: Fields, pc: number): bigint => {
    const imm = signExtend((f.imm << 2) | f.immlo, 21);
    return page
      ? BigInt.asUintN(64, BigInt(pc - (pc % 4096)) + (BigInt(imm) << 12n))
      : BigInt.asUintN(64, BigInt(pc) + BigInt(imm));
  };
  return {
    build: (f, pc) => {
      const value = target(f, pc);
      const d = f.Rd;
      return {
        exec: (m) => {
          if (d !== 31) m.x[d] = value;
          return pc + 4;
        },
        reads: [],
        writes: ids(zrId(d)),
        branch: "none",
      };
    },
    text: (f, pc, sym) => insn(page ? "adrp" : "adr", `${reg(f.Rd, 1, "zr")}, ${sym(target(f, pc))}`),
  };
}

function addSubImm(sub: boolean, setFlags: boolean): Semantics {
  const name = `${sub ? "sub" : "add"}${setFlags ? "s" : ""}`;
  return {
    build: (f, pc) => {
      const { sf, Rn: n, Rd: d } = f;
      const imm = BigInt(f.sh ? f.imm << 12 : f.imm);
      if (!setFlags) {
        const exec = sub
          ? sf
            ? (m: { x: bigint[] }) => {
                m.x[d] = BigInt.asUintN(64, m.x[n]! - imm);
                return pc + 4;
              }
            : (m: { x: bigint[] }) => {
                m.x[d] = BigInt.asUintN(32, m.x[n]! - imm);
                return pc + 4;
              }
          : sf
            ? (m: { x: bigint[] }) => {
                m.x[d] = BigInt.asUintN(64, m.x[n]! + imm);
                return pc + 4;
              }
            : (m: { x: bigint[] }) => {
                m.x[d] = BigInt.asUintN(32, m.x[n]! + imm);
                return pc + 4;
              };
        return { exec, reads: [n], writes: [d], branch: "none" };
      }
      const operand2 = sub ? trunc(~imm, sf) : imm;
      const carry = sub ? 1 : 0;
      return {
        exec: (m) => {
          const result = addWithCarry(m, trunc(m.x[n]!, sf), operand2, carry, sf, true);
          if (d !== 31) m.x[d] = result;
          return pc + 4;
        },
        reads: [n],
        writes: ids(zrId(d), NZCV),
        branch: "none",
      };
    },
    text: (f) => {
      const { sf, Rn: n, Rd: d } = f;
      const imm = `#${hex(f.imm)}${f.sh ? ", lsl #12" : ""}`;
      if (!sub && !setFlags && f.imm === 0 && f.sh === 0 && (d === 31 || n === 31)) {
        return insn("mov", `${reg(d, sf, "sp")}, ${reg(n, sf, "sp")}`);
      }
      if (setFlags && d === 31) return insn(sub ? "cmp" : "cmn", `${reg(n, sf, "sp")}, ${imm}`);
      return insn(name, `${reg(d, sf, setFlags ? "zr" : "sp")}, ${reg(n, sf, "sp")}, ${imm}`);
    },
  };
}

/**
 * Whether MOVZ or MOVN can build the value (at most one halfword differs from all-zeros or
 * all-ones). objdump shows ORR (immediate) as MOV only when this is false (binutils
 * aarch64_wide_constant_p), which differs from the Arm ARM's MoveWidePreferred on rotated masks.
 */
function wideConstant(value: bigint, sf: number): boolean {
  const halves = sf ? 4 : 2;
  const count = (v: bigint): number => {
    let nonZero = 0;
    for (let i = 0; i < halves; i++) if ((v >> BigInt(16 * i)) & 0xffffn) nonZero++;
    return nonZero;
  };
  return count(value) <= 1 || count(trunc(~value, sf)) <= 1;
}

type LogicalOp = "and" | "orr" | "eor" | "ands";

function logicalImm(op: LogicalOp): Semantics {
  const mask = (f: Fields): bigint | undefined =>
    decodeBitMasks(f.N, f.imms, f.immr, true, f.sf ? 64 : 32)?.wmask;
  return {
    check: (f) => {
      if (f.sf === 0 && f.N === 1) return unallocated("N=1 with a 32-bit datasize");
      return mask(f) === undefined ? unallocated("reserved bitmask immediate") : undefined;
    },
    build: (f, pc) => {
      const { sf, Rn: n, Rd: d } = f;
      const imm = mask(f)!;
      const setFlags = op === "ands";
      const combine =
        op === "orr"
          ? (a: bigint) => a | imm
          : op === "eor"
            ? (a: bigint) => a ^ imm
            : (a: bigint) => a & imm;
      return {
        exec: (m) => {
          const result = trunc(combine(readZr(m.x, n)), sf);
          if (setFlags) {
            m.nzcv = logicalFlags(result, sf);
            if (d !== 31) m.x[d] = result;
          } else {
            m.x[d] = result;
          }
          return pc + 4;
        },
        reads: ids(zrId(n)),
        writes: setFlags ? ids(zrId(d), NZCV) : [d],
        branch: "none",
      };
    },
    text: (f) => {
      const { sf, Rn: n, Rd: d } = f;
      const imm = mask(f)!;
      if (op === "orr" && n === 31 && !wideConstant(imm, sf)) {
        return insn(
          "mov",
          `${reg(d, sf, "sp")}, #${hex(imm)}`,
          `#${sf ? BigInt.asIntN(64, imm) : BigInt.asIntN(32, imm)}`,
        );
      }
      if (op === "ands" && d === 31) return insn("tst", `${reg(n, sf, "zr")}, #${hex(imm)}`);
      return insn(op, `${reg(d, sf, op === "ands" ? "zr" : "sp")}, ${reg(n, sf, "zr")}, #${hex(imm)}`);
    },
  };
}

type MoveOp = "movn" | "movz" | "movk";

function moveWide(op: MoveOp): Semantics {
  return {
    check: (f) => (f.sf === 0 && f.hw >= 2 ? unallocated("hw<1>=1 with a 32-bit datasize") : undefined),
    build: (f, pc) => {
      const { sf, Rd: d } = f;
      const shift = BigInt(f.hw * 16);
      const imm = BigInt(f.imm) << shift;
      const writes = ids(zrId(d));
      if (op === "movk") {
        const keep = ~(0xffffn << shift);
        return {
          exec: (m) => {
            if (d !== 31) m.x[d] = trunc((m.x[d]! & keep) | imm, sf);
            return pc + 4;
          },
          reads: ids(zrId(d)),
          writes,
          branch: "none",
        };
      }
      const value = op === "movn" ? trunc(~imm, sf) : imm;
      return {
        exec: (m) => {
          if (d !== 31) m.x[d] = value;
          return pc + 4;
        },
        reads: [],
        writes,
        branch: "none",
      };
    },
    text: (f) => {
      const { sf, Rd: d, hw, imm } = f;
      const rd = reg(d, sf, "zr");
      const lsl = hw ? `, lsl #${hw * 16}` : "";
      if (op === "movk") return insn("movk", `${rd}, #${hex(imm)}${lsl}`);
      const alias = !(imm === 0 && hw !== 0) && !(op === "movn" && sf === 0 && imm === 0xffff);
      if (!alias) return insn(op, `${rd}, #${hex(imm)}${lsl}`);
      const shifted = BigInt(imm) << BigInt(hw * 16);
      const value = op === "movn" ? trunc(~shifted, sf) : shifted;
      const signed = sf ? BigInt.asIntN(64, value) : BigInt.asIntN(32, value);
      return insn("mov", `${rd}, #${hex(value)}`, `#${signed}`);
    },
  };
}

type BitfieldOp = "sbfm" | "bfm" | "ubfm";

function bitfieldCheck(f: Fields): Rejection | undefined {
  if (f.sf !== f.N) return unallocated("N differs from sf");
  if (f.sf === 0 && (f.immr >= 32 || f.imms >= 32))
    return unallocated("immr or imms >= 32 with a 32-bit datasize");
  return undefined;
}

function bitfield(op: BitfieldOp): Semantics {
  return {
    check: bitfieldCheck,
    build: (f, pc) => {
      const { sf, Rn: n, Rd: d, immr, imms } = f;
      const width = sf ? 64 : 32;
      const { wmask, tmask } = decodeBitMasks(f.N, imms, immr, false, width)!;
      const r = BigInt(immr);
      const w = BigInt(width);
      const rotate = (v: bigint): bigint => (r === 0n ? v : trunc((v >> r) | (v << (w - r)), sf));
      const signBit = BigInt(imms);
      const all = trunc(-1n, sf);
      let compute: (src: bigint, dst: bigint) => bigint;
      if (op === "ubfm") compute = (src) => rotate(src) & wmask & tmask;
      else if (op === "sbfm") {
        compute = (src) => {
          const bot = rotate(src) & wmask;
          const top = (src >> signBit) & 1n ? all : 0n;
          return (top & ~tmask & all) | (bot & tmask);
        };
      } else {
        compute = (src, dst) => {
          const bot = (dst & ~wmask) | (rotate(src) & wmask);
          return ((dst & ~tmask) | (bot & tmask)) & all;
        };
      }
      return {
        exec: (m) => {
          const src = trunc(readZr(m.x, n), sf);
          if (d !== 31) m.x[d] = compute(src, op === "bfm" ? trunc(m.x[d]!, sf) : 0n);
          return pc + 4;
        },
        reads: op === "bfm" ? ids(zrId(n), zrId(d)) : ids(zrId(n)),
        writes: ids(zrId(d)),
        branch: "none",
      };
    },
    text: (f) => bitfieldText(op, f),
  };
}

/** The alias objdump prefers for SBFM/BFM/UBFM (Arm ARM alias conditions, in their listed order). */
function bitfieldText(op: BitfieldOp, f: Fields): string {
  const { sf, Rn: n, Rd: d, immr, imms } = f;
  const rd = reg(d, sf, "zr");
  const rn = reg(n, sf, "zr");
  const width = sf ? 64 : 32;
  const ones = width - 1;
  const lsb = (width - immr) & ones;
  if (op === "sbfm") {
    if (imms === ones) return insn("asr", `${rd}, ${rn}, #${immr}`);
    if (imms < immr) return insn("sbfiz", `${rd}, ${rn}, #${lsb}, #${imms + 1}`);
    if (bfxPreferred(sf, 0, imms, immr)) return insn("sbfx", `${rd}, ${rn}, #${immr}, #${imms - immr + 1}`);
    const ext = imms === 7 ? "sxtb" : imms === 15 ? "sxth" : "sxtw";
    return insn(ext, `${rd}, ${reg(n, 0, "zr")}`);
  }
  if (op === "ubfm") {
    if (imms !== ones && imms + 1 === immr) return insn("lsl", `${rd}, ${rn}, #${ones - imms}`);
    if (imms === ones) return insn("lsr", `${rd}, ${rn}, #${immr}`);
    if (imms < immr) return insn("ubfiz", `${rd}, ${rn}, #${lsb}, #${imms + 1}`);
    if (bfxPreferred(sf, 1, imms, immr)) return insn("ubfx", `${rd}, ${rn}, #${immr}, #${imms - immr + 1}`);
    return insn(imms === 7 ? "uxtb" : "uxth", `${rd}, ${reg(n, 0, "zr")}`);
  }
  if (imms < immr) {
    if (n === 31) return insn("bfc", `${rd}, #${lsb}, #${imms + 1}`);
    return insn("bfi", `${rd}, ${rn}, #${lsb}, #${imms + 1}`);
  }
  return insn("bfxil", `${rd}, ${rn}, #${immr}, #${imms - immr + 1}`);
}

const extr: Semantics = {
  check: (f) => {
    if (f.sf !== f.N) return unallocated("N differs from sf");
    return f.sf === 0 && f.imms >= 32 ? unallocated("imms >= 32 with a 32-bit datasize") : undefined;
  },
  build: (f, pc) => {
    const { sf, Rn: n, Rm: mm, Rd: d } = f;
    const lsb = BigInt(f.imms);
    const width = sf ? 64n : 32n;
    return {
      exec: (m) => {
        const hi = trunc(readZr(m.x, n), sf);
        const lo = trunc(readZr(m.x, mm), sf);
        if (d !== 31) m.x[d] = trunc(((hi << width) | lo) >> lsb, sf);
        return pc + 4;
      },
      reads: ids(zrId(n), zrId(mm)),
      writes: ids(zrId(d)),
      branch: "none",
    };
  },
  text: (f) => {
    const { sf, Rn: n, Rm: mm, Rd: d } = f;
    if (n === mm) return insn("ror", `${reg(d, sf, "zr")}, ${reg(n, sf, "zr")}, #${f.imms}`);
    return insn("extr", `${reg(d, sf, "zr")}, ${reg(n, sf, "zr")}, ${reg(mm, sf, "zr")}, #${f.imms}`);
  },
};

export const DP_IMM = {
  ADR: adr(false),
  ADRP: adr(true),
  ADD_imm: addSubImm(false, false),
  ADDS_imm: addSubImm(false, true),
  SUB_imm: addSubImm(true, false),
  SUBS_imm: addSubImm(true, true),
  AND_imm: logicalImm("and"),
  ORR_imm: logicalImm("orr"),
  EOR_imm: logicalImm("eor"),
  ANDS_imm: logicalImm("ands"),
  MOVN: moveWide("movn"),
  MOVZ: moveWide("movz"),
  MOVK: moveWide("movk"),
  SBFM: bitfield("sbfm"),
  BFM: bitfield("bfm"),
  UBFM: bitfield("ubfm"),
  EXTR: extr,
} as const satisfies Record<string, Semantics>;
