/**
 * Loads and stores (Arm ARM C4.1.94): register with unsigned immediate, unscaled, pre/post-index
 * and register offsets, pairs, literals, load-acquire / store-release.
 */
import { extendReg, signExtend } from "../bits.ts";
import type { Machine } from "../machine.ts";
import { ids, readZr, zrId } from "./alu.ts";
import { EXTEND_NAMES, insn, reg } from "./format.ts";
import type { Built, Fields, Rejection, Semantics } from "./types.ts";

/** One Arm ARM load/store family: access size, signedness, direction and destination width. */
interface Family {
  readonly mnemonic: string;
  readonly unscaled: string;
  /** Access size in bytes; "z" = 4 << z (the 32/64-bit STR/LDR). */
  readonly size: 1 | 2 | 4 | "z";
  readonly store: boolean;
  readonly signed: boolean;
  /** Register width: "w", "x", "z" (sf-like size bit) or "opc0" (LDRS*: opc<0>=1 means W). */
  readonly width: "w" | "x" | "z" | "opc0";
}

function accessSize(fam: Family, f: Fields): number {
  return fam.size === "z" ? 4 << f.sf : fam.size;
}

function regIs64(fam: Family, f: Fields): number {
  switch (fam.width) {
    case "w":
      return 0;
    case "x":
      return 1;
    case "z":
      return f.sf;
    case "opc0":
      return f.opc0 ? 0 : 1;
  }
}

/** Loaded value as the destination register holds it. */
function loader(size: number, signed: boolean, is64: number): (m: Machine, addr: number) => bigint {
  if (!signed) return (m, addr) => m.mem.read(addr, size);
  const bits = size * 8;
  return is64
    ? (m, addr) => BigInt.asUintN(64, BigInt.asIntN(bits, m.mem.read(addr, size)))
    : (m, addr) => BigInt.asUintN(32, BigInt.asIntN(bits, m.mem.read(addr, size)));
}

type Form = "uoff" | "pre" | "post" | "unscaled";

/** Addresses are numbers: the memory map lives far below 2^53, so any larger address is unmapped anyway. */
function toAddr(value: bigint): number {
  return Number(value);
}

