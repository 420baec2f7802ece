/**
 * What the mca-compatible mode copies from a particular llvm-mca, beyond the scheduling model,
 * so that the cross-check compares timing logic rather than assembler front ends:
 *
 * - LLVM 16: XZR/WZR is an ordinary register to llvm-mca (`cmp` writes it, `mov x0, x1` =
 *   `orr x0, xzr, x1` reads it), so zero-register operands are dependencies. Checked with
 *   `llvm-mca-16 -timeline` (`cmp x9, #1; mov x0, x1`: the mov waits); LLVM 19 no longer does this.
 * - LLVM 19: `hint #25` / `hint #29` are PACIASP / AUTIASP, which use SP and LR and define LR.
 *
 * Neither is what the cores do; the front-end mode has neither.
 */
import { ENCODINGS, type EncodingName } from "../a64/encodings.ts";

/** LLVM versions whose llvm-mca the mca-compatible mode can reproduce. */
export type McaVersion = 16 | 19;

/** Register slot the timing model uses for XZR/WZR in the mca-compatible mode. */
export const REG_ZR = 33;

/** Encodings where register number 31 in Rd means SP (Arm ARM: the `<Xd|SP>` forms). */
const RD_IS_SP = new Set<EncodingName>([
  "ADD_imm",
  "SUB_imm",
  "AND_imm",
  "ORR_imm",
  "EOR_imm",
  "ADD_ext",
  "SUB_ext",
]);
/** Encodings where register number 31 in Rn means SP (the `<Xn|SP>` forms). */
const RN_IS_SP = new Set<EncodingName>([
  "ADD_imm",
  "ADDS_imm",
  "SUB_imm",
  "SUBS_imm",
  "ADD_ext",
  "ADDS_ext",
  "SUB_ext",
  "SUBS_ext",
]);

interface ZeroRegisterFields {
  /** Fields that read register 31 as ZR, as [lo, width]. */
  readonly reads: readonly (readonly [number, number])[];
  /** Fields that write register 31 as ZR. */
  readonly writes: readonly (readonly [number, number])[];
}

const ZR_FIELDS = new Map<string, ZeroRegisterFields>(
  ENCODINGS.map((encoding) => {
    const reads: [number, number][] = [];
    const writes: [number, number][] = [];
    const name = encoding.name;
    const isLoadStore = /^(LD|ST)/.test(name);
    const isLoad = name.startsWith("LD");
    for (const field of encoding.fields) {
      const at: [number, number] = [field.lo, field.width];
      switch (field.name) {
        case "Rd":
          if (!RD_IS_SP.has(name)) writes.push(at);
          break;
        case "Rn":
          if (!RN_IS_SP.has(name) && !isLoadStore) reads.push(at);
          break;
        case "Rm":
        case "Ra":
          reads.push(at);
          break;
        case "Rt":
        case "Rt2":
          if (isLoad || name === "MRS") writes.push(at);
          else reads.push(at);
          break;
        default:
          break;
      }
    }
    return [name, { reads, writes }] as const;
  }),
);

const isZr = (word: number, [lo, width]: readonly [number, number]): boolean =>
  ((word >>> lo) & ((1 << width) - 1)) === 31;

export const ZR_READ = 1;
export const ZR_WRITE = 2;

/** Whether an instruction reads (ZR_READ) and writes (ZR_WRITE) XZR/WZR: register number 31 as ZR. */
export function zeroRegisterUse(name: string, word: number): number {
  const fields = ZR_FIELDS.get(name);
  if (fields === undefined) return 0;
  let use = 0;
  for (const f of fields.reads) if (isZr(word, f)) use |= ZR_READ;
  for (const f of fields.writes) if (isZr(word, f)) use |= ZR_WRITE;
  return use;
}

/** PACIASP/AUTIASP as LLVM 19 defines them: Uses = [LR, SP], Defs = [LR]. */
export const PAC_HINTS: ReadonlySet<string> = new Set(["PACIASP", "AUTIASP"]);
