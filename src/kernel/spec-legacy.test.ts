/**
 * One named test per rule of shared/KERNEL.md §5 (legacy arm64 v6.18 exit path). The declared
 * legacy-vs-generic differences have their own tests in differences.test.ts.
 */
import { describe, expect, it } from "vitest";
import { type Effect, formatEffects } from "./effects.ts";
import { legacyExitGate, specLegacy } from "./spec-legacy.ts";
import { defaultInput, type ExitInput, type RegsInput } from "./state.ts";
import {
  _TIF_32BIT,
  _TIF_SECCOMP,
  _TIF_SINGLESTEP,
  _TIF_SYSCALL_AUDIT,
  _TIF_SYSCALL_EMU,
  _TIF_SYSCALL_TRACE,
  _TIF_SYSCALL_TRACEPOINT,
  SYSCALL_WORK_EXIT,
} from "./work.ts";

const REGS: RegsInput = { x0: 3n, x7: 0x77n, x12: 0xccn, orig_x0: 0x1234n, syscallno: 172 };

/** A legacy input: the same flags at entry and at exit unless the test says otherwise. */
function legacy(tifFlags: bigint, overrides: Partial<ExitInput> = {}): ExitInput {
  return defaultInput({ regs: REGS, tifFlags, tifFlagsAtEntry: tifFlags, ...overrides });
}
function kinds(effects: readonly Effect[]) {
  return effects.map((e) => e.kind);
}

describe("KERNEL.md §5 legacy exit gate (el0_svc_common)", () => {
  it("§5 gate: work in the entry snapshot runs the exit work even when the fresh read has none", () => {
    const input = legacy(0n, { tifFlagsAtEntry: _TIF_SECCOMP, auditContext: true });
    expect(legacyExitGate(input)).toBe(true);
    expect(kinds(specLegacy(input).effects)).toEqual(["audit_exit"]);
  });

  it("§5 gate: a fresh read with any _TIF_SYSCALL_WORK bit or SINGLESTEP opens it", () => {
    for (const flag of [
      _TIF_SYSCALL_TRACE,
      _TIF_SYSCALL_AUDIT,
      _TIF_SYSCALL_TRACEPOINT,
      _TIF_SECCOMP,
      _TIF_SYSCALL_EMU,
    ]) {
      expect(legacyExitGate(legacy(flag, { tifFlagsAtEntry: 0n })), `flag ${flag}`).toBe(true);
    }
    expect(legacyExitGate(legacy(_TIF_SINGLESTEP, { tifFlagsAtEntry: 0n }))).toBe(true);
  });

  it("§5 gate: SINGLESTEP in the entry snapshot alone does not open it (the snapshot tests _TIF_SYSCALL_WORK)", () => {
    const input = legacy(0n, { tifFlagsAtEntry: _TIF_SINGLESTEP, auditContext: true });
    expect(legacyExitGate(input)).toBe(false);
    expect(specLegacy(input).effects).toEqual([]);
  });

  it("§5 gate: closed without work at entry or exit; TIF_32BIT and unrelated flags do not open it", () => {
    const input = legacy(_TIF_32BIT | (1n << 0n) | (1n << 30n), { auditContext: true, compat: true });
    expect(legacyExitGate(input)).toBe(false);
    expect(specLegacy(input).effects).toEqual([]);
  });

  it("§5 gate: with CONFIG_DEBUG_RSEQ it is always open", () => {
    const out = specLegacy(legacy(0n, { auditContext: true, debugRseq: true }));
    expect(kinds(out.effects)).toEqual(["audit_exit", "rseq_check"]);
  });
});

