import { describe, expect, it } from "vitest";
import { listFixtures, readFixture } from "../kernel/fixtures.ts";
import { parseElf, symbolAddress } from "./elf.ts";
import { wordsToBytes, writeElf } from "./write.ts";

const RET = 0xd65f03c0;

function good(): Uint8Array {
  return writeElf({
    entry: 0x10000,
    segments: [
      { vaddr: 0x10000, bytes: wordsToBytes([0xd503201f, RET]), flags: 5 },
      { vaddr: 0x20000, bytes: new Uint8Array([1, 2, 3]), memsz: 0x100, flags: 6 },
    ],
    symbols: [{ name: "start", value: 0x10000, size: 8 }],
  });
}

function patched(edit: (bytes: Uint8Array, view: DataView) => void): Uint8Array {
  const bytes = good();
  edit(bytes, new DataView(bytes.buffer));
  return bytes;
}

describe("ELF loader", () => {
  it("loads PT_LOAD segments (zero-filled to memsz) and symbols by name", () => {
    const result = parseElf(good(), "good.elf");
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const [text, data] = result.value.segments;
    expect(text).toMatchObject({ vaddr: 0x10000, memsz: 8, executable: true, writable: false });
    expect(new DataView(text!.bytes.buffer).getUint32(4, true)).toBe(RET);
    expect(data).toMatchObject({ vaddr: 0x20000, memsz: 0x100, writable: true, executable: false });
    expect([...data!.bytes.subarray(0, 5)]).toEqual([1, 2, 3, 0, 0]);
    expect(symbolAddress(result.value, "start")).toEqual({ ok: true, value: 0x10000 });
  });

  const bad: [string, Uint8Array, string][] = [
    ["empty file", new Uint8Array(0), "EXITWORK_ELF_TRUNCATED"],
    ["header cut at 40 bytes", good().subarray(0, 40), "EXITWORK_ELF_TRUNCATED"],
    ["segment data cut off", good().subarray(0, 0x1004), "EXITWORK_ELF_TRUNCATED"],
    ["no magic", patched((b) => b.set([0x7f, 0x45, 0x4c, 0x47])), "EXITWORK_ELF_NOT_ELF"],
    ["ELFCLASS32", patched((b) => (b[4] = 1)), "EXITWORK_ELF_CLASS"],
    ["big-endian", patched((b) => (b[5] = 2)), "EXITWORK_ELF_ENDIANNESS"],
    ["x86-64 machine", patched((_b, v) => v.setUint16(18, 62, true)), "EXITWORK_ELF_MACHINE"],
    ["no program headers", patched((_b, v) => v.setUint16(56, 0, true)), "EXITWORK_ELF_NO_SEGMENTS"],
    // Second program header (at 64 + 56) moved onto the first segment's addresses.
    [
      "overlapping segments",
      patched((_b, v) => v.setBigUint64(64 + 56 + 16, 0x10004n, true)),
      "EXITWORK_ELF_OVERLAP",
    ],
  ];
  for (const [what, bytes, code] of bad) {
    it(`rejects ${what} with ${code}, a path and a message`, () => {
      const result = parseElf(bytes, "bad.elf");
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.code).toBe(code);
      expect(result.error.path).toMatch(/^bad\.elf/);
      expect(result.error.message.length).toBeGreaterThan(0);
      expect(result.error).not.toHaveProperty("stack");
    });
  }

  it("reports a missing symbol as a coded error naming it", () => {
    const result = parseElf(good(), "good.elf");
    if (!result.ok) throw new Error("fixture ELF did not parse");
    expect(symbolAddress(result.value, "exitwork_el0_svc")).toEqual({
      ok: false,
      error: {
        code: "EXITWORK_ELF_MISSING_SYMBOL",
        path: "good.elf#exitwork_el0_svc",
        message: expect.any(String),
      },
    });
  });

  it("loads every committed kernel-build fixture with its entry and hook symbols", () => {
    for (const f of listFixtures()) {
      const result = parseElf(readFixture(f.id), f.id);
      expect(result.ok, f.id).toBe(true);
      if (!result.ok) continue;
      for (const name of [
        "exitwork_el0_svc",
        "exitwork_syscall_body",
        "__audit_syscall_exit",
        "trace_sys_exit",
      ]) {
        expect(symbolAddress(result.value, name).ok, `${f.id} ${name}`).toBe(true);
      }
    }
  });
});
