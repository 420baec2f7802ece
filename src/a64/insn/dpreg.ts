/**
 * Data processing - register (Arm ARM C4.1.95): logical and add/subtract with shifted or extended
 * register, with carry, conditional compare and select, 1- and 2-source, 3-source multiply.
 */
import { addWithCarry, conditionHolds, extendReg, logicalFlags, MASK32, shiftReg, trunc } from "../bits.ts";
import { ids, NZCV, readZr, zrId } from "./alu.ts";
import { condComment, condName, EXTEND_NAMES, hex, insn, reg, SHIFT_NAMES } from "./format.ts";
import type { Fields, Rejection, Semantics } from "./types.ts";

const unallocated = (reason: string): Rejection => ({ kind: "unallocated", reason });

function shiftSuffix(f: Fields): string {
  return f.shift === 0 && f.imm === 0 ? "" : `, ${SHIFT_NAMES[f.shift]} #${f.imm}`;
}

type LogicalOp = "and" | "bic" | "orr" | "orn" | "eor" | "eon" | "ands" | "bics";

function logicalShift(op: LogicalOp): Semantics {
  const invert = op === "bic" || op === "orn" || op === "eon" || op === "bics";
  const setFlags = op === "ands" || op === "bics";
  return {
    check: (f) =>
      f.sf === 0 && f.imm >= 32 ? unallocated("shift amount >= 32 with a 32-bit datasize") : undefined,
    build: (f, pc) => {
      const { sf, Rn: n, Rm: mm, Rd: d, shift, imm } = f;
      const all = trunc(-1n, sf);
      const base =
        op === "and" || op === "bic" || op === "ands" || op === "bics"
          ? 0
          : op === "orr" || op === "orn"
            ? 1
            : 2;
      return {
        exec: (m) => {
          let b = shiftReg(trunc(readZr(m.x, mm), sf), shift, imm, sf);
          if (invert) b ^= all;
          const a = trunc(readZr(m.x, n), sf);
          const result = base === 0 ? a & b : base === 1 ? a | b : a ^ b;
          if (setFlags) m.nzcv = logicalFlags(result, sf);
          if (d !== 31) m.x[d] = result;
          return pc + 4;
        },
        reads: ids(zrId(n), zrId(mm)),
        writes: setFlags ? ids(zrId(d), NZCV) : ids(zrId(d)),
        branch: "none",
      };
    },
    text: (f) => {
      const { sf, Rn: n, Rm: mm, Rd: d } = f;
      const rm = `${reg(mm, sf, "zr")}${shiftSuffix(f)}`;
      if (op === "orr" && n === 31 && f.shift === 0 && f.imm === 0)
        return insn("mov", `${reg(d, sf, "zr")}, ${rm}`);
      if (op === "orn" && n === 31) return insn("mvn", `${reg(d, sf, "zr")}, ${rm}`);
      if (op === "ands" && d === 31) return insn("tst", `${reg(n, sf, "zr")}, ${rm}`);
      return insn(op, `${reg(d, sf, "zr")}, ${reg(n, sf, "zr")}, ${rm}`);
    },
  };
}

function addSubShift(sub: boolean, setFlags: boolean): Semantics {
  return {
    check: (f) => {
      if (f.shift === 3) return unallocated("shift type ROR");
      return f.sf === 0 && f.imm >= 32 ? unallocated("shift amount >= 32 with a 32-bit datasize") : undefined;
    },
    build: (f, pc) => {
      const { sf, Rn: n, Rm: mm, Rd: d, shift, imm } = f;
      const all = trunc(-1n, sf);
      return {
        exec: (m) => {
          let b = shiftReg(trunc(readZr(m.x, mm), sf), shift, imm, sf);
          if (sub) b ^= all;
          const result = addWithCarry(m, trunc(readZr(m.x, n), sf), b, sub ? 1 : 0, sf, setFlags);
          if (d !== 31) m.x[d] = result;
          return pc + 4;
        },
        reads: ids(zrId(n), zrId(mm)),
        writes: setFlags ? ids(zrId(d), NZCV) : ids(zrId(d)),
        branch: "none",
      };
    },
    text: (f) => {
      const { sf, Rn: n, Rm: mm, Rd: d } = f;
      const rm = `${reg(mm, sf, "zr")}${shiftSuffix(f)}`;
      const name = `${sub ? "sub" : "add"}${setFlags ? "s" : ""}`;
      if (setFlags && d === 31) return insn(sub ? "cmp" : "cmn", `${reg(n, sf, "zr")}, ${rm}`);
      if (sub && n === 31) return insn(setFlags ? "negs" : "neg", `${reg(d, sf, "zr")}, ${rm}`);
      return insn(name, `${reg(d, sf, "zr")}, ${reg(n, sf, "zr")}, ${rm}`);
    },
  };
}

