/**
 * Branches, exception generation and system instructions (Arm ARM C4.1.93).
 */
import { conditionHolds, signExtend } from "../bits.ts";
import { SYSREG_NAMES } from "../machine.ts";
import { branchCondComment, condName, hex, insn, reg } from "./format.ts";
import type { Fields, Semantics } from "./types.ts";

/** Raised by BRK/UDF; the runner reports it as a coded error like a memory fault. */
export class TrapException {
  constructor(readonly reason: string) {}
}

function target(pc: number, imm: number, width: number): bigint {
  return BigInt.asUintN(64, BigInt(pc + signExtend(imm, width) * 4));
}

function unconditional(link: boolean): Semantics {
  return {
    build: (f, pc) => {
      const next = Number(target(pc, f.imm, 26));
      const ret = BigInt(pc + 4);
      return {
        exec: link
          ? (m) => {
              m.x[30] = ret;
              return next;
            }
          : () => next,
        reads: [],
        writes: link ? [30] : [],
        branch: link ? "call" : "direct",
      };
    },
    text: (f, pc, sym) => insn(link ? "bl" : "b", sym(target(pc, f.imm, 26))),
  };
}

const bCond: Semantics = {
  build: (f, pc) => {
    const next = Number(target(pc, f.imm, 19));
    const cond = f.cond;
    return {
      exec: (m) => {
        const taken = conditionHolds(cond, m.nzcv);
        m.taken = taken;
        return taken ? next : pc + 4;
      },
      reads: [32],
      writes: [],
      branch: "conditional",
    };
  },
  text: (f, pc, sym) =>
    `${insn(`b.${condName(f.cond)}`, sym(target(pc, f.imm, 19)))}${branchCondComment(f.cond)}`,
};

function compareBranch(nonZero: boolean): Semantics {
  return {
    build: (f, pc) => {
      const next = Number(target(pc, f.imm, 19));
      const { Rt: t, sf } = f;
      return {
        exec: (m) => {
          const v = t === 31 ? 0n : sf ? m.x[t]! : m.x[t]! & 0xffff_ffffn;
          const taken = nonZero ? v !== 0n : v === 0n;
          m.taken = taken;
          return taken ? next : pc + 4;
        },
        reads: t === 31 ? [] : [t],
        writes: [],
        branch: "conditional",
      };
    },
    text: (f, pc, sym) =>
      insn(nonZero ? "cbnz" : "cbz", `${reg(f.Rt, f.sf, "zr")}, ${sym(target(pc, f.imm, 19))}`),
  };
}

function testBranch(nonZero: boolean): Semantics {
  const bitOf = (f: Fields): number => (f.b5 << 5) | f.b40;
  return {
    build: (f, pc) => {
      const next = Number(target(pc, f.imm, 14));
      const t = f.Rt;
      const bit = BigInt(bitOf(f));
      return {
        exec: (m) => {
          const set = t !== 31 && ((m.x[t]! >> bit) & 1n) === 1n;
          const taken = nonZero ? set : !set;
          m.taken = taken;
          return taken ? next : pc + 4;
        },
        reads: t === 31 ? [] : [t],
        writes: [],
        branch: "conditional",
      };
    },
    text: (f, pc, sym) =>
      insn(nonZero ? "tbnz" : "tbz", `${reg(f.Rt, f.b5, "zr")}, #${bitOf(f)}, ${sym(target(pc, f.imm, 14))}`),
  };
}

type IndirectKind = "br" | "blr" | "ret";

function indirect(kind: IndirectKind): Semantics {
  return {
    build: (f, pc) => {
      const n = f.Rn;
      const ret = BigInt(pc + 4);
      return {
        exec:
          kind === "blr"
            ? (m) => {
                const dest = n === 31 ? 0 : Number(m.x[n]!);
                m.x[30] = ret;
                return dest;
              }
            : (m) => (n === 31 ? 0 : Number(m.x[n]!)),
        reads: n === 31 ? [] : [n],
        writes: kind === "blr" ? [30] : [],
        branch: kind === "br" ? "indirect" : kind === "blr" ? "indirect_call" : "return",
      };
    },
    text: (f) => (kind === "ret" && f.Rn === 30 ? "ret" : insn(kind, reg(f.Rn, 1, "zr"))),
  };
}

function trap(mnemonic: "brk" | "udf"): Semantics {
  return {
    build: () => ({
      exec: () => {
        throw new TrapException(
          mnemonic === "brk" ? "BRK (software breakpoint)" : "UDF (permanently undefined)",
        );
      },
      reads: [],
      writes: [],
      branch: "none",
    }),
    text: (f) => insn(mnemonic, mnemonic === "brk" ? `#${hex(f.imm)}` : `#${f.imm}`),
  };
}

