import { describe, expect, it } from "vitest";
import {
  decodeExit,
  decodeTif,
  decodeWork,
  IS_ERR_VALUE,
  regs_return_value,
  report_single_step,
  type SyscallWorkDecoded,
  scratchRegister,
  syscall_get_return_value,
  type TifDecoded,
} from "./decode.ts";
import { defaultInput } from "./state.ts";
import {
  SYSCALL_WORK_BITS,
  SYSCALL_WORK_EXIT,
  SYSCALL_WORK_SYSCALL_EMU,
  SYSCALL_WORK_SYSCALL_EXIT_TRAP,
  type SyscallWorkName,
  TIF_BITS,
  type TifName,
} from "./work.ts";

const u64 = (v: bigint) => BigInt.asUintN(64, v);

const WORK_FIELD = {
  SYSCALL_WORK_SECCOMP: "seccomp",
  SYSCALL_WORK_SYSCALL_TRACEPOINT: "tracepoint",
  SYSCALL_WORK_SYSCALL_TRACE: "trace",
  SYSCALL_WORK_SYSCALL_EMU: "emu",
  SYSCALL_WORK_SYSCALL_AUDIT: "audit",
  SYSCALL_WORK_SYSCALL_USER_DISPATCH: "syscallUserDispatch",
  SYSCALL_WORK_SYSCALL_EXIT_TRAP: "exitTrap",
  SYSCALL_WORK_SYSCALL_RSEQ_SLICE: "rseqSlice",
} as const satisfies Record<SyscallWorkName, keyof SyscallWorkDecoded>;

const TIF_FIELD = {
  TIF_SYSCALL_TRACE: "syscallTrace",
  TIF_SYSCALL_AUDIT: "syscallAudit",
  TIF_SYSCALL_TRACEPOINT: "syscallTracepoint",
  TIF_SECCOMP: "seccomp",
  TIF_SYSCALL_EMU: "syscallEmu",
  TIF_SINGLESTEP: "singlestep",
  TIF_32BIT: "is32bit",
} as const satisfies Record<TifName, keyof TifDecoded>;

describe("decodeWork", () => {
  it.each(SYSCALL_WORK_BITS.map((b) => [b.name, b] as const))("%s alone sets exactly its field", (_, b) => {
    const d = decodeWork(1n << BigInt(b.bit));
    const set = Object.values(WORK_FIELD).filter((f) => d[f]);
    expect(set).toEqual([WORK_FIELD[b.name]]);
    expect(d.exitWork).toBe(b.exit);
  });

  it("exitWork is work & SYSCALL_WORK_EXIT for all 256 low words, with bits 8..63 set or not", () => {
    for (let w = 0n; w < 256n; w++) {
      expect(decodeWork(w).exitWork).toBe((w & SYSCALL_WORK_EXIT) !== 0n);
      expect(decodeWork(w | (0xffff_ffff_ffff_ffn << 8n))).toEqual(decodeWork(w));
    }
  });

  it("decodeExit reads work, never workAtEntry", () => {
    const d = decodeExit(defaultInput({ work: 0n, workAtEntry: SYSCALL_WORK_EXIT }));
    expect(d.exitWork).toBe(false);
  });
});

describe("decodeTif", () => {
  it.each(TIF_BITS.map((b) => [b.name, b] as const))("%s alone sets exactly its field", (_, b) => {
    const d = decodeTif(1n << BigInt(b.bit));
    const set = Object.values(TIF_FIELD).filter((f) => d[f]);
    expect(set).toEqual([TIF_FIELD[b.name]]);
    // _TIF_SYSCALL_WORK holds TRACE, AUDIT, TRACEPOINT, SECCOMP and EMU; not SINGLESTEP nor 32BIT.
    expect(d.syscallWork).toBe(b.name !== "TIF_SINGLESTEP" && b.name !== "TIF_32BIT");
  });
});

describe("report_single_step", () => {
  it("is EXIT_TRAP without EMU, over all 256 low work words", () => {
    for (let w = 0n; w < 256n; w++) {
      const expected = (w & SYSCALL_WORK_SYSCALL_EXIT_TRAP) !== 0n && (w & SYSCALL_WORK_SYSCALL_EMU) === 0n;
      expect(report_single_step(w), `work=${w}`).toBe(expected);
    }
  });
});

describe("IS_ERR_VALUE", () => {
  it.each([
    [-1n, true],
    [-4095n, true],
    [-4096n, false],
    [0n, false],
    [1n, false],
    [0x7fff_ffff_ffff_ffffn, false],
    [u64(-1n), true],
    [u64(-4095n), true],
    [u64(-4096n), false],
    // A compat error as the 64-bit register holds it is not an error until sign-extended.
    [0xffff_fffen, false],
  ])("IS_ERR_VALUE(%s) is %s", (x, expected) => {
    expect(IS_ERR_VALUE(x)).toBe(expected);
  });
});

describe("return values", () => {
  it.each([
    [0x7fff_ffffn, 0x7fff_ffffn],
    [0x8000_0000n, -0x8000_0000n],
    [0xffff_f001n, -4095n],
    [0xffff_f000n, -4096n],
    [0xffff_ffffn, -1n],
    [0x1234_5678_0000_0001n, 1n],
  ])("compat: x0=%s is sign-extended from bit 31 to %s", (x0, expected) => {
    expect(regs_return_value({ x0 }, true)).toBe(expected);
    expect(syscall_get_return_value({ x0 }, true)).toBe(expected);
  });

  it.each([
    [0x7fff_ffffn, 0x7fff_ffffn],
    [0x8000_0000n, 0x8000_0000n],
    [u64(-4095n), -4095n],
    [u64(-4096n), -4096n],
    [0x1234_5678_0000_0001n, 0x1234_5678_0000_0001n],
  ])("AArch64: x0=%s is unchanged (as the signed long %s)", (x0, expected) => {
    expect(regs_return_value({ x0 }, false)).toBe(expected);
    expect(syscall_get_return_value({ x0 }, false)).toBe(expected);
  });

  it("scratch register is x7 for AArch64 and r12 for compat", () => {
    expect(scratchRegister(false)).toBe("x7");
    expect(scratchRegister(true)).toBe("r12");
  });
});
