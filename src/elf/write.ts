/**
 * A minimal ELF64 LE AArch64 executable writer: PT_LOAD segments and an optional symbol table.
 * Tests use it for hand-made (and deliberately broken) inputs, and the qemu cross-check builds its
 * freestanding programs with it.
 */

export interface SegmentSpec {
  readonly vaddr: number;
  readonly bytes: Uint8Array;
  /** Zero-filled size in memory (>= bytes.length). */
  readonly memsz?: number;
  /** PF_R=4, PF_W=2, PF_X=1. */
  readonly flags: number;
}

export interface SymbolSpec {
  readonly name: string;
  readonly value: number;
  readonly size?: number;
  /** STT_FUNC=2 by default. */
  readonly type?: number;
}

export interface ElfSpec {
  readonly entry: number;
  readonly segments: readonly SegmentSpec[];
  readonly symbols?: readonly SymbolSpec[];
}

const EHDR = 64;
const PHDR = 56;
const SHDR = 64;
const SYM = 24;
const PAGE = 0x1000;

function align(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}

export function writeElf(spec: ElfSpec): Uint8Array {
  const symbols = spec.symbols ?? [];
  const phoff = EHDR;
  let offset = align(phoff + PHDR * spec.segments.length, PAGE);
  // Segment file offsets are congruent to their vaddr modulo the page size, as loaders expect.
  const placed = spec.segments.map((s) => {
    const off = offset + ((((s.vaddr - offset) % PAGE) + PAGE) % PAGE);
    offset = off + s.bytes.length;
    return off;
  });
  const strtab: number[] = [0];
  const nameOffsets = symbols.map((s) => {
    const at = strtab.length;
    for (const ch of new TextEncoder().encode(s.name)) strtab.push(ch);
    strtab.push(0);
    return at;
  });
  const shstrtab = [0, ...new TextEncoder().encode(".symtab\0.strtab\0")];
  const symOff = align(offset, 8);
  const symSize = SYM * (symbols.length + 1);
  const strOff = symOff + symSize;
  const shstrOff = strOff + strtab.length;
  const shoff = align(shstrOff + shstrtab.length, 8);
  const withSections = symbols.length > 0;
  const total = withSections ? shoff + SHDR * 4 : offset;
  const out = new Uint8Array(total);
  const v = new DataView(out.buffer);
  out.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]);
  v.setUint16(16, 2, true);
  v.setUint16(18, 183, true);
  v.setUint32(20, 1, true);
  v.setBigUint64(24, BigInt(spec.entry), true);
  v.setBigUint64(32, BigInt(phoff), true);
  v.setBigUint64(40, BigInt(withSections ? shoff : 0), true);
  v.setUint16(52, EHDR, true);
  v.setUint16(54, PHDR, true);
  v.setUint16(56, spec.segments.length, true);
  v.setUint16(58, SHDR, true);
  v.setUint16(60, withSections ? 4 : 0, true);
  v.setUint16(62, withSections ? 3 : 0, true);
  spec.segments.forEach((s, i) => {
    const ph = phoff + i * PHDR;
    v.setUint32(ph, 1, true);
    v.setUint32(ph + 4, s.flags, true);
    v.setBigUint64(ph + 8, BigInt(placed[i]!), true);
    v.setBigUint64(ph + 16, BigInt(s.vaddr), true);
    v.setBigUint64(ph + 24, BigInt(s.vaddr), true);
    v.setBigUint64(ph + 32, BigInt(s.bytes.length), true);
    v.setBigUint64(ph + 40, BigInt(Math.max(s.memsz ?? 0, s.bytes.length)), true);
    v.setBigUint64(ph + 48, BigInt(PAGE), true);
    out.set(s.bytes, placed[i]!);
  });
  if (!withSections) return out;
  symbols.forEach((s, i) => {
    const at = symOff + SYM * (i + 1);
    v.setUint32(at, nameOffsets[i]!, true);
    out[at + 4] = 0x10 | (s.type ?? 2);
    v.setUint16(at + 6, 0xfff1, true);
    v.setBigUint64(at + 8, BigInt(s.value), true);
    v.setBigUint64(at + 16, BigInt(s.size ?? 0), true);
  });
  out.set(strtab, strOff);
  out.set(shstrtab, shstrOff);
  const section = (
    index: number,
    name: number,
    type: number,
    off: number,
    size: number,
    link: number,
    entsize: number,
  ): void => {
    const sh = shoff + index * SHDR;
    v.setUint32(sh, name, true);
    v.setUint32(sh + 4, type, true);
    v.setBigUint64(sh + 24, BigInt(off), true);
    v.setBigUint64(sh + 32, BigInt(size), true);
    v.setUint32(sh + 40, link, true);
    v.setUint32(sh + 44, 1, true);
    v.setBigUint64(sh + 56, BigInt(entsize), true);
  };
  section(1, 1, 2, symOff, symSize, 2, SYM);
  section(2, 9, 3, strOff, strtab.length, 0, 0);
  section(3, 0, 3, shstrOff, shstrtab.length, 0, 0);
  return out;
}

/** Little-endian bytes of instruction words. */
export function wordsToBytes(words: readonly number[]): Uint8Array {
  const out = new Uint8Array(words.length * 4);
  const v = new DataView(out.buffer);
  words.forEach((w, i) => {
    v.setUint32(i * 4, w >>> 0, true);
  });
  return out;
}