function addSubExt(sub: boolean, setFlags: boolean): Semantics {
  return {
    check: (f) => (f.imm3 > 4 ? unallocated("extend shift amount > 4") : undefined),
    build: (f, pc) => {
      const { sf, Rn: n, Rm: mm, Rd: d, option, imm3 } = f;
      const all = trunc(-1n, sf);
      return {
        exec: (m) => {
          let b = extendReg(readZr(m.x, mm), option, imm3, sf);
          if (sub) b ^= all;
          const result = addWithCarry(m, trunc(m.x[n]!, sf), b, sub ? 1 : 0, sf, setFlags);
          if (setFlags) {
            if (d !== 31) m.x[d] = result;
          } else m.x[d] = result;
          return pc + 4;
        },
        reads: ids(n, zrId(mm)),
        writes: setFlags ? ids(zrId(d), NZCV) : [d],
        branch: "none",
      };
    },
    text: (f) => {
      const { sf, Rn: n, Rm: mm, Rd: d, option, imm3 } = f;
      const rm = reg(mm, sf && (option & 3) === 3 ? 1 : 0, "zr");
      const lslPreferred = (d === 31 && !setFlags) || n === 31 ? option === (sf ? 3 : 2) : false;
      const ext = lslPreferred
        ? imm3 === 0
          ? ""
          : `, lsl #${imm3}`
        : `, ${EXTEND_NAMES[option]}${imm3 === 0 ? "" : ` #${imm3}`}`;
      const name = `${sub ? "sub" : "add"}${setFlags ? "s" : ""}`;
      if (setFlags && d === 31) return insn(sub ? "cmp" : "cmn", `${reg(n, sf, "sp")}, ${rm}${ext}`);
      return insn(name, `${reg(d, sf, setFlags ? "zr" : "sp")}, ${reg(n, sf, "sp")}, ${rm}${ext}`);
    },
  };
}

function addSubCarry(sub: boolean, setFlags: boolean): Semantics {
  return {
    build: (f, pc) => {
      const { sf, Rn: n, Rm: mm, Rd: d } = f;
      const all = trunc(-1n, sf);
      return {
        exec: (m) => {
          let b = trunc(readZr(m.x, mm), sf);
          if (sub) b ^= all;
          const result = addWithCarry(m, trunc(readZr(m.x, n), sf), b, (m.nzcv >> 1) & 1, sf, setFlags);
          if (d !== 31) m.x[d] = result;
          return pc + 4;
        },
        reads: ids(zrId(n), zrId(mm), NZCV),
        writes: setFlags ? ids(zrId(d), NZCV) : ids(zrId(d)),
        branch: "none",
      };
    },
    text: (f) => {
      const { sf, Rn: n, Rm: mm, Rd: d } = f;
      const name = `${sub ? "sbc" : "adc"}${setFlags ? "s" : ""}`;
      if (sub && n === 31)
        return insn(setFlags ? "ngcs" : "ngc", `${reg(d, sf, "zr")}, ${reg(mm, sf, "zr")}`);
      return insn(name, `${reg(d, sf, "zr")}, ${reg(n, sf, "zr")}, ${reg(mm, sf, "zr")}`);
    },
  };
}

