/**
 * The decoder: the data table (encodings.ts) bound to each encoding's semantics. A word decodes to
 * a DecodedInsn (closure + static read/write sets + text) or to a typed Undecodable naming the word
 * and address; it never throws.
 */
import { extract } from "./bits.ts";
import { ENCODINGS, type Encoding, type EncodingName, type FieldName } from "./encodings.ts";
import { BRANCH_SYSTEM } from "./insn/branch.ts";
import { DP_IMM } from "./insn/dpimm.ts";
import { DP_REG } from "./insn/dpreg.ts";
import { hex } from "./insn/format.ts";
import { LOAD_STORE } from "./insn/ldst.ts";
import type { Exec, Fields, Rejection, Semantics, Symbolizer } from "./insn/types.ts";
import type { BranchKind } from "./stream.ts";

export const SEMANTICS = {
  ...DP_IMM,
  ...DP_REG,
  ...LOAD_STORE,
  ...BRANCH_SYSTEM,
} as const satisfies Record<EncodingName, Semantics>;

/** Static, per-word facts: computed once per decoded word, shared by every execution of it. */
export interface DecodedInsn {
  readonly ok: true;
  readonly pc: number;
  readonly word: number;
  readonly name: EncodingName;
  readonly fields: Fields;
  readonly exec: Exec;
  readonly reads: readonly number[];
  readonly writes: readonly number[];
  readonly branch: BranchKind;
}

export interface Undecodable {
  readonly ok: false;
  readonly pc: number;
  readonly word: number;
  /** unallocated: no A64 instruction (objdump says `undefined`); unsupported: valid A64 outside the model. */
  readonly kind: "unallocated" | "unsupported";
  /** The encoding the word matched, if any. */
  readonly name: EncodingName | undefined;
  readonly reason: string;
}

/** Entries indexed by op0 = word<28:25> (Arm ARM C4.1 top-level decode), table order kept. */
const BUCKETS: readonly (readonly Encoding[])[] = Array.from({ length: 16 }, (_, op0) =>
  ENCODINGS.filter((e) => ((op0 << 25) & e.mask) >>> 0 === (e.value & (0xf << 25)) >>> 0),
);

export interface Match {
  readonly encoding: Encoding;
  readonly fields: Fields;
}

function extractFields(enc: Encoding, word: number): Fields {
  const fields: Partial<Record<FieldName, number>> = {};
  for (const f of enc.fields) fields[f.name] = extract(word, f.lo, f.width);
  return fields as Fields;
}

/** The table entry a word matches (first in its group), or undefined. */
export function match(word: number): Match | undefined {
  const bucket = BUCKETS[(word >>> 25) & 0xf]!;
  for (const enc of bucket) {
    if ((word & enc.mask) >>> 0 === enc.value) return { encoding: enc, fields: extractFields(enc, word) };
  }
  return undefined;
}

export function decode(word: number, pc: number): DecodedInsn | Undecodable {
  word >>>= 0;
  const found = match(word);
  if (found === undefined) {
    return { ok: false, pc, word, kind: "unallocated", name: undefined, reason: "no encoding matches" };
  }
  const name = found.encoding.name;
  const sem: Semantics = SEMANTICS[name];
  const rejected: Rejection | undefined = sem.check?.(found.fields);
  if (rejected !== undefined) return { ok: false, pc, word, name, ...rejected };
  const built = sem.build(found.fields, pc);
  return { ok: true, pc, word, name, fields: found.fields, ...built };
}

function wordHex(word: number): string {
  return `0x${word.toString(16).padStart(8, "0")}`;
}

/** objdump's raw-binary spelling of a target address. */
export const rawSymbolizer: Symbolizer = (addr) => hex(addr);

/**
 * The instruction's text exactly as `aarch64-linux-gnu-objdump -d` prints it after the word column
 * (mnemonic, tab, operands, comment). Undecodable words print like objdump's `.inst` lines; for
 * `unsupported` words objdump knows a name the model does not, so the text differs from objdump's.
 */
export function disassemble(word: number, pc: number, sym: Symbolizer = rawSymbolizer): string {
  word >>>= 0;
  const found = match(word);
  if (found !== undefined) {
    const sem: Semantics = SEMANTICS[found.encoding.name];
    const rejected = sem.check?.(found.fields);
    if (rejected === undefined) return sem.text(found.fields, pc, sym);
    if (rejected.kind === "unsupported") return `.inst\t${wordHex(word)} ; unsupported`;
  }
  return `.inst\t${wordHex(word)} ; undefined`;
}
