/**
 * The executor against qemu-aarch64 on random straight-line code: several thousand instructions
 * drawn from the table's fields (every data-processing encoding, every non-writeback load/store
 * form on a data buffer, literal loads, hints, barriers), run once under
 * `qemu-aarch64 -cpu cortex-a72 -singlestep -d cpu,nochain` and once on the simulated core; the
 * register file and NZCV must agree before every instruction.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { wordsToBytes, writeElf } from "../elf/write.ts";
import { Code, runCore } from "./core.ts";
import { decode, disassemble } from "./decode.ts";
import { ENCODINGS, type Encoding, type FieldName } from "./encodings.ts";
import { Machine } from "./machine.ts";
import { Memory } from "./memory.ts";
import { randomWordFor, xorshift32 } from "./random.ts";

const QEMU = "qemu-aarch64";
const haveQemu = spawnSync(QEMU, ["--version"], { encoding: "utf8" }).status === 0;
if (!haveQemu) console.warn(`skipped: ${QEMU} not found; the executor is not compared with qemu`);

const TEXT = 0x40_0000;
const DATA = 0x100_0000;
const DATA_SIZE = 0x2_0000;
const BASE_REG = 28;
const INDEX_REG = 27;
const BODY = 20_000;
const POOL_WORDS = 64;

/** Encodings left out of random straight-line code, with the reason (dynarmic's do_not_test list). */
const DO_NOT_TEST: Readonly<Partial<Record<Encoding["name"], string>>> = {
  B: "control flow",
  BL: "control flow",
  B_cond: "control flow",
  CBZ: "control flow",
  CBNZ: "control flow",
  TBZ: "control flow",
  TBNZ: "control flow",
  BR: "control flow",
  BLR: "control flow",
  RET: "control flow",
  BRK: "traps",
  UDF: "traps",
  HINT: "WFI/WFE/YIELD and friends may block or trap at EL0",
  MRS: "SP_EL0/TPIDR_EL1 trap at EL0",
};

function field(enc: Encoding, name: FieldName): { lo: number; width: number } | undefined {
  return enc.fields.find((f) => f.name === name);
}

function setField(word: number, enc: Encoding, name: FieldName, value: number): number {
  const f = field(enc, name);
  if (f === undefined) return word;
  const mask = ((1 << f.width) - 1) << f.lo;
  return ((word & ~mask) | ((value << f.lo) & mask)) >>> 0;
}

const isMemory = (name: string): boolean => /^(LD|ST)/.test(name);
const isWriteback = (name: string): boolean => /_(pre|post)$/.test(name);
const isLiteral = (name: string): boolean => name.endsWith("_lit");

/** Random straight-line code: loads/stores address the data buffer through x28 (and x27 as index). */
function randomBody(seed: number, poolAddr: number): number[] {
  const next = xorshift32(seed);
  const eligible = ENCODINGS.filter((e) => DO_NOT_TEST[e.name] === undefined && !isWriteback(e.name));
  const words: number[] = [];
  while (words.length < BODY) {
    const enc = eligible[next() % eligible.length]!;
    const pc = TEXT + 4 * words.length + 4 * 32;
    let word = randomWordFor(enc, next);
    if (isMemory(enc.name) && !isLiteral(enc.name)) {
      word = setField(word, enc, "Rn", BASE_REG);
      word = setField(word, enc, "Rm", INDEX_REG);
    }
    if (isLiteral(enc.name))
      word = setField(word, enc, "imm", (poolAddr + 4 * (next() % (POOL_WORDS - 2)) - pc) >> 2);
    const decoded = decode(word, pc);
    if (!decoded.ok) continue;
    if (decoded.writes.some((r) => r === BASE_REG || r === INDEX_REG)) continue;
    // LDP with Rt == Rt2 is CONSTRAINED UNPREDICTABLE (Arm ARM C6.2 LDP): the value is UNKNOWN.
    if (/^LDP/.test(decoded.name) && decoded.fields.Rt === decoded.fields.Rt2) continue;
    words.push(word);
  }
  return words;
}

interface State {
  readonly pc: number;
  readonly regs: readonly bigint[];
  readonly nzcv: number;
}

function parseQemuLog(log: string): State[] {
  const states: State[] = [];
  for (const chunk of log.split(" PC=").slice(1)) {
    const regs: bigint[] = [];
    for (const m of chunk.matchAll(/X\d\d=([0-9a-f]{16})/g)) regs.push(BigInt(`0x${m[1]}`));
    regs.push(BigInt(`0x${/SP=([0-9a-f]{16})/.exec(chunk)![1]}`));
    const pstate = Number.parseInt(/PSTATE=([0-9a-f]{8})/.exec(chunk)![1]!, 16);
    states.push({ pc: Number.parseInt(chunk.slice(0, 16), 16), regs, nzcv: pstate >>> 28 });
  }
  return states;
}

function interesting(next: () => number): bigint {
  const picks = [
    0n,
    1n,
    0x7fff_ffffn,
    0x8000_0000n,
    0xffff_ffffn,
    0xffff_ffff_ffff_ffffn,
    0x8000_0000_0000_0000n,
  ];
  const r = next() % 4;
  if (r === 0) return picks[next() % picks.length]!;
  if (r === 1) return BigInt(next() & 0xff);
  return (BigInt(next()) << 32n) | BigInt(next());
}