function condCompare(negative: boolean, immediate: boolean): Semantics {
  return {
    build: (f, pc) => {
      const { sf, Rn: n, cond, nzcv } = f;
      const mm = immediate ? 31 : f.Rm;
      const imm = immediate ? BigInt(f.imm) : 0n;
      const all = trunc(-1n, sf);
      return {
        exec: (m) => {
          if (conditionHolds(cond, m.nzcv)) {
            let b = immediate ? imm : trunc(readZr(m.x, mm), sf);
            if (!negative) b ^= all;
            addWithCarry(m, trunc(readZr(m.x, n), sf), b, negative ? 0 : 1, sf, true);
          } else m.nzcv = nzcv;
          return pc + 4;
        },
        reads: immediate ? ids(zrId(n), NZCV) : ids(zrId(n), zrId(mm), NZCV),
        writes: [NZCV],
        branch: "none",
      };
    },
    text: (f) => {
      const { sf, Rn: n } = f;
      const op2 = immediate ? `#${hex(f.imm)}` : reg(f.Rm, sf, "zr");
      return `${insn(negative ? "ccmn" : "ccmp", `${reg(n, sf, "zr")}, ${op2}, #${hex(f.nzcv)}, ${condName(f.cond)}`)}${condComment(f.cond)}`;
    },
  };
}

type SelectOp = "csel" | "csinc" | "csinv" | "csneg";

function condSelect(op: SelectOp): Semantics {
  return {
    build: (f, pc) => {
      const { sf, Rn: n, Rm: mm, Rd: d, cond } = f;
      const all = trunc(-1n, sf);
      const alt =
        op === "csel"
          ? (v: bigint) => v
          : op === "csinc"
            ? (v: bigint) => trunc(v + 1n, sf)
            : op === "csinv"
              ? (v: bigint) => v ^ all
              : (v: bigint) => trunc(-v, sf);
      return {
        exec: (m) => {
          const result = conditionHolds(cond, m.nzcv)
            ? trunc(readZr(m.x, n), sf)
            : alt(trunc(readZr(m.x, mm), sf));
          if (d !== 31) m.x[d] = result;
          return pc + 4;
        },
        reads: ids(zrId(n), zrId(mm), NZCV),
        writes: ids(zrId(d)),
        branch: "none",
      };
    },
    text: (f) => {
      const { sf, Rn: n, Rm: mm, Rd: d, cond } = f;
      const rd = reg(d, sf, "zr");
      const inverse = cond ^ 1;
      const notAlways = cond >> 1 !== 7;
      const withCond = (mn: string, ops: string, c: number): string =>
        `${insn(mn, `${ops}, ${condName(c)}`)}${condComment(c)}`;
      if (op === "csinc" && notAlways && n === mm) {
        if (n === 31) return withCond("cset", rd, inverse);
        return withCond("cinc", `${rd}, ${reg(n, sf, "zr")}`, inverse);
      }
      if (op === "csinv" && notAlways && n === mm) {
        if (n === 31) return withCond("csetm", rd, inverse);
        return withCond("cinv", `${rd}, ${reg(n, sf, "zr")}`, inverse);
      }
      if (op === "csneg" && notAlways && n === mm)
        return withCond("cneg", `${rd}, ${reg(n, sf, "zr")}`, inverse);
      return withCond(op, `${rd}, ${reg(n, sf, "zr")}, ${reg(mm, sf, "zr")}`, cond);
    },
  };
}

type TwoSourceOp = "udiv" | "sdiv" | "lsl" | "lsr" | "asr" | "ror";

function twoSource(op: TwoSourceOp): Semantics {
  return {
    build: (f, pc) => {
      const { sf, Rn: n, Rm: mm, Rd: d } = f;
      const width = sf ? 64n : 32n;
      const compute = (a: bigint, b: bigint): bigint => {
        switch (op) {
          case "udiv":
            return b === 0n ? 0n : a / b;
          case "sdiv": {
            if (b === 0n) return 0n;
            const sa = sf ? BigInt.asIntN(64, a) : BigInt.asIntN(32, a);
            const sb = sf ? BigInt.asIntN(64, b) : BigInt.asIntN(32, b);
            return trunc(sa / sb, sf);
          }
          default:
            return shiftReg(a, ["lsl", "lsr", "asr", "ror"].indexOf(op), Number(b % width), sf);
        }
      };
      return {
        exec: (m) => {
          const result = compute(trunc(readZr(m.x, n), sf), trunc(readZr(m.x, mm), sf));
          if (d !== 31) m.x[d] = result;
          return pc + 4;
        },
        reads: ids(zrId(n), zrId(mm)),
        writes: ids(zrId(d)),
        branch: "none",
      };
    },
    text: (f) => insn(op, `${reg(f.Rd, f.sf, "zr")}, ${reg(f.Rn, f.sf, "zr")}, ${reg(f.Rm, f.sf, "zr")}`),
  };
}