/** Hint names objdump 2.40 prints, by CRm:op2 (opcodes/aarch64-tbl.h); the rest print as `hint #imm`. */
const HINT_NAMES: ReadonlyMap<number, string> = new Map([
  [0, "nop"],
  [1, "yield"],
  [2, "wfe"],
  [3, "wfi"],
  [4, "sev"],
  [5, "sevl"],
  [7, "xpaclri"],
  [8, "pacia1716"],
  [10, "pacib1716"],
  [12, "autia1716"],
  [14, "autib1716"],
  [16, "esb"],
  [17, "psb\tcsync"],
  [18, "tsb\tcsync"],
  [20, "csdb"],
  [22, "clearbhb"],
  [24, "paciaz"],
  [25, "paciasp"],
  [26, "pacibz"],
  [27, "pacibsp"],
  [28, "autiaz"],
  [29, "autiasp"],
  [30, "autibz"],
  [31, "autibsp"],
  [32, "bti"],
  [34, "bti\tc"],
  [36, "bti\tj"],
  [38, "bti\tjc"],
]);

function hintText(value: number): string {
  return HINT_NAMES.get(value) ?? insn("hint", `#${hex(value)}`);
}

/**
 * Every hint executes as a NOP: the modelled cores (cortex-a72, and PAC/BTI-less v8.2 cores such as
 * tsv110) implement PACIASP/AUTIASP/BTI as hint-space NOPs (Arm ARM C6.2 PACIA, "HINT space").
 */
function hint(value: (f: Fields) => number): Semantics {
  return {
    build: (_f, pc) => ({ exec: () => pc + 4, reads: [], writes: [], branch: "none" }),
    text: (f) => hintText(value(f)),
  };
}

const BARRIER_OPTIONS: ReadonlyMap<number, string> = new Map([
  [1, "oshld"],
  [2, "oshst"],
  [3, "osh"],
  [5, "nshld"],
  [6, "nshst"],
  [7, "nsh"],
  [9, "ishld"],
  [10, "ishst"],
  [11, "ish"],
  [13, "ld"],
  [14, "st"],
  [15, "sy"],
]);

/** DMB/DSB/ISB are no-ops on a single in-order functional core. */
function barrier(kind: "dsb" | "dmb" | "isb"): Semantics {
  return {
    build: (_f, pc) => ({ exec: () => pc + 4, reads: [], writes: [], branch: "none" }),
    text: (f) => {
      const crm = f.CRm;
      if (kind === "isb") return crm === 15 ? "isb" : insn("isb", `#${hex(crm)}`);
      if (kind === "dsb" && crm === 0) return "ssbb";
      if (kind === "dsb" && crm === 4) return "pssbb";
      return insn(kind, BARRIER_OPTIONS.get(crm) ?? `#0x${crm.toString(16).padStart(2, "0")}`);
    },
  };
}

const mrs: Semantics = {
  check: (f) =>
    SYSREG_NAMES.has(f.sysreg)
      ? undefined
      : {
          kind: "unsupported",
          reason: `MRS of system register ${hex(f.sysreg)} the harness does not define`,
        },
  build: (f, pc) => {
    const t = f.Rt;
    const key = f.sysreg;
    return {
      exec: (m) => {
        if (t !== 31) m.x[t] = m.sysregs.get(key) ?? 0n;
        return pc + 4;
      },
      reads: [],
      writes: t === 31 ? [] : [t],
      branch: "none",
    };
  },
  text: (f) => insn("mrs", `${reg(f.Rt, 1, "zr")}, ${SYSREG_NAMES.get(f.sysreg)}`),
};

export const BRANCH_SYSTEM = {
  B: unconditional(false),
  BL: unconditional(true),
  B_cond: bCond,
  CBZ: compareBranch(false),
  CBNZ: compareBranch(true),
  TBZ: testBranch(false),
  TBNZ: testBranch(true),
  BR: indirect("br"),
  BLR: indirect("blr"),
  RET: indirect("ret"),
  BRK: trap("brk"),
  UDF: trap("udf"),
  NOP: hint(() => 0),
  PACIASP: hint(() => 25),
  AUTIASP: hint(() => 29),
  BTI: hint((f) => 32 | (f.targets << 1)),
  HINT: hint((f) => f.hint),
  DSB: barrier("dsb"),
  DMB: barrier("dmb"),
  ISB: barrier("isb"),
  MRS: mrs,
} as const satisfies Record<string, Semantics>;
