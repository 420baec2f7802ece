import { describe, expect, it } from "vitest";
import { wordsToBytes, writeElf } from "../elf/write.ts";
import { ExitworkFailure } from "../errors.ts";
import { syscallSweep } from "../kernel/entry/arbitraries.ts";
import { defaultSyscallInput, type SyscallInput } from "../kernel/entry/types.ts";
import { TASK } from "../kernel/layout.ts";
import { parseWorkNames } from "../kernel/work.ts";
import { cores, simulate } from "../timing/index.ts";
import { isRunError, MEMORY_MAP, type Program, type RunOptions } from "./run.ts";
import {
  encodeSyscallInput,
  loadSyscallProgram,
  runSyscall,
  runSyscallQemu,
  SVC_HOOKS,
  type SyscallTrace,
} from "./run-syscall.ts";

const SAMPLE = [...syscallSweep()].filter((_, i) => i % 61 === 0);
const work = (names: string) => parseWorkNames(names).work;

function load(id: string): Program {
  const p = loadSyscallProgram(id);
  if (isRunError(p)) throw new Error(`${p.code}: ${p.message}`);
  return p;
}

function trace(p: Program, input: SyscallInput, opts?: RunOptions): SyscallTrace {
  const t = runSyscall(p, input, opts);
  if (isRunError(t)) throw new Error(`${t.code}: ${t.path}: ${t.message}`);
  return t;
}