function immediateForm(fam: Family, form: Form): Semantics {
  const offsetOf = (f: Fields): number =>
    form === "uoff" ? f.imm * accessSize(fam, f) : signExtend(f.imm, 9);
  return {
    build: (f, pc): Built => {
      const size = accessSize(fam, f);
      const { Rn: n, Rt: t } = f;
      const off = BigInt(offsetOf(f));
      const wback = form === "pre" || form === "post";
      const postIndex = form === "post";
      const load = loader(size, fam.signed, regIs64(fam, f));
      let exec: (m: Machine) => number;
      if (fam.store) {
        exec = wback
          ? (m) => {
              const base = m.x[n]!;
              const next = BigInt.asUintN(64, base + off);
              m.mem.write(toAddr(postIndex ? base : next), size, readZr(m.x, t));
              m.x[n] = next;
              return pc + 4;
            }
          : (m) => {
              m.mem.write(toAddr(BigInt.asUintN(64, m.x[n]! + off)), size, readZr(m.x, t));
              return pc + 4;
            };
      } else {
        exec = wback
          ? (m) => {
              const base = m.x[n]!;
              const next = BigInt.asUintN(64, base + off);
              const value = load(m, toAddr(postIndex ? base : next));
              m.x[n] = next;
              if (t !== 31) m.x[t] = value;
              return pc + 4;
            }
          : (m) => {
              const value = load(m, toAddr(BigInt.asUintN(64, m.x[n]! + off)));
              if (t !== 31) m.x[t] = value;
              return pc + 4;
            };
      }
      const reads = fam.store ? ids(n, zrId(t)) : [n];
      const writes = fam.store ? (wback ? [n] : []) : ids(zrId(t), wback ? n : false);
      return { exec, reads, writes, branch: "none" };
    },
    text: (f) => {
      const rt = reg(f.Rt, regIs64(fam, f), "zr");
      const rn = reg(f.Rn, 1, "sp");
      const off = offsetOf(f);
      switch (form) {
        case "uoff":
          return insn(fam.mnemonic, `${rt}, [${rn}${off === 0 ? "" : `, #${off}`}]`);
        case "unscaled":
          return insn(fam.unscaled, `${rt}, [${rn}${off === 0 ? "" : `, #${off}`}]`);
        case "pre":
          return insn(fam.mnemonic, `${rt}, [${rn}, #${off}]!`);
        case "post":
          return insn(fam.mnemonic, `${rt}, [${rn}], #${off}`);
      }
    },
  };
}

function registerForm(fam: Family): Semantics {
  return {
    check: (f): Rejection | undefined =>
      (f.option & 2) === 0 ? { kind: "unallocated", reason: "register offset option<1> = 0" } : undefined,
    build: (f, pc) => {
      const size = accessSize(fam, f);
      const { Rn: n, Rt: t, Rm: mm, option } = f;
      const shift = f.S ? Math.log2(size) : 0;
      const load = loader(size, fam.signed, regIs64(fam, f));
      const address = (m: Machine): number =>
        toAddr(BigInt.asUintN(64, m.x[n]! + extendReg(readZr(m.x, mm), option, shift, 1)));
      const exec = fam.store
        ? (m: Machine) => {
            m.mem.write(address(m), size, readZr(m.x, t));
            return pc + 4;
          }
        : (m: Machine) => {
            const value = load(m, address(m));
            if (t !== 31) m.x[t] = value;
            return pc + 4;
          };
      return {
        exec,
        reads: fam.store ? ids(n, zrId(mm), zrId(t)) : ids(n, zrId(mm)),
        writes: fam.store ? [] : ids(zrId(t)),
        branch: "none",
      };
    },
    text: (f) => {
      const size = accessSize(fam, f);
      const rt = reg(f.Rt, regIs64(fam, f), "zr");
      const rm = reg(f.Rm, f.option & 1, "zr");
      const amount = f.S ? ` #${Math.log2(size)}` : "";
      const ext = f.option === 3 ? (f.S ? `, lsl${amount}` : "") : `, ${EXTEND_NAMES[f.option]}${amount}`;
      return insn(fam.mnemonic, `${rt}, [${reg(f.Rn, 1, "sp")}, ${rm}${ext}]`);
    },
  };
}

type PairForm = "post" | "pre" | "off";

/** LDP/STP/LDPSW: `signed` marks LDPSW (32-bit accesses sign-extended into X registers). */
function pair(load: boolean, signed: boolean, form: PairForm): Semantics {
  const sizeOf = (f: Fields): number => (signed ? 4 : 4 << f.sf);
  const offsetOf = (f: Fields): number => signExtend(f.imm, 7) * sizeOf(f);
  const is64 = (f: Fields): number => (signed ? 1 : f.sf);
  return {
    check: signed
      ? (f): Rejection | undefined => {
          if (f.Rt === f.Rt2) return { kind: "unallocated", reason: "LDPSW with Rt == Rt2" };
          if (form !== "off" && f.Rn !== 31 && (f.Rn === f.Rt || f.Rn === f.Rt2)) {
            return { kind: "unallocated", reason: "LDPSW writeback into a loaded register" };
          }
          return undefined;
        }
      : undefined,
    build: (f, pc) => {
      const size = sizeOf(f);
      const { Rn: n, Rt: t, Rt2: t2 } = f;
      const off = BigInt(offsetOf(f));
      const wback = form !== "off";
      const postIndex = form === "post";
      const get = loader(size, signed, is64(f));
      const exec = (m: Machine): number => {
        const base = m.x[n]!;
        const next = BigInt.asUintN(64, base + off);
        const addr = toAddr(postIndex ? base : next);
        if (load) {
          const first = get(m, addr);
          const second = get(m, addr + size);
          if (wback) m.x[n] = next;
          if (t !== 31) m.x[t] = first;
          if (t2 !== 31) m.x[t2] = second;
        } else {
          m.mem.write(addr, size, readZr(m.x, t));
          m.mem.write(addr + size, size, readZr(m.x, t2));
          if (wback) m.x[n] = next;
        }
        return pc + 4;
      };
      return {
        exec,
        reads: load ? [n] : ids(n, zrId(t), zrId(t2)),
        writes: load ? ids(zrId(t), zrId(t2), wback ? n : false) : wback ? [n] : [],
        branch: "none",
      };
    },
    text: (f) => {
      const mnemonic = signed ? "ldpsw" : load ? "ldp" : "stp";
      const regs = `${reg(f.Rt, is64(f), "zr")}, ${reg(f.Rt2, is64(f), "zr")}`;
      const rn = reg(f.Rn, 1, "sp");
      const off = offsetOf(f);
      if (form === "pre") return insn(mnemonic, `${regs}, [${rn}, #${off}]!`);
      if (form === "post") return insn(mnemonic, `${regs}, [${rn}], #${off}`);
      return insn(mnemonic, `${regs}, [${rn}${off === 0 ? "" : `, #${off}`}]`);
    },
  };
}

function literal(signed: boolean): Semantics {
  const target = (f: Fields, pc: number): bigint =>
    BigInt.asUintN(64, BigInt(pc + signExtend(f.imm, 19) * 4));
  return {
    build: (f, pc) => {
      const size = signed ? 4 : 4 << f.sf;
      const addr = toAddr(target(f, pc));
      const get = loader(size, signed, 1);
      const t = f.Rt;
      return {
        exec: (m) => {
          const value = get(m, addr);
          if (t !== 31) m.x[t] = value;
          return pc + 4;
        },
        reads: [],
        writes: ids(zrId(t)),
        branch: "none",
      };
    },
    text: (f, pc, sym) =>
      insn(signed ? "ldrsw" : "ldr", `${reg(f.Rt, signed ? 1 : f.sf, "zr")}, ${sym(target(f, pc))}`),
  };
}

function ordered(load: boolean, size: 1 | 2 | "z", suffix: string): Semantics {
  const sizeOf = (f: Fields): number => (size === "z" ? 4 << f.sf : size);
  return {
    build: (f, pc) => {
      const bytes = sizeOf(f);
      const { Rn: n, Rt: t } = f;
      const exec = load
        ? (m: Machine) => {
            const value = m.mem.read(toAddr(m.x[n]!), bytes);
            if (t !== 31) m.x[t] = value;
            return pc + 4;
          }
        : (m: Machine) => {
            m.mem.write(toAddr(m.x[n]!), bytes, readZr(m.x, t));
            return pc + 4;
          };
      return {
        exec,
        reads: load ? [n] : ids(n, zrId(t)),
        writes: load ? ids(zrId(t)) : [],
        branch: "none",
      };
    },
    text: (f) =>
      insn(
        `${load ? "ldar" : "stlr"}${suffix}`,
        `${reg(f.Rt, size === "z" ? f.sf : 0, "zr")}, [${reg(f.Rn, 1, "sp")}]`,
      ),
  };
}

const STRB: Family = { mnemonic: "strb", unscaled: "sturb", size: 1, store: true, signed: false, width: "w" };
const LDRB: Family = {
  mnemonic: "ldrb",
  unscaled: "ldurb",
  size: 1,
  store: false,
  signed: false,
  width: "w",
};
const LDRSB: Family = {
  mnemonic: "ldrsb",
  unscaled: "ldursb",
  size: 1,
  store: false,
  signed: true,
  width: "opc0",
};
const STRH: Family = { mnemonic: "strh", unscaled: "sturh", size: 2, store: true, signed: false, width: "w" };
const LDRH: Family = {
  mnemonic: "ldrh",
  unscaled: "ldurh",
  size: 2,
  store: false,
  signed: false,
  width: "w",
};
const LDRSH: Family = {
  mnemonic: "ldrsh",
  unscaled: "ldursh",
  size: 2,
  store: false,
  signed: true,
  width: "opc0",
};
const STR: Family = { mnemonic: "str", unscaled: "stur", size: "z", store: true, signed: false, width: "z" };
const LDR: Family = { mnemonic: "ldr", unscaled: "ldur", size: "z", store: false, signed: false, width: "z" };
const LDRSW: Family = {
  mnemonic: "ldrsw",
  unscaled: "ldursw",
  size: 4,
  store: false,
  signed: true,
  width: "x",
};

export const LOAD_STORE = {
  STRB_imm_uoff: immediateForm(STRB, "uoff"),
  LDRB_imm_uoff: immediateForm(LDRB, "uoff"),
  LDRSB_imm_uoff: immediateForm(LDRSB, "uoff"),
  STRH_imm_uoff: immediateForm(STRH, "uoff"),
  LDRH_imm_uoff: immediateForm(LDRH, "uoff"),
  LDRSH_imm_uoff: immediateForm(LDRSH, "uoff"),
  STR_imm_uoff: immediateForm(STR, "uoff"),
  LDR_imm_uoff: immediateForm(LDR, "uoff"),
  LDRSW_imm_uoff: immediateForm(LDRSW, "uoff"),
  STRB_imm_pre: immediateForm(STRB, "pre"),
  LDRB_imm_pre: immediateForm(LDRB, "pre"),
  LDRSB_imm_pre: immediateForm(LDRSB, "pre"),
  STRH_imm_pre: immediateForm(STRH, "pre"),
  LDRH_imm_pre: immediateForm(LDRH, "pre"),
  LDRSH_imm_pre: immediateForm(LDRSH, "pre"),
  STR_imm_pre: immediateForm(STR, "pre"),
  LDR_imm_pre: immediateForm(LDR, "pre"),
  LDRSW_imm_pre: immediateForm(LDRSW, "pre"),
  STRB_imm_post: immediateForm(STRB, "post"),
  LDRB_imm_post: immediateForm(LDRB, "post"),
  LDRSB_imm_post: immediateForm(LDRSB, "post"),
  STRH_imm_post: immediateForm(STRH, "post"),
  LDRH_imm_post: immediateForm(LDRH, "post"),
  LDRSH_imm_post: immediateForm(LDRSH, "post"),
  STR_imm_post: immediateForm(STR, "post"),
  LDR_imm_post: immediateForm(LDR, "post"),
  LDRSW_imm_post: immediateForm(LDRSW, "post"),
  STURB: immediateForm(STRB, "unscaled"),
  LDURB: immediateForm(LDRB, "unscaled"),
  LDURSB: immediateForm(LDRSB, "unscaled"),
  STURH: immediateForm(STRH, "unscaled"),
  LDURH: immediateForm(LDRH, "unscaled"),
  LDURSH: immediateForm(LDRSH, "unscaled"),
  STUR: immediateForm(STR, "unscaled"),
  LDUR: immediateForm(LDR, "unscaled"),
  LDURSW: immediateForm(LDRSW, "unscaled"),
  STRB_reg: registerForm(STRB),
  LDRB_reg: registerForm(LDRB),
  LDRSB_reg: registerForm(LDRSB),
  STRH_reg: registerForm(STRH),
  LDRH_reg: registerForm(LDRH),
  LDRSH_reg: registerForm(LDRSH),
  STR_reg: registerForm(STR),
  LDR_reg: registerForm(LDR),
  LDRSW_reg: registerForm(LDRSW),
  STP_post: pair(false, false, "post"),
  STP_pre: pair(false, false, "pre"),
  STP_off: pair(false, false, "off"),
  LDP_post: pair(true, false, "post"),
  LDP_pre: pair(true, false, "pre"),
  LDP_off: pair(true, false, "off"),
  LDPSW_post: pair(true, true, "post"),
  LDPSW_pre: pair(true, true, "pre"),
  LDPSW_off: pair(true, true, "off"),
  LDR_lit: literal(false),
  LDRSW_lit: literal(true),
  LDARB: ordered(true, 1, "b"),
  LDARH: ordered(true, 2, "h"),
  LDAR: ordered(true, "z", ""),
  STLRB: ordered(false, 1, "b"),
  STLRH: ordered(false, 2, "h"),
  STLR: ordered(false, "z", ""),
} as const satisfies Record<string, Semantics>;
