/**
 * The simulated core against real AArch64 execution (qemu-aarch64, cortex-a72):
 * 1. effects and final pt_regs of every user-mode fixture over the whole exhaustive sweep, one
 *    qemu process per fixture (runQemu, src/harness/qemu.ts);
 * 2. on a sample of runs, the register file before every instruction (and at the return) equals
 *    `qemu-aarch64 -singlestep -d cpu,nochain` running the same kernel-build machine code.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SYSREGS } from "../a64/machine.ts";
import { formatEffects, formatFinalState } from "../kernel/effects.ts";
import { listFixtures } from "../kernel/fixtures.ts";
import { PT_REGS, regOffset, TASK } from "../kernel/layout.ts";
import type { ExitInput } from "../kernel/state.ts";
import { EXHAUSTIVE_INPUT_COUNT, exhaustiveInputs } from "./arbitraries.ts";
import { QEMU, QEMU_CPU, qemuAvailable, runQemu } from "./qemu.ts";
import {
  initialMemory,
  initialRegisters,
  isRunError,
  loadProgram,
  MEMORY_MAP,
  type Program,
  PT_REGS_ADDR,
  runExit,
} from "./run.ts";

const AS = "aarch64-linux-gnu-as";
const LD = "aarch64-linux-gnu-ld";

function toolPresent(tool: string): boolean {
  return spawnSync(tool, ["--version"], { encoding: "utf8" }).status === 0;
}

const haveQemu = qemuAvailable();
const haveBinutils = toolPresent(AS) && toolPresent(LD);
if (!haveQemu) console.warn(`skipped: ${QEMU} not found; the simulator is not cross-checked against qemu`);
if (haveQemu && !haveBinutils) console.warn(`skipped: ${AS}/${LD} not found; no register-trace cross-check`);

const inputs = [...exhaustiveInputs()];
const userFixtures = listFixtures().filter((f) => f.userElfPath !== undefined);

function program(id: string): Program {
  const p = loadProgram(id);
  if (isRunError(p)) throw new Error(`${p.code}: ${p.path}: ${p.message}`);
  return p;
}

describe("simulator vs qemu-aarch64: effects and final pt_regs over the exhaustive sweep", () => {
  it("covers the whole sweep", () => {
    expect(inputs.length).toBe(EXHAUSTIVE_INPUT_COUNT);
    expect(userFixtures.length).toBeGreaterThan(0);
  });

  for (const fixture of userFixtures) {
    it.skipIf(!haveQemu)(`${fixture.id}: ${EXHAUSTIVE_INPUT_COUNT} inputs`, () => {
      const sim = program(fixture.id);
      const qemu = runQemu(fixture.id, inputs);
      const diffs: string[] = [];
      inputs.forEach((input, i) => {
        const trace = runExit(sim, input);
        if (isRunError(trace)) {
          diffs.push(`input ${i}: ${trace.code} ${trace.message}`);
          return;
        }
        const mine = [...formatEffects(trace.effects), formatFinalState(trace.final)].join(" | ");
        const ref = [...formatEffects(qemu[i]!.effects), formatFinalState(qemu[i]!.final)].join(" | ");
        if (mine !== ref) diffs.push(`input ${i}\n  sim : ${mine}\n  qemu: ${ref}`);
      });
      expect(diffs.slice(0, 3)).toEqual([]);
    });
  }
});

/** One architectural state: pc, X0..X30, SP, NZCV. */
interface RegState {
  readonly pc: number;
  readonly regs: readonly bigint[];
  readonly nzcv: number;
}

function formatState(s: RegState): string[] {
  return [
    `pc=${s.pc.toString(16)}`,
    ...s.regs.map((v, n) => `${n === 31 ? "sp" : `x${n}`}=${v.toString(16)}`),
    `nzcv=${s.nzcv.toString(2).padStart(4, "0")}`,
  ];
}

