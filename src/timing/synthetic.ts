/**
 * Hand-built executed-instruction streams with their assembly text, for the timing model's own
 * tests, properties and benchmark: random straight-line code over the instruction forms the exit
 * path uses, without needing the functional core. Words carry the fields timing reads (shift
 * amount, sf, EXTR's registers, register 31 where the text has XZR); everything else is zero.
 */
import fc from "fast-check";
import { type BranchKind, type ExecutedInsn, type MemAccess, REG_NZCV, REG_SP } from "../a64/stream.ts";

export interface SyntheticInsn {
  readonly insn: ExecutedInsn;
  /** llvm-mca-16 accepted assembly (PAC and BTI as `hint #n`). */
  readonly text: string;
}

/** One instruction form: fields in, executed instruction and text out. */
export interface Form {
  readonly name: string;
  build(a: number, b: number, c: number, pc: number): SyntheticInsn;
}

/** A small register pool, so random code has dependencies. */
const POOL = [0, 1, 2, 3, 19, 20] as const;
const reg = (n: number): number => POOL[n % POOL.length]!;
const x = (r: number): string => `x${r}`;
/** A few stack-like addresses, so stores and loads meet. */
const slot = (n: number): number => 0x8000 + 8 * (n % 4);

function make(
  pc: number,
  name: string,
  text: string,
  fields: {
    word?: number;
    reads?: number[];
    writes?: number[];
    mem?: MemAccess[];
    branch?: BranchKind;
    taken?: boolean;
    nextPc?: number;
  },
): SyntheticInsn {
  return {
    insn: {
      pc,
      word: fields.word ?? 0,
      name,
      reads: fields.reads ?? [],
      writes: fields.writes ?? [],
      mem: fields.mem ?? [],
      branch: fields.branch ?? "none",
      taken: fields.taken ?? false,
      nextPc: fields.nextPc ?? pc + 4,
    },
    text,
  };
}

const SF = 0x8000_0000;
/** Register number 31 in a field where it means XZR. */
const ZR = 31;