type OneSourceOp = "rbit" | "rev16" | "rev32" | "rev" | "clz" | "cls";

function reverseBytes(v: bigint, bytes: number, container: number): bigint {
  let out = 0n;
  for (let c = 0; c < bytes; c += container) {
    for (let i = 0; i < container; i++) {
      const byte = (v >> BigInt(8 * (c + i))) & 0xffn;
      out |= byte << BigInt(8 * (c + container - 1 - i));
    }
  }
  return out;
}

function oneSource(op: OneSourceOp): Semantics {
  return {
    check:
      op === "rev"
        ? (f) => (f.opc0 !== f.sf ? unallocated("REV opc does not match sf") : undefined)
        : undefined,
    build: (f, pc) => {
      const { Rn: n, Rd: d } = f;
      const sf = op === "rev32" ? 1 : f.sf;
      const width = sf ? 64 : 32;
      const compute = (v: bigint): bigint => {
        switch (op) {
          case "rbit": {
            let out = 0n;
            for (let i = 0; i < width; i++) if ((v >> BigInt(i)) & 1n) out |= 1n << BigInt(width - 1 - i);
            return out;
          }
          case "rev16":
            return reverseBytes(v, width / 8, 2);
          case "rev32":
            return reverseBytes(v, 8, 4);
          case "rev":
            return reverseBytes(v, width / 8, width / 8);
          case "clz":
            return BigInt(width - v.toString(2).length + (v === 0n ? 1 : 0));
          case "cls": {
            const top = (v >> BigInt(width - 1)) & 1n;
            let count = 0;
            for (let i = width - 2; i >= 0 && ((v >> BigInt(i)) & 1n) === top; i--) count++;
            return BigInt(count);
          }
        }
      };
      return {
        exec: (m) => {
          const result = compute(trunc(readZr(m.x, n), sf));
          if (d !== 31) m.x[d] = result;
          return pc + 4;
        },
        reads: ids(zrId(n)),
        writes: ids(zrId(d)),
        branch: "none",
      };
    },
    text: (f) => {
      const sf = op === "rev32" ? 1 : f.sf;
      return insn(op, `${reg(f.Rd, sf, "zr")}, ${reg(f.Rn, sf, "zr")}`);
    },
  };
}

function multiplyAdd(sub: boolean): Semantics {
  return {
    build: (f, pc) => {
      const { sf, Rn: n, Rm: mm, Rd: d, Ra: a } = f;
      return {
        exec: (m) => {
          const product = readZr(m.x, n) * readZr(m.x, mm);
          const acc = readZr(m.x, a);
          if (d !== 31) m.x[d] = trunc(sub ? acc - product : acc + product, sf);
          return pc + 4;
        },
        reads: ids(zrId(n), zrId(mm), zrId(a)),
        writes: ids(zrId(d)),
        branch: "none",
      };
    },
    text: (f) => {
      const { sf, Rn: n, Rm: mm, Rd: d, Ra: a } = f;
      const ops = `${reg(d, sf, "zr")}, ${reg(n, sf, "zr")}, ${reg(mm, sf, "zr")}`;
      if (a === 31) return insn(sub ? "mneg" : "mul", ops);
      return insn(sub ? "msub" : "madd", `${ops}, ${reg(a, sf, "zr")}`);
    },
  };
}

