/**
 * ELF64 little-endian AArch64 loader: the PT_LOAD segments as a memory image and the symbol
 * table by name (System V gABI "Object Files", and the AArch64 ELF supplement for EM_AARCH64).
 * Every problem is a coded error value; nothing here throws.
 */
import type { ExitworkError } from "../errors.ts";

const EI_CLASS = 4;
const EI_DATA = 5;
const ELFCLASS64 = 2;
const ELFDATA2LSB = 1;
const EM_AARCH64 = 183;
const PT_LOAD = 1;
const SHT_SYMTAB = 2;
const PF_X = 1;
const PF_W = 2;
const PF_R = 4;
const ELF64_EHDR_SIZE = 64;
const ELF64_PHDR_SIZE = 56;
const ELF64_SHDR_SIZE = 64;
const ELF64_SYM_SIZE = 24;

export type ElfErrorCode =
  | "EXITWORK_ELF_TRUNCATED"
  | "EXITWORK_ELF_NOT_ELF"
  | "EXITWORK_ELF_CLASS"
  | "EXITWORK_ELF_ENDIANNESS"
  | "EXITWORK_ELF_MACHINE"
  | "EXITWORK_ELF_NO_SEGMENTS"
  | "EXITWORK_ELF_OVERLAP"
  | "EXITWORK_ELF_MISSING_SYMBOL";

export interface ElfError extends ExitworkError {
  readonly code: ElfErrorCode;
}

export interface Segment {
  readonly vaddr: number;
  readonly memsz: number;
  /** File bytes followed by zeros up to memsz. */
  readonly bytes: Uint8Array;
  readonly readable: boolean;
  readonly writable: boolean;
  readonly executable: boolean;
}

export interface ElfSymbol {
  readonly name: string;
  readonly value: number;
  readonly size: number;
  /** STT_* (0 notype, 1 object, 2 func, 3 section, 4 file). */
  readonly type: number;
}

export interface ElfImage {
  readonly path: string;
  readonly entry: number;
  readonly segments: readonly Segment[];
  readonly symbols: ReadonlyMap<string, ElfSymbol>;
}

export type ElfResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: ElfError };

function err(code: ElfErrorCode, path: string, message: string): { ok: false; error: ElfError } {
  return { ok: false, error: { code, path, message } };
}

function u64(view: DataView, off: number): number {
  return Number(view.getBigUint64(off, true));
}