export const FORMS: readonly Form[] = [
  {
    name: "add imm",
    build: (a, b, _c, pc) =>
      make(pc, "ADD_imm", `add ${x(reg(a))}, ${x(reg(b))}, #8`, { reads: [reg(b)], writes: [reg(a)] }),
  },
  {
    name: "add reg",
    build: (a, b, c, pc) =>
      make(pc, "ADD_shift", `add ${x(reg(a))}, ${x(reg(b))}, ${x(reg(c))}`, {
        word: SF,
        reads: [reg(b), reg(c)],
        writes: [reg(a)],
      }),
  },
  {
    name: "add lsl",
    build: (a, b, c, pc) =>
      make(pc, "ADD_shift", `add ${x(reg(a))}, ${x(reg(b))}, ${x(reg(c))}, lsl #3`, {
        word: SF | (3 << 10),
        reads: [reg(b), reg(c)],
        writes: [reg(a)],
      }),
  },
  {
    name: "mov",
    build: (a, b, _c, pc) =>
      make(pc, "ORR_shift", `mov ${x(reg(a))}, ${x(reg(b))}`, {
        word: SF | (reg(b) << 16) | (ZR << 5) | reg(a),
        reads: [reg(b)],
        writes: [reg(a)],
      }),
  },
  {
    name: "mov imm",
    build: (a, _b, _c, pc) => make(pc, "MOVZ", `mov ${x(reg(a))}, #118`, { word: SF, writes: [reg(a)] }),
  },
  {
    name: "mov sp",
    build: (_a, _b, _c, pc) => make(pc, "ADD_imm", "mov x29, sp", { reads: [REG_SP], writes: [29] }),
  },
  {
    name: "tst",
    build: (_a, b, _c, pc) =>
      make(pc, "ANDS_imm", `tst ${x(reg(b))}, #0x10`, {
        word: SF | (reg(b) << 5) | ZR,
        reads: [reg(b)],
        writes: [REG_NZCV],
      }),
  },
  {
    name: "cmp",
    build: (_a, b, c, pc) =>
      make(pc, "SUBS_shift", `cmp ${x(reg(b))}, ${x(reg(c))}`, {
        word: SF | (reg(c) << 16) | (reg(b) << 5) | ZR,
        reads: [reg(b), reg(c)],
        writes: [REG_NZCV],
      }),
  },
  {
    name: "csel",
    build: (a, b, c, pc) =>
      make(pc, "CSEL", `csel ${x(reg(a))}, ${x(reg(b))}, ${x(reg(c))}, ne`, {
        reads: [reg(b), reg(c), REG_NZCV],
        writes: [reg(a)],
      }),
  },
  {
    name: "sxtw",
    build: (a, b, _c, pc) =>
      make(pc, "SBFM", `sxtw ${x(reg(a))}, w${reg(b)}`, { word: SF, reads: [reg(b)], writes: [reg(a)] }),
  },
  {
    name: "mrs",
    build: (a, _b, _c, pc) => make(pc, "MRS", `mrs ${x(reg(a))}, sp_el0`, { writes: [reg(a)] }),
  },
  {
    name: "ldr",
    build: (a, b, c, pc) =>
      make(pc, "LDR_imm_uoff", `ldr ${x(reg(a))}, [${x(reg(b))}, #${8 * (c % 4)}]`, {
        word: SF,
        reads: [reg(b)],
        writes: [reg(a)],
        mem: [{ addr: slot(c), size: 8, store: false }],
      }),
  },
  {
    name: "ldrb",
    build: (a, b, c, pc) =>
      make(pc, "LDRB_imm_uoff", `ldrb w${reg(a)}, [${x(reg(b))}, #${8 * (c % 4)}]`, {
        reads: [reg(b)],
        writes: [reg(a)],
        mem: [{ addr: slot(c), size: 1, store: false }],
      }),
  },
  {
    name: "str",
    build: (a, b, c, pc) =>
      make(pc, "STR_imm_uoff", `str ${x(reg(a))}, [${x(reg(b))}, #${8 * (c % 4)}]`, {
        word: SF,
        reads: [reg(a), reg(b)],
        mem: [{ addr: slot(c), size: 8, store: true }],
      }),
  },
  {
    name: "str regoff",
    build: (a, b, c, pc) =>
      make(pc, "STR_reg", `str ${x(reg(a))}, [${x(reg(b))}, w${reg(c)}, sxtw #3]`, {
        word: SF,
        reads: [reg(a), reg(b), reg(c)],
        mem: [{ addr: slot(a + c), size: 8, store: true }],
      }),
  },
  {
    name: "stp pre",
    build: (_a, _b, _c, pc) =>
      make(pc, "STP_pre", "stp x29, x30, [sp, #-32]!", {
        word: SF,
        reads: [29, 30, REG_SP],
        writes: [REG_SP],
        mem: [
          { addr: slot(0), size: 8, store: true },
          { addr: slot(1), size: 8, store: true },
        ],
      }),
  },
  {
    name: "stp",
    build: (a, b, _c, pc) =>
      make(pc, "STP_off", `stp ${x(reg(a))}, ${x(reg(b))}, [sp, #16]`, {
        word: SF,
        reads: [reg(a), reg(b), REG_SP],
        mem: [
          { addr: slot(2), size: 8, store: true },
          { addr: slot(3), size: 8, store: true },
        ],
      }),
  },
  {
    name: "ldp",
    build: (a, _b, _c, pc) =>
      make(pc, "LDP_off", `ldp ${x(reg(a))}, ${x(reg(a + 1))}, [sp, #16]`, {
        word: SF,
        reads: [REG_SP],
        writes: [reg(a), reg(a + 1)],
        mem: [
          { addr: slot(2), size: 8, store: false },
          { addr: slot(3), size: 8, store: false },
        ],
      }),
  },
  {
    name: "ldp post",
    build: (_a, _b, _c, pc) =>
      make(pc, "LDP_post", "ldp x29, x30, [sp], #32", {
        word: SF,
        reads: [REG_SP],
        writes: [29, 30, REG_SP],
        mem: [
          { addr: slot(0), size: 8, store: false },
          { addr: slot(1), size: 8, store: false },
        ],
      }),
  },
  {
    name: "paciasp",
    build: (_a, _b, _c, pc) => make(pc, "PACIASP", "hint #25", {}),
  },
  {
    name: "nop",
    build: (_a, _b, _c, pc) => make(pc, "NOP", "nop", {}),
  },
  {
    name: "b.ne",
    build: (_a, _b, c, pc) =>
      make(pc, "B_cond", "b.ne 1f\n1:", {
        reads: [REG_NZCV],
        branch: "conditional",
        taken: c % 2 === 0,
        nextPc: c % 2 === 0 ? pc + 64 : pc + 4,
      }),
  },
  {
    name: "tbnz",
    build: (_a, b, c, pc) =>
      make(pc, "TBNZ", `tbnz w${reg(b)}, #5, 1f\n1:`, {
        reads: [reg(b)],
        branch: "conditional",
        taken: c % 3 === 0,
        nextPc: c % 3 === 0 ? pc + 128 : pc + 4,
      }),
  },
  {
    name: "b",
    build: (_a, _b, _c, pc) => make(pc, "B", "b 1f\n1:", { branch: "direct", taken: true, nextPc: pc + 32 }),
  },
];

/** Lays out a list of (form, fields) as a stream: pcs follow each instruction's nextPc. */
export function layout(choices: readonly (readonly [number, number, number, number])[]): SyntheticInsn[] {
  let pc = 0x10000;
  return choices.map(([form, a, b, c]) => {
    const built = FORMS[form % FORMS.length]!.build(a, b, c, pc);
    pc = built.insn.nextPc;
    return built;
  });
}

/** A call to a leaf that only returns, as the fixtures' stubs are: BL then RET. */
export function callPair(pc: number, target: number): SyntheticInsn[] {
  return [
    make(pc, "BL", `bl 1f\n1:`, { writes: [30], branch: "call", taken: true, nextPc: target }),
    make(target, "RET", "ret", { reads: [30], branch: "return", taken: true, nextPc: pc + 4 }),
  ];
}

const choice = fc.tuple(fc.nat(FORMS.length - 1), fc.nat(63), fc.nat(63), fc.nat(63));

/** Random straight-line streams of the forms above. */
export function arbitraryStream(maxLength = 60): fc.Arbitrary<SyntheticInsn[]> {
  return fc.array(choice, { minLength: 1, maxLength }).map(layout);
}

/** A deterministic stream of `length` instructions, for the benchmark. */
export function repeatStream(length: number): ExecutedInsn[] {
  const out: ExecutedInsn[] = [];
  let seed = 12345;
  const next = (): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed >>> 8;
  };
  let pc = 0x10000;
  while (out.length < length) {
    if (next() % 16 === 0) {
      for (const { insn } of callPair(pc, 0x20000)) out.push(insn);
      pc += 4;
      continue;
    }
    const built = FORMS[next() % FORMS.length]!.build(next(), next(), next(), pc);
    out.push(built.insn);
    pc = built.insn.nextPc;
    if (pc > 0x18000) pc = 0x10000;
  }
  return out.slice(0, length);
}
