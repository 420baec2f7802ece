/**
 * Bit helpers of the Arm ARM pseudocode (Arm DDI 0487, "J1.3 Shared pseudocode" / "shared/functions").
 * Each function names the pseudocode function it implements. Register values are bigint, unsigned,
 * 64 bits wide (BigInt.asUintN(64, ...)); instruction words and fields are numbers.
 */

export const MASK32 = 0xffff_ffffn;

/** `word<hi:lo>` on a 32-bit instruction word (Arm ARM bitslice notation). */
export function extract(word: number, lo: number, width: number): number {
  return width === 32 ? word >>> 0 : ((word >>> lo) & ((1 << width) - 1)) >>> 0;
}

/** SignExtend(x, N) for a field of `width` bits held in a number (shared/functions/common/SignExtend). */
export function signExtend(value: number, width: number): number {
  const shift = 32 - width;
  return (value << shift) >> shift;
}

/** Ones(N) (shared/functions/common/Ones). */
export function ones(n: number): bigint {
  return (1n << BigInt(n)) - 1n;
}

/** ROR(x, shift) on an N-bit value (shared/functions/common/ROR). */
export function ror(value: bigint, shift: number, width: number): bigint {
  const s = shift % width;
  if (s === 0) return value;
  const w = BigInt(width);
  const sb = BigInt(s);
  return ((value >> sb) | (value << (w - sb))) & ones(width);
}

/** Replicate(x, N) of an esize-bit element to `width` bits (shared/functions/common/Replicate). */
export function replicate(value: bigint, esize: number, width: number): bigint {
  let out = 0n;
  for (let pos = 0; pos < width; pos += esize) out |= value << BigInt(pos);
  return out;
}

/** HighestSetBit(x) of a small number (shared/functions/common/HighestSetBit); -1 for zero. */
export function highestSetBit(value: number, width: number): number {
  for (let i = width - 1; i >= 0; i--) if ((value >>> i) & 1) return i;
  return -1;
}

export interface BitMasks {
  readonly wmask: bigint;
  readonly tmask: bigint;
}

/**
 * DecodeBitMasks(immN, imms, immr, immediate, M) (aarch64/instrs/integer/bitmasks/DecodeBitMasks).
 * Returns undefined where the pseudocode says UNDEFINED (reserved element size, or all-ones S
 * for a logical immediate).
 */
export function decodeBitMasks(
  immN: number,
  imms: number,
  immr: number,
  immediate: boolean,
  datasize: 32 | 64,
): BitMasks | undefined {
  const len = highestSetBit((immN << 6) | (~imms & 0x3f), 7);
  if (len < 1) return undefined;
  const levels = (1 << len) - 1;
  if (immediate && (imms & levels) === levels) return undefined;
  const s = imms & levels;
  const r = immr & levels;
  const diff = (s - r) & levels;
  const esize = 1 << len;
  if (esize > datasize) return undefined;
  const d = diff & levels;
  const welem = ones(s + 1);
  const telem = ones(d + 1);
  return {
    wmask: replicate(ror(welem, r, esize), esize, datasize),
    tmask: replicate(telem, esize, datasize),
  };
}

/** BFXPreferred(sf, uns, imms, immr) (aarch64/instrs/integer/bitfield/BFXPreferred). */
export function bfxPreferred(sf: number, uns: number, imms: number, immr: number): boolean {
  if (imms < immr) return false;
  if (imms === (sf << 5) + 31) return false;
  if (immr === 0) {
    if (sf === 0 && (imms === 7 || imms === 15)) return false;
    if (sf === 1 && uns === 0 && (imms === 7 || imms === 15 || imms === 31)) return false;
  }
  return true;
}

/** ConditionHolds(cond) over PSTATE.NZCV packed as N<<3|Z<<2|C<<1|V (shared/functions/system/ConditionHolds). */
export function conditionHolds(cond: number, nzcv: number): boolean {
  const n = (nzcv >> 3) & 1;
  const z = (nzcv >> 2) & 1;
  const c = (nzcv >> 1) & 1;
  const v = nzcv & 1;
  let result: boolean;
  switch (cond >> 1) {
    case 0:
      result = z === 1;
      break;
    case 1:
      result = c === 1;
      break;
    case 2:
      result = n === 1;
      break;
    case 3:
      result = v === 1;
      break;
    case 4:
      result = c === 1 && z === 0;
      break;
    case 5:
      result = n === v;
      break;
    case 6:
      result = n === v && z === 0;
      break;
    default:
      result = true;
  }
  return (cond & 1) === 1 && cond !== 15 ? !result : result;
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
