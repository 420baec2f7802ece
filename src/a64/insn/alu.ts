/**
 * Register-operand helpers shared by the encodings: XZR reads and the read/write id lists of the
 * executed-instruction stream (stream.ts: 31 is SP, XZR never appears).
 */
import { REG_NZCV } from "../stream.ts";

/** X[n] where register 31 reads as zero (XZR/WZR). */
export function readZr(x: readonly bigint[], n: number): bigint {
  return n === 31 ? 0n : x[n]!;
}

/** Register ids, dropping register 31 when it is XZR (never a dependency). */
export function ids(...regs: readonly (number | false)[]): number[] {
  const out: number[] = [];
  for (const r of regs) if (r !== false && !out.includes(r)) out.push(r);
  return out;
}

export function zrId(n: number): number | false {
  return n === 31 ? false : n;
}

export const NZCV = REG_NZCV;