describe("executor vs qemu-aarch64 on random straight-line code", () => {
  it.skipIf(!haveQemu)(`${BODY} random instructions: registers and NZCV before every instruction`, () => {
    const next = xorshift32(0xc0de);
    const init = Array.from({ length: 31 }, () => interesting(next));
    init[BASE_REG] = BigInt(DATA + DATA_SIZE / 2);
    init[INDEX_REG] = 0x48n;
    const sp = BigInt(DATA + 0x100);
    // Prologue: sp through x0, then ldr x1..x30 from the literal table; table and pool follow the epilogue.
    const prologueLength = 32;
    const bodyStart = TEXT + 4 * prologueLength;
    const epilogue = bodyStart + 4 * BODY;
    const table = epilogue + 12;
    const pool = table + 8 * 32;
    const body = randomBody(0x5eed, pool);
    const ldrLit = (rt: number, target: number, pc: number): number =>
      (0x58000000 | (((target - pc) >> 2) << 5) | rt) >>> 0;
    const prologue: number[] = [];
    prologue.push(ldrLit(0, table + 8 * 31, TEXT), 0x9100001f); // ldr x0, =sp ; mov sp, x0
    for (let r = 1; r <= 30; r++) prologue.push(ldrLit(r, table + 8 * r, TEXT + 4 * prologue.length));
    expect(prologue.length).toBe(prologueLength);
    const words = [...prologue, ...body, 0xd2800000, 0xd2800ba8, 0xd4000001]; // exit(0)
    const literals = new Uint8Array(8 * 32 + 4 * POOL_WORDS);
    const lv = new DataView(literals.buffer);
    init.forEach((v, r) => {
      lv.setBigUint64(8 * r, v, true);
    });
    lv.setBigUint64(8 * 31, sp, true);
    for (let i = 0; i < POOL_WORDS; i++) lv.setUint32(8 * 32 + 4 * i, next(), true);
    const text = new Uint8Array([...wordsToBytes(words), ...literals]);
    expect(TEXT + 4 * words.length).toBe(table);
    const data = new Uint8Array(DATA_SIZE);
    for (let i = 0; i < DATA_SIZE; i += 4) new DataView(data.buffer).setUint32(i, next(), true);

    // Simulator: same image, starting after the prologue with the registers it loads.
    const mem = new Memory();
    mem.map("text", TEXT, text.length, "rx", text);
    mem.map("data", DATA, DATA_SIZE, "rw", data);
    const m = new Machine(mem);
    init.forEach((v, r) => {
      m.x[r] = v;
    });
    m.x[0] = sp;
    m.x[31] = sp;
    m.nzcv = 0b0100;
    const sim: State[] = [];
    const result = runCore([new Code({ vaddr: TEXT, bytes: text }, new Map())], m, bodyStart, {
      stopAt: epilogue,
      maxSteps: BODY + 1,
      name: "random",
      onState: (pc, machine) => sim.push({ pc, regs: machine.x.slice(), nzcv: machine.nzcv }),
    });
    expect(result).toEqual({ ok: true, steps: BODY });

    const dir = mkdtempSync(join(tmpdir(), "exitwork-exec-"));
    try {
      const elf = writeElf({
        entry: TEXT,
        segments: [
          { vaddr: TEXT, bytes: text, flags: 5 },
          { vaddr: DATA, bytes: data, flags: 6 },
        ],
      });
      writeFileSync(join(dir, "r.elf"), elf, { mode: 0o755 });
      const run = spawnSync(
        QEMU,
        [
          "-cpu",
          "cortex-a72",
          "-singlestep",
          "-d",
          "cpu,nochain",
          "-D",
          join(dir, "q.log"),
          join(dir, "r.elf"),
        ],
        {
          encoding: "utf8",
        },
      );
      expect(run.status, run.stderr).toBe(0);
      const ref = parseQemuLog(readFileSync(join(dir, "q.log"), "utf8")).filter(
        (s) => s.pc >= bodyStart && s.pc <= epilogue,
      );
      expect(ref).toHaveLength(sim.length);
      const names = [
        "x0",
        "x1",
        "x2",
        "x3",
        "x4",
        "x5",
        "x6",
        "x7",
        "x8",
        "x9",
        "x10",
        "x11",
        "x12",
        "x13",
        "x14",
        "x15",
      ];
      for (let i = 0; i < sim.length; i++) {
        const a = sim[i]!;
        const b = ref[i]!;
        const same = a.pc === b.pc && a.nzcv === b.nzcv && a.regs.every((v, r) => v === b.regs[r]);
        if (same) continue;
        const prev = i > 0 ? sim[i - 1]!.pc : bodyStart;
        const word = new DataView(text.buffer).getUint32(prev - TEXT, true);
        const rows = a.regs
          .map((v, r) => [r === 31 ? "sp" : (names[r] ?? `x${r}`), v, b.regs[r]!] as const)
          .filter(([, x, y]) => x !== y)
          .map(
            ([n, x, y]) =>
              `* ${n.padEnd(4)} ${x.toString(16).padStart(16, "0")} ${y.toString(16).padStart(16, "0")}`,
          );
        if (a.nzcv !== b.nzcv)
          rows.push(`* nzcv ${a.nzcv.toString(2).padStart(4, "0")} ${b.nzcv.toString(2).padStart(4, "0")}`);
        expect.fail(
          `after ${word.toString(16).padStart(8, "0")} ${disassemble(word, prev)} at ${prev.toString(16)}:\n       simulator        qemu\n${rows.join("\n")}`,
        );
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