/** The first differing state as two columns, `*` on each differing row (dynarmic's fuzz output shape). */
function firstDivergence(sim: readonly RegState[], ref: readonly RegState[]): string | undefined {
  const n = Math.max(sim.length, ref.length);
  for (let i = 0; i < n; i++) {
    const a = sim[i];
    const b = ref[i];
    const left = a ? formatState(a) : ["(ended)"];
    const right = b ? formatState(b) : ["(ended)"];
    if (left.join() === right.join()) continue;
    const rows = Array.from({ length: Math.max(left.length, right.length) }, (_, r) => {
      const l = left[r] ?? "";
      const rr = right[r] ?? "";
      return `${l === rr ? " " : "*"} ${l.padEnd(28)} ${rr}`;
    });
    return [`state ${i}:   simulator                    qemu`, ...rows].join("\n");
  }
  return undefined;
}

const MRS_SP_EL0 = 0xd5384100;
const MRS_TPIDR_EL0 = 0xd53bd040;

/**
 * A freestanding EL0 program around the kernel-build code: the fixture's segments at their own
 * addresses, the run's memory map, per-input setup stubs that store the same task_struct and
 * pt_regs fields and load the same registers as runExit, and two hook stubs (the syscall body
 * sets x0; the ptrace stop applies the tracer's writes, preserving every register). `mrs sp_el0`
 * is rewritten to `mrs tpidr_el0` (readable at EL0, holding the same task pointer).
 */