function multiplyLong(signed: boolean, sub: boolean): Semantics {
  const name = `${signed ? "s" : "u"}m${sub ? "sub" : "add"}l`;
  const alias = `${signed ? "s" : "u"}${sub ? "mnegl" : "mull"}`;
  return {
    build: (f, pc) => {
      const { Rn: n, Rm: mm, Rd: d, Ra: a } = f;
      const widen = signed ? (v: bigint) => BigInt.asIntN(32, v) : (v: bigint) => v & MASK32;
      return {
        exec: (m) => {
          const product = widen(readZr(m.x, n)) * widen(readZr(m.x, mm));
          const acc = readZr(m.x, a);
          if (d !== 31) m.x[d] = BigInt.asUintN(64, sub ? acc - product : acc + product);
          return pc + 4;
        },
        reads: ids(zrId(n), zrId(mm), zrId(a)),
        writes: ids(zrId(d)),
        branch: "none",
      };
    },
    text: (f) => {
      const ops = `${reg(f.Rd, 1, "zr")}, ${reg(f.Rn, 0, "zr")}, ${reg(f.Rm, 0, "zr")}`;
      if (f.Ra === 31) return insn(alias, ops);
      return insn(name, `${ops}, ${reg(f.Ra, 1, "zr")}`);
    },
  };
}

/** SMULH/UMULH: Ra is "should be 11111" in the Arm ARM; like objdump we ignore it. */
function multiplyHigh(signed: boolean): Semantics {
  return {
    build: (f, pc) => {
      const { Rn: n, Rm: mm, Rd: d } = f;
      const widen = signed ? (v: bigint) => BigInt.asIntN(64, v) : (v: bigint) => v;
      return {
        exec: (m) => {
          if (d !== 31) m.x[d] = BigInt.asUintN(64, (widen(readZr(m.x, n)) * widen(readZr(m.x, mm))) >> 64n);
          return pc + 4;
        },
        reads: ids(zrId(n), zrId(mm)),
        writes: ids(zrId(d)),
        branch: "none",
      };
    },
    text: (f) =>
      insn(signed ? "smulh" : "umulh", `${reg(f.Rd, 1, "zr")}, ${reg(f.Rn, 1, "zr")}, ${reg(f.Rm, 1, "zr")}`),
  };
}

export const DP_REG = {
  AND_shift: logicalShift("and"),
  BIC_shift: logicalShift("bic"),
  ORR_shift: logicalShift("orr"),
  ORN_shift: logicalShift("orn"),
  EOR_shift: logicalShift("eor"),
  EON_shift: logicalShift("eon"),
  ANDS_shift: logicalShift("ands"),
  BICS_shift: logicalShift("bics"),
  ADD_shift: addSubShift(false, false),
  ADDS_shift: addSubShift(false, true),
  SUB_shift: addSubShift(true, false),
  SUBS_shift: addSubShift(true, true),
  ADD_ext: addSubExt(false, false),
  ADDS_ext: addSubExt(false, true),
  SUB_ext: addSubExt(true, false),
  SUBS_ext: addSubExt(true, true),
  ADC: addSubCarry(false, false),
  ADCS: addSubCarry(false, true),
  SBC: addSubCarry(true, false),
  SBCS: addSubCarry(true, true),
  CCMN_reg: condCompare(true, false),
  CCMP_reg: condCompare(false, false),
  CCMN_imm: condCompare(true, true),
  CCMP_imm: condCompare(false, true),
  CSEL: condSelect("csel"),
  CSINC: condSelect("csinc"),
  CSINV: condSelect("csinv"),
  CSNEG: condSelect("csneg"),
  UDIV: twoSource("udiv"),
  SDIV: twoSource("sdiv"),
  LSLV: twoSource("lsl"),
  LSRV: twoSource("lsr"),
  ASRV: twoSource("asr"),
  RORV: twoSource("ror"),
  RBIT: oneSource("rbit"),
  REV16: oneSource("rev16"),
  REV32: oneSource("rev32"),
  REV: oneSource("rev"),
  CLZ: oneSource("clz"),
  CLS: oneSource("cls"),
  MADD: multiplyAdd(false),
  MSUB: multiplyAdd(true),
  SMADDL: multiplyLong(true, false),
  SMSUBL: multiplyLong(true, true),
  UMADDL: multiplyLong(false, false),
  UMSUBL: multiplyLong(false, true),
  SMULH: multiplyHigh(true),
  UMULH: multiplyHigh(false),
} as const satisfies Record<string, Semantics>;