describe("runSyscall", () => {
  it("places each effect at the hook's ret, on_dispatch_cleared at the store, syscall_skipped where the exit side starts", () => {
    const p = load("svc-inline.clang.hardened");
    const hookAt = new Map(SVC_HOOKS.map((h) => [p.image.symbols.get(h)!.value, h]));
    const onDispatch = MEMORY_MAP.task + TASK.syscall_dispatch_on_dispatch;
    const exitSide = new Set(["__audit_syscall_exit", "trace_sys_exit", "ptrace_report_syscall_exit"]);
    let skipped = 0;
    for (const input of SAMPLE) {
      const t = trace(p, input, { collect: true });
      expect(t.insns).toHaveLength(t.steps);
      expect(t.effectIndex).toHaveLength(t.effects.length);
      t.effects.forEach((effect, k) => {
        const at = t.effectIndex[k]!;
        if (effect.kind === "syscall_skipped") {
          skipped++;
          const where = t.insns![at];
          // The first exit-side hook, the SUD gate's store, or the return (index === steps).
          if (where !== undefined)
            expect(
              exitSide.has(hookAt.get(where.pc) ?? "") || where.mem.some((m) => m.addr === onDispatch),
            ).toBe(true);
          else expect(at).toBe(t.steps);
        } else if (effect.kind === "on_dispatch_cleared")
          expect(t.insns![at]!.mem).toContainEqual(
            expect.objectContaining({ addr: onDispatch, store: true }),
          );
        else {
          expect(hookAt.get(t.insns![at]!.pc)).toBeDefined();
          expect(t.insns![at]!.name).toBe("RET");
        }
      });
    }
    expect(skipped).toBeGreaterThan(10);
  });

  it("gives the same trace whatever ran before on the same program (the sandbox is reset)", () => {
    const p = load("svc-ref.gcc.defconfig");
    const inputs = SAMPLE.slice(0, 24);
    const fresh = inputs.map((input) => trace(load("svc-ref.gcc.defconfig"), input));
    const reused = inputs.map((input) => trace(p, input));
    expect(reused).toEqual(fresh);
  });

  it("plays SUD, the entry tracer, seccomp and the probe as the kernel functions would", () => {
    const p = load("svc-exit-inline.gcc.defconfig");
    const t = trace(
      p,
      defaultSyscallInput({
        workAtEntry: work("USER_DISPATCH,TRACE,SECCOMP,TRACEPOINT"),
        work: work("TRACE"),
        auditContext: true,
        args: [0xa1n, 0xa2n, 0xa3n],
        regs: { x0: 5n, x7: 0x77n, x12: 0xccn, orig_x0: 0x1234n, syscallno: 172 },
        entryTracer: { kind: "set_nr", nr: 39 },
        tracepointNr: 20,
      }),
    );
    expect(t.effects).toEqual([
      { kind: "sud_dispatch", outcome: "allow" },
      { kind: "ptrace_entry", scratchReg: "x7", scratch: 0n, nr: 172 },
      { kind: "seccomp", nr: 39 },
      { kind: "sys_enter", nr: 39 },
      { kind: "audit_entry", nr: 20, args: [0x1234n, 0xa1n, 0xa2n, 0xa3n] },
      { kind: "syscall_body", nr: 20 },
      { kind: "audit_exit", success: true, returnCode: 5n },
      { kind: "ptrace_exit", step: false, scratchReg: "x7", x0: 5n, scratch: 1n },
    ]);
    expect(t.final).toEqual({
      regs: { x0: 5n, x7: 0x77n, x12: 0xccn, orig_x0: 0x1234n, syscallno: 20 },
      onDispatch: false,
    });
    expect(t.abi).toEqual({ ok: true, problems: [] });
  });

  it("collects a stream the timing model takes (the perf-bench API)", () => {
    const input = defaultSyscallInput({
      workAtEntry: work("AUDIT"),
      work: work("AUDIT"),
      auditContext: true,
    });
    const cycles = ["svc-ref", "svc-exit-inline", "svc-inline"].map((v) => {
      const t = trace(load(`${v}.gcc.defconfig`), input, { collect: true });
      return simulate(cores.tsv110, t.insns!, { mode: "steady", frontEnd: true }).totalCycles;
    });
    for (const c of cycles) expect(c).toBeGreaterThan(0);
  });

  it("returns coded errors for an unknown fixture, an exit-only ELF and the step limit", () => {
    expect(loadSyscallProgram("inline.gcc.defconfig")).toMatchObject({
      code: "EXITWORK_FIXTURE_UNKNOWN",
      path: "inline.gcc.defconfig",
    });
    const exitOnly = writeElf({
      entry: 0x10000,
      segments: [{ vaddr: 0x10000, bytes: wordsToBytes([0xd65f03c0]), flags: 5 }],
      symbols: [{ name: "exitwork_el0_svc", value: 0x10000 }],
    });
    expect(loadSyscallProgram(exitOnly, "exit.elf")).toMatchObject({
      code: "EXITWORK_ELF_MISSING_SYMBOL",
      path: "exit.elf#syscall_user_dispatch",
    });
    expect(
      runSyscall(load("svc-inline.gcc.defconfig"), defaultSyscallInput(), { maxSteps: 5 }),
    ).toMatchObject({
      code: "EXITWORK_SIM_STEP_LIMIT",
      steps: 5,
    });
  });

  it("notes a skipped body at the return when no exit-side hook runs", () => {
    const RET = 0xd65f03c0;
    const bytes = writeElf({
      entry: 0x10000,
      segments: [{ vaddr: 0x10000, bytes: wordsToBytes([RET, ...SVC_HOOKS.map(() => RET)]), flags: 5 }],
      symbols: [
        { name: "exitwork_el0_svc", value: 0x10000 },
        ...SVC_HOOKS.map((name, i) => ({ name, value: 0x10004 + 4 * i })),
      ],
    });
    const p = loadSyscallProgram(bytes, "ret.elf");
    if (isRunError(p)) throw new Error(p.message);
    expect(trace(p, defaultSyscallInput())).toMatchObject({
      effects: [{ kind: "syscall_skipped" }],
      effectIndex: [1],
    });
  });
});

describe("runSyscallQemu", () => {
  it("encodes the 24 driver fields, numbers as u32", () => {
    const line = encodeSyscallInput(
      defaultSyscallInput({ entryTracer: { kind: "set_nr", nr: -1 }, seccomp: { kind: "errno", errno: 13 } }),
    );
    const fields = line.split(" ");
    expect(fields).toHaveLength(24);
    expect(fields.slice(15, 19)).toEqual(["1", "ffffffff", "1", "d"]);
  });

  it("refuses a fixture without a user-mode build with a coded error", () => {
    expect(() => runSyscallQemu("svc-inline.gcc.hardened", [defaultSyscallInput()])).toThrow(ExitworkFailure);
    try {
      runSyscallQemu("svc-inline.gcc.hardened", [defaultSyscallInput()]);
    } catch (error) {
      expect((error as ExitworkFailure).error.code).toBe("EXITWORK_QEMU_NO_USER_BUILD");
    }
  });
});