function traceProgramSource(p: Program, sample: readonly ExitInput[]): { asm: string; ld: string } {
  const lines: string[] = [];
  const ldLines: string[] = ["ENTRY(_start)", `exitwork_entry = 0x${p.entry.toString(16)};`, "SECTIONS {"];
  const sym = (name: string): number => p.image.symbols.get(name)!.value;
  const body = sym("exitwork_syscall_body");
  const ptrace = sym("ptrace_report_syscall_exit");
  p.image.segments.forEach((seg, i) => {
    const view = new DataView(seg.bytes.buffer, seg.bytes.byteOffset, seg.bytes.byteLength);
    lines.push(`.section .fx${i}, "${seg.executable ? "ax" : "aw"}"`);
    for (let off = 0; off + 4 <= seg.bytes.length; off += 4) {
      const addr = seg.vaddr + off;
      let word = view.getUint32(off, true);
      if (seg.executable && (word & 0xffffffe0) >>> 0 === MRS_SP_EL0)
        word = (MRS_TPIDR_EL0 | (word & 31)) >>> 0;
      if (addr === body) lines.push("b body_stub");
      else if (addr === ptrace) lines.push("b ptrace_stub");
      else lines.push(`.4byte 0x${word.toString(16)}`);
    }
    ldLines.push(`.fx${i} 0x${seg.vaddr.toString(16)} : { *(.fx${i}) }`);
  });
  lines.push('.section .task, "aw"', `.zero ${TASK.size}`);
  lines.push('.section .kstack, "aw"', `.zero ${MEMORY_MAP.stackSize}`);
  lines.push('.section .scs, "aw"', `.zero ${MEMORY_MAP.shadowCallStackSize}`);
  lines.push('.section .sentinel, "ax"', "ldr x1, =next_init", "ldr x1, [x1]", "br x1", ".ltorg");
  ldLines.push(`.task 0x${MEMORY_MAP.task.toString(16)} : { *(.task) }`);
  ldLines.push(`.kstack 0x${MEMORY_MAP.stackBase.toString(16)} : { *(.kstack) }`);
  ldLines.push(`.scs 0x${MEMORY_MAP.shadowCallStack.toString(16)} : { *(.scs) }`);
  ldLines.push(`.sentinel 0x${MEMORY_MAP.returnSentinel.toString(16)} : { *(.sentinel) }`);
  ldLines.push(".driver 0x1000000 : { *(.driver) }", ".ddata 0x2000000 : { *(.ddata) }", "}");

  const regs = initialRegisters();
  lines.push('.section .ddata, "aw"', ".balign 8", "next_init: .quad 0", "cur_tracer: .quad 0", "regfile:");
  for (const v of regs) lines.push(`.quad 0x${v.toString(16)}`);
  sample.forEach((input, i) => {
    const t = input.tracer;
    const flags =
      (t.kind === "write_x0" || t.kind === "write_both" ? 1 : 0) |
      (t.kind === "write_scratch" || t.kind === "write_both" ? 2 : 0);
    const tx0 = t.kind === "write_x0" || t.kind === "write_both" ? BigInt.asUintN(64, t.x0) : 0n;
    const ts = t.kind === "write_scratch" || t.kind === "write_both" ? BigInt.asUintN(64, t.scratch) : 0n;
    const scratchOff = regOffset(input.compat ? 12 : 7);
    lines.push(`tracer_${i}: .quad ${flags}, 0x${tx0.toString(16)}, 0x${ts.toString(16)}, ${scratchOff}`);
  });

  lines.push('.section .driver, "ax"', ".global _start", "_start:");
  lines.push(`ldr x1, =0x${MEMORY_MAP.task.toString(16)}`, "msr tpidr_el0, x1", "b init_0");
  const x0 = sample[0]!.regs.x0;
  lines.push("body_stub:", `ldr x0, =0x${BigInt.asUintN(64, x0).toString(16)}`, "ret");
  lines.push(
    "ptrace_stub:",
    "stp x16, x17, [sp, #-32]!",
    "str x15, [sp, #16]",
    "ldr x16, =cur_tracer",
    "ldr x16, [x16]",
    "ldr x17, [x16]",
    "tbz x17, #0, 1f",
    "ldr x15, [x16, #8]",
    "str x15, [x0]",
    "1: tbz x17, #1, 2f",
    "ldr x15, [x16, #16]",
    "ldr x17, [x16, #24]",
    "str x15, [x0, x17]",
    "2: ldr x15, [sp, #16]",
    "ldp x16, x17, [sp], #32",
    "ret",
    ".ltorg",
  );
  const store = (addr: number, size: 1 | 4 | 8, value: bigint): string[] => [
    `ldr x1, =0x${addr.toString(16)}`,
    `ldr x2, =0x${value.toString(16)}`,
    size === 8 ? "str x2, [x1]" : size === 4 ? "str w2, [x1]" : "strb w2, [x1]",
  ];
  sample.forEach((input, i) => {
    const mem = initialMemory(p, input);
    lines.push(`init_${i}:`);
    for (const off of [TASK.thread_info_flags, TASK.thread_info_syscall_work, TASK.audit_context]) {
      lines.push(...store(MEMORY_MAP.task + off, 8, mem.peek(MEMORY_MAP.task + off, 8)));
    }
    const od = MEMORY_MAP.task + TASK.syscall_dispatch_on_dispatch;
    lines.push(...store(od, 1, mem.peek(od, 1)));
    for (let n = 0; n < 31; n++) {
      lines.push(...store(PT_REGS_ADDR + regOffset(n), 8, mem.peek(PT_REGS_ADDR + regOffset(n), 8)));
    }
    lines.push(...store(PT_REGS_ADDR + PT_REGS.orig_x0, 8, mem.peek(PT_REGS_ADDR + PT_REGS.orig_x0, 8)));
    lines.push(...store(PT_REGS_ADDR + PT_REGS.syscallno, 4, mem.peek(PT_REGS_ADDR + PT_REGS.syscallno, 4)));
    lines.push("ldr x1, =cur_tracer", `ldr x2, =tracer_${i}`, "str x2, [x1]");
    lines.push(
      "ldr x1, =next_init",
      `ldr x2, =${i + 1 < sample.length ? `init_${i + 1}` : "done"}`,
      "str x2, [x1]",
    );
    lines.push("b load_and_enter", ".ltorg");
  });
  lines.push("load_and_enter:", "msr nzcv, xzr", "ldr x1, =regfile", "ldr x2, [x1, #248]", "mov sp, x2");
  for (let n = 2; n < 30; n += 2) lines.push(`ldp x${n}, x${n + 1}, [x1, #${n * 8}]`);
  lines.push("ldr x30, [x1, #240]", "ldp x0, x1, [x1]", `b exitwork_entry`);
  lines.push("done:", "mov x0, #0", "mov x8, #93", "svc #0", ".ltorg");
  return { asm: `${lines.join("\n")}\n`, ld: `${ldLines.join("\n")}\n` };
}