/** Parses an ELF64 LE AArch64 file; `path` names it in errors. */
export function parseElf(bytes: Uint8Array, path: string): ElfResult<ElfImage> {
  if (bytes.length < 16)
    return err("EXITWORK_ELF_TRUNCATED", path, `${bytes.length} bytes: shorter than e_ident`);
  if (bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) {
    return err("EXITWORK_ELF_NOT_ELF", path, "no \\x7fELF magic");
  }
  if (bytes[EI_CLASS] !== ELFCLASS64) {
    return err("EXITWORK_ELF_CLASS", path, `EI_CLASS ${bytes[EI_CLASS]}: only ELFCLASS64 is supported`);
  }
  if (bytes[EI_DATA] !== ELFDATA2LSB) {
    return err("EXITWORK_ELF_ENDIANNESS", path, `EI_DATA ${bytes[EI_DATA]}: only little-endian is supported`);
  }
  if (bytes.length < ELF64_EHDR_SIZE) {
    return err("EXITWORK_ELF_TRUNCATED", path, `${bytes.length} bytes: shorter than the ELF64 header`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const machine = view.getUint16(18, true);
  if (machine !== EM_AARCH64)
    return err("EXITWORK_ELF_MACHINE", path, `e_machine ${machine}, not EM_AARCH64 (183)`);
  const entry = u64(view, 24);
  const phoff = u64(view, 32);
  const shoff = u64(view, 40);
  const phentsize = view.getUint16(54, true);
  const phnum = view.getUint16(56, true);
  const shentsize = view.getUint16(58, true);
  const shnum = view.getUint16(60, true);

  if (phnum > 0 && (phentsize < ELF64_PHDR_SIZE || phoff + phnum * phentsize > bytes.length)) {
    return err(
      "EXITWORK_ELF_TRUNCATED",
      `${path}#program-headers`,
      "program header table runs past the end of the file",
    );
  }
  const segments: Segment[] = [];
  for (let i = 0; i < phnum; i++) {
    const ph = phoff + i * phentsize;
    if (view.getUint32(ph, true) !== PT_LOAD) continue;
    const flags = view.getUint32(ph + 4, true);
    const offset = u64(view, ph + 8);
    const vaddr = u64(view, ph + 16);
    const filesz = u64(view, ph + 32);
    const memsz = u64(view, ph + 40);
    if (offset + filesz > bytes.length) {
      return err(
        "EXITWORK_ELF_TRUNCATED",
        `${path}#segment${i}`,
        `segment data [${offset}, +${filesz}) past the end`,
      );
    }
    if (memsz === 0) continue;
    const image = new Uint8Array(memsz);
    image.set(bytes.subarray(offset, offset + Math.min(filesz, memsz)));
    for (const s of segments) {
      if (vaddr < s.vaddr + s.memsz && s.vaddr < vaddr + memsz) {
        return err(
          "EXITWORK_ELF_OVERLAP",
          `${path}#segment${i}`,
          `segment at 0x${vaddr.toString(16)} (+0x${memsz.toString(16)}) overlaps the one at 0x${s.vaddr.toString(16)}`,
        );
      }
    }
    segments.push({
      vaddr,
      memsz,
      bytes: image,
      readable: (flags & PF_R) !== 0,
      writable: (flags & PF_W) !== 0,
      executable: (flags & PF_X) !== 0,
    });
  }
  if (segments.length === 0)
    return err("EXITWORK_ELF_NO_SEGMENTS", path, "no PT_LOAD segment (not a linked executable?)");

  const symbols = new Map<string, ElfSymbol>();
  if (shnum > 0) {
    if (shentsize < ELF64_SHDR_SIZE || shoff + shnum * shentsize > bytes.length) {
      return err(
        "EXITWORK_ELF_TRUNCATED",
        `${path}#section-headers`,
        "section header table runs past the end of the file",
      );
    }
    for (let i = 0; i < shnum; i++) {
      const sh = shoff + i * shentsize;
      if (view.getUint32(sh + 4, true) !== SHT_SYMTAB) continue;
      const symOff = u64(view, sh + 24);
      const symSize = u64(view, sh + 32);
      const strtab = shoff + view.getUint32(sh + 40, true) * shentsize;
      if (strtab + ELF64_SHDR_SIZE > bytes.length) {
        return err("EXITWORK_ELF_TRUNCATED", `${path}#symtab`, "string table header past the end");
      }
      const strOff = u64(view, strtab + 24);
      const strSize = u64(view, strtab + 32);
      if (symOff + symSize > bytes.length || strOff + strSize > bytes.length) {
        return err("EXITWORK_ELF_TRUNCATED", `${path}#symtab`, "symbol or string table past the end");
      }
      const decoder = new TextDecoder();
      for (let s = symOff; s + ELF64_SYM_SIZE <= symOff + symSize; s += ELF64_SYM_SIZE) {
        const nameOff = view.getUint32(s, true);
        if (nameOff === 0 || nameOff >= strSize) continue;
        let end = strOff + nameOff;
        while (end < strOff + strSize && bytes[end] !== 0) end++;
        const name = decoder.decode(bytes.subarray(strOff + nameOff, end));
        const info = bytes[s + 4]!;
        if (!symbols.has(name)) {
          symbols.set(name, { name, value: u64(view, s + 8), size: u64(view, s + 16), type: info & 0xf });
        }
      }
    }
  }
  return { ok: true, value: { path, entry, segments, symbols } };
}

/** The address of a symbol, or EXITWORK_ELF_MISSING_SYMBOL. */
export function symbolAddress(image: ElfImage, name: string): ElfResult<number> {
  const sym = image.symbols.get(name);
  if (sym === undefined)
    return err("EXITWORK_ELF_MISSING_SYMBOL", `${image.path}#${name}`, "symbol not in .symtab");
  return { ok: true, value: sym.value };
}