describe("KERNEL.md §5 syscall_trace_exit and report_syscall", () => {
  it("§5 audit is guarded by the audit context only", () => {
    expect(kinds(specLegacy(legacy(_TIF_SYSCALL_TRACEPOINT, { auditContext: true })).effects)).toEqual([
      "audit_exit",
      "sys_exit",
    ]);
    expect(specLegacy(legacy(_TIF_SYSCALL_AUDIT, { auditContext: false })).effects).toEqual([]);
  });

  it("§5 tracepoint on TIF_SYSCALL_TRACEPOINT, with the compat sign extension", () => {
    const out = specLegacy(
      legacy(_TIF_SYSCALL_TRACEPOINT, { compat: true, regs: { ...REGS, x0: 0x8000_0000n } }),
    );
    expect(out.effects).toEqual([{ kind: "sys_exit", ret: -0x8000_0000n }]);
  });

  it("§5 report on TRACE or SINGLESTEP; step tests TIF_SINGLESTEP live and EMU plays no part", () => {
    const steps = (flags: bigint) =>
      specLegacy(legacy(flags))
        .effects.filter((e) => e.kind === "ptrace_exit")
        .map((e) => e.step);
    expect(steps(_TIF_SYSCALL_TRACE)).toEqual([false]);
    expect(steps(_TIF_SINGLESTEP)).toEqual([true]);
    expect(steps(_TIF_SINGLESTEP | _TIF_SYSCALL_EMU)).toEqual([true]);
    expect(steps(_TIF_SYSCALL_TRACE | _TIF_SYSCALL_EMU)).toEqual([false]);
    expect(steps(_TIF_SYSCALL_EMU | _TIF_SECCOMP | _TIF_SYSCALL_AUDIT)).toEqual([]);
    // The step choice reads the flags at exit, not the entry snapshot.
    expect(
      specLegacy(legacy(_TIF_SYSCALL_TRACE, { tifFlagsAtEntry: _TIF_SINGLESTEP | _TIF_SYSCALL_TRACE }))
        .effects,
    ).toEqual([{ kind: "ptrace_exit", step: false, scratchReg: "x7", x0: 3n, scratch: 1n }]);
  });

  it("§5 rseq_syscall() comes last, after the report", () => {
    const out = specLegacy(
      legacy(_TIF_SYSCALL_AUDIT | _TIF_SYSCALL_TRACEPOINT | _TIF_SYSCALL_TRACE, {
        auditContext: true,
        debugRseq: true,
      }),
    );
    expect(kinds(out.effects)).toEqual(["audit_exit", "sys_exit", "ptrace_exit", "rseq_check"]);
  });

  it("§5 unchanged x7/r12 ABI: no step discards the tracer's scratch write, step keeps it", () => {
    const tracer = { kind: "write_both", x0: 0x55n, scratch: 0x66n } as const;
    const noStep = specLegacy(legacy(_TIF_SYSCALL_TRACE, { tracer }));
    expect(formatEffects(noStep.effects)).toEqual(["ptrace_exit step=0 x0=0x3 x7=0x1"]);
    expect(noStep.final.regs).toEqual({ ...REGS, x0: 0x55n });
    const step = specLegacy(legacy(_TIF_SINGLESTEP, { tracer, compat: true }));
    expect(formatEffects(step.effects)).toEqual(["ptrace_exit step=1 x0=0x3 r12=0xcc"]);
    expect(step.final.regs).toEqual({ ...REGS, x0: 0x55n, x12: 0x66n });
  });

  it("§5 compat comes from the task (input.compat), not from the TIF_32BIT bit of the word", () => {
    const out = specLegacy(legacy(_TIF_SYSCALL_TRACE | _TIF_32BIT, { compat: false }));
    expect(out.effects.map((e) => (e.kind === "ptrace_exit" ? e.scratchReg : e.kind))).toEqual(["x7"]);
  });

  it("§5 legacy reads neither the generic work word nor on_dispatch (no syscall user dispatch)", () => {
    const out = specLegacy(
      legacy(_TIF_SYSCALL_AUDIT, {
        work: SYSCALL_WORK_EXIT,
        workAtEntry: SYSCALL_WORK_EXIT,
        onDispatch: true,
        auditContext: true,
      }),
    );
    expect(kinds(out.effects)).toEqual(["audit_exit"]);
    expect(out.final.onDispatch).toBe(true);
  });
});
