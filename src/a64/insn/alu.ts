/**
 * Operand helpers shared by the data-processing encodings (Arm ARM aarch64/instrs/integer/...).
 */
import { REG_NZCV } from "../stream.ts";

export const MASK32 = 0xffff_ffffn;

/** X[n] where register 31 reads as zero (XZR/WZR). */
export function readZr(x: readonly bigint[], n: number): bigint {
  return n === 31 ? 0n : x[n]!;
}

/** Datasize truncation: the 32-bit forms write zeros into the upper half. */
export function trunc(value: bigint, sf: number): bigint {
  return sf ? BigInt.asUintN(64, value) : BigInt.asUintN(32, value);
}

/** ShiftReg(reg, shift_type, amount, N) (aarch64/instrs/integer/shiftreg/ShiftReg). Input already N bits. */
export function shiftReg(value: bigint, type: number, amount: number, sf: number): bigint {
  if (amount === 0) return value;
  const a = BigInt(amount);
  switch (type) {
    case 0:
      return trunc(value << a, sf);
    case 1:
      return value >> a;
    case 2:
      return sf
        ? BigInt.asUintN(64, BigInt.asIntN(64, value) >> a)
        : BigInt.asUintN(32, BigInt.asIntN(32, value) >> a);
    default: {
      const width = sf ? 64n : 32n;
      return trunc((value >> a) | (value << (width - a)), sf);
    }
  }
}

/** ExtendReg(reg, exttype, shift, N) (aarch64/instrs/extendreg/ExtendReg) on a 64-bit source value. */
export function extendReg(value: bigint, option: number, shift: number, sf: number): bigint {
  let v: bigint;
  switch (option) {
    case 0:
      v = value & 0xffn;
      break;
    case 1:
      v = value & 0xffffn;
      break;
    case 2:
      v = value & MASK32;
      break;
    case 3:
      v = value;
      break;
    case 4:
      v = BigInt.asUintN(64, BigInt.asIntN(8, value));
      break;
    case 5:
      v = BigInt.asUintN(64, BigInt.asIntN(16, value));
      break;
    case 6:
      v = BigInt.asUintN(64, BigInt.asIntN(32, value));
      break;
    default:
      v = value;
  }
  return trunc(v << BigInt(shift), sf);
}

/** NZCV of a logical result (N and Z from the value, C and V cleared). */
export function logicalFlags(result: bigint, sf: number): number {
  const n = sf ? Number(result >> 63n) : Number(result >> 31n);
  return (n << 3) | (result === 0n ? 4 : 0);
}

/** AddWithCarry(x, y, carry) (shared/functions/integer/AddWithCarry): x and y already N bits. */
export function addWithCarry(
  m: { nzcv: number },
  x: bigint,
  y: bigint,
  carry: number,
  sf: number,
  setFlags: boolean,
): bigint {
  const sum = x + y + (carry ? 1n : 0n);
  const result = trunc(sum, sf);
  if (setFlags) {
    const top = sf ? 63n : 31n;
    const n = Number(result >> top);
    const c = result === sum ? 0 : 1;
    const sx = Number(x >> top);
    const sy = Number(y >> top);
    const v = sx === sy && sx !== n ? 1 : 0;
    m.nzcv = (n << 3) | (result === 0n ? 4 : 0) | (c << 1) | v;
  }
  return result;
}

/** Register ids, dropping register 31 when it is XZR (never a dependency). */
export function ids(...regs: readonly (number | false)[]): number[] {
  return regs.filter((r): r is number => r !== false);
}

export function zrId(n: number): number | false {
  return n === 31 ? false : n;
}

export const NZCV = REG_NZCV;