function parseQemuLog(log: string): RegState[] {
  const states: RegState[] = [];
  for (const chunk of log.split(" PC=").slice(1)) {
    const pc = Number.parseInt(chunk.slice(0, 16), 16);
    const regs: bigint[] = [];
    for (let n = 0; n < 31; n++) {
      const m = new RegExp(`X${n.toString().padStart(2, "0")}=([0-9a-f]{16})`).exec(chunk);
      regs.push(BigInt(`0x${m![1]}`));
    }
    regs.push(BigInt(`0x${/SP=([0-9a-f]{16})/.exec(chunk)![1]}`));
    const pstate = Number.parseInt(/PSTATE=([0-9a-f]{8})/.exec(chunk)![1]!, 16);
    states.push({ pc, regs, nzcv: pstate >>> 28 });
  }
  return states;
}

/** Every 337th input of the sweep: all tracer actions, both compat values, spread over the work words. */
const TRACE_SAMPLE = inputs.filter((_, i) => i % 337 === 0);

describe("simulator vs qemu-aarch64 -singlestep: the register file at every instruction", () => {
  const kernelFixtures = listFixtures({ mutants: false });
  for (const fixture of kernelFixtures) {
    it.skipIf(!haveQemu || !haveBinutils)(`${fixture.id}: ${TRACE_SAMPLE.length} runs`, () => {
      const p = program(fixture.id);
      const hooks = new Set(
        [
          "exitwork_syscall_body",
          "__audit_syscall_exit",
          "trace_sys_exit",
          "ptrace_report_syscall_exit",
          "rseq_syscall",
        ].map((h) => p.image.symbols.get(h)!.value),
      );
      const inCode = (pc: number): boolean =>
        pc === MEMORY_MAP.returnSentinel ||
        (!hooks.has(pc) &&
          p.image.segments.some((s) => s.executable && pc >= s.vaddr && pc < s.vaddr + s.memsz));

      const sim: RegState[] = [];
      for (const input of TRACE_SAMPLE) {
        const trace = runExit(p, input, {
          onState: (pc, m) => {
            if (inCode(pc)) sim.push({ pc, regs: m.x.slice(), nzcv: m.nzcv });
          },
        });
        expect(isRunError(trace), fixture.id).toBe(false);
      }

      const dir = mkdtempSync(join(tmpdir(), "exitwork-trace-"));
      // EXITWORK_KEEP_TRACE=1 keeps the generated program and qemu log for a failing comparison.
      if (process.env.EXITWORK_KEEP_TRACE) console.log(dir);
      try {
        const { asm, ld } = traceProgramSource(p, TRACE_SAMPLE);
        writeFileSync(join(dir, "t.s"), asm);
        writeFileSync(join(dir, "t.ld"), ld);
        const as = spawnSync(AS, ["-o", join(dir, "t.o"), join(dir, "t.s")], { encoding: "utf8" });
        expect(as.stderr).toBe("");
        const link = spawnSync(
          LD,
          [
            "-static",
            "-nostdlib",
            "--no-warn-rwx-segments",
            "-T",
            join(dir, "t.ld"),
            "-o",
            join(dir, "t.elf"),
            join(dir, "t.o"),
          ],
          { encoding: "utf8" },
        );
        expect(link.stderr).toBe("");
        const run = spawnSync(
          QEMU,
          [
            "-cpu",
            QEMU_CPU,
            "-singlestep",
            "-d",
            "cpu,nochain",
            "-D",
            join(dir, "q.log"),
            join(dir, "t.elf"),
          ],
          { encoding: "utf8" },
        );
        expect(run.status, run.stderr).toBe(0);
        const ref = parseQemuLog(readFileSync(join(dir, "q.log"), "utf8")).filter((s) => inCode(s.pc));
        expect(firstDivergence(sim, ref)).toBeUndefined();
        expect(sim.length).toBeGreaterThan(TRACE_SAMPLE.length * 5);
      } finally {
        if (!process.env.EXITWORK_KEEP_TRACE) rmSync(dir, { recursive: true, force: true });
      }
    });
  }
  it("reads SP_EL0 and TPIDR_EL0 as the same task pointer, so the rewrite keeps semantics", () => {
    expect(SYSREGS.sp_el0).not.toBe(SYSREGS.tpidr_el0);
  });
});
