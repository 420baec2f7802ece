/**
 * One named test per rule of shared/KERNEL.md §3 (generic entry exit path).
 * Random-input properties over the same rules are in properties/spec-generic.test.ts.
 */
import { describe, expect, it } from "vitest";
import { type Effect, formatEffects } from "./effects.ts";
import { specGeneric } from "./spec-generic.ts";
import { defaultInput, type ExitInput, type RegsInput } from "./state.ts";
import { parseWorkNames } from "./work.ts";

const work = (names: string) => parseWorkNames(names).work;
const u64 = (v: bigint) => BigInt.asUintN(64, v);
const REGS: RegsInput = { x0: 3n, x7: 0x77n, x12: 0xccn, orig_x0: 0x1234n, syscallno: 172 };

function run(overrides: Partial<ExitInput>) {
  return specGeneric(defaultInput({ regs: REGS, ...overrides }));
}
function kinds(effects: readonly Effect[]) {
  return effects.map((e) => e.kind);
}

describe("KERNEL.md §3 syscall_exit_to_user_mode_work", () => {
  it("§3.1 the work word is read at exit, not taken from the entry snapshot", () => {
    expect(run({ work: 0n, workAtEntry: work("TRACE,AUDIT"), auditContext: true }).effects).toEqual([]);
    expect(kinds(run({ work: work("TRACE"), workAtEntry: 0n }).effects)).toEqual(["ptrace_exit"]);
  });

  it("§3.2 the rseq debug check comes first, and only with CONFIG_DEBUG_RSEQ", () => {
    const all = { work: work("AUDIT,TRACEPOINT,TRACE"), auditContext: true };
    expect(kinds(run({ ...all, debugRseq: true }).effects)).toEqual([
      "rseq_check",
      "audit_exit",
      "sys_exit",
      "ptrace_exit",
    ]);
    expect(kinds(run({ ...all, debugRseq: false }).effects)).not.toContain("rseq_check");
    expect(kinds(run({ work: 0n, debugRseq: true }).effects)).toEqual(["rseq_check"]);
  });

  it("§3.3 syscall_exit_work runs only when a SYSCALL_WORK_EXIT bit is set", () => {
    const notExit = work("SECCOMP,EMU,RSEQ_SLICE") | (1n << 8n) | (1n << 63n);
    expect(run({ work: notExit, auditContext: true, onDispatch: true }).effects).toEqual([]);
    for (const bit of ["TRACEPOINT", "TRACE", "AUDIT", "USER_DISPATCH", "EXIT_TRAP"]) {
      expect(kinds(run({ work: work(bit), auditContext: true }).effects), bit).toContain("audit_exit");
    }
  });
});

describe("KERNEL.md §3 syscall_exit_work", () => {
  it("§3 step 1: the SUD gate clears on_dispatch and returns; nothing else happens", () => {
    const out = run({
      work: work("USER_DISPATCH,AUDIT,TRACEPOINT,TRACE,EXIT_TRAP"),
      onDispatch: true,
      auditContext: true,
      tracer: { kind: "write_both", x0: 9n, scratch: 9n },
    });
    expect(out.effects).toEqual([{ kind: "on_dispatch_cleared" }]);
    expect(out.final).toEqual({ regs: REGS, onDispatch: false });
  });

  it("§3 step 1: the gate needs both USER_DISPATCH and on_dispatch", () => {
    const bitOnly = run({ work: work("USER_DISPATCH,TRACE"), onDispatch: false });
    expect(kinds(bitOnly.effects)).toEqual(["ptrace_exit"]);
    expect(bitOnly.final.onDispatch).toBe(false);
    const flagOnly = run({ work: work("TRACE"), onDispatch: true });
    expect(kinds(flagOnly.effects)).toEqual(["ptrace_exit"]);
    expect(flagOnly.final.onDispatch).toBe(true);
  });

  it("§3 step 2: audit follows the audit context, not the AUDIT bit", () => {
    expect(kinds(run({ work: work("TRACEPOINT"), auditContext: true }).effects)).toEqual([
      "audit_exit",
      "sys_exit",
    ]);
    expect(run({ work: work("AUDIT"), auditContext: false }).effects).toEqual([]);
  });

  it.each([
    [0n, true, 0n],
    [u64(-1n), false, -1n],
    [u64(-4095n), false, -4095n],
    [u64(-4096n), true, -4096n],
    [0x7fff_ffffn, true, 0x7fff_ffffn],
  ])("§3 step 2: audit success is !IS_ERR_VALUE(regs_return_value): x0=%s", (x0, success, returnCode) => {
    const out = run({ work: work("AUDIT"), auditContext: true, regs: { ...REGS, x0 } });
    expect(out.effects).toEqual([{ kind: "audit_exit", success, returnCode }]);
  });

  it("§3 step 3: sys_exit tracepoint on TRACEPOINT, with syscall_get_return_value", () => {
    expect(run({ work: work("TRACEPOINT"), regs: { ...REGS, x0: u64(-2n) } }).effects).toEqual([
      { kind: "sys_exit", ret: -2n },
    ]);
    expect(run({ work: work("TRACE") }).effects.some((e) => e.kind === "sys_exit")).toBe(false);
  });

  it("§3 step 4: step = !EMU && EXIT_TRAP; report on step or TRACE", () => {
    const report = (names: string) =>
      run({ work: work(names) })
        .effects.filter((e) => e.kind === "ptrace_exit")
        .map((e) => e.step);
    expect(report("EXIT_TRAP")).toEqual([true]);
    expect(report("EXIT_TRAP,EMU")).toEqual([]);
    expect(report("EXIT_TRAP,EMU,TRACE")).toEqual([false]);
    expect(report("TRACE")).toEqual([false]);
    expect(report("TRACE,EXIT_TRAP")).toEqual([true]);
    expect(report("EMU,AUDIT")).toEqual([]);
  });

  it("§3 order: audit, then sys_exit, then the ptrace report", () => {
    const out = run({ work: work("AUDIT,TRACEPOINT,TRACE,EXIT_TRAP,EMU,SECCOMP"), auditContext: true });
    expect(formatEffects(out.effects)).toEqual([
      "audit_exit success=1 code=3",
      "sys_exit ret=3",
      "ptrace_exit step=0 x0=0x3 x7=0x1",
    ]);
  });
});

describe("KERNEL.md §3 arm64 arch_ptrace_report_syscall_exit", () => {
  it("the scratch register is x7 for AArch64 tasks and r12 for compat tasks", () => {
    const a64 = run({ work: work("TRACE"), tracer: { kind: "write_scratch", scratch: 5n } });
    expect(a64.effects).toEqual([
      { kind: "ptrace_exit", step: false, scratchReg: "x7", x0: 3n, scratch: 1n },
    ]);
    const compat = run({ work: work("TRACE"), compat: true });
    expect(compat.effects).toEqual([
      { kind: "ptrace_exit", step: false, scratchReg: "r12", x0: 3n, scratch: 1n },
    ]);
    expect(compat.final.regs).toEqual(REGS);
  });

  it("without step: the tracer sees 1, its scratch write is discarded, its x0 write survives", () => {
    const out = run({ work: work("TRACE"), tracer: { kind: "write_both", x0: 0x55n, scratch: 0x66n } });
    expect(out.effects).toEqual([
      { kind: "ptrace_exit", step: false, scratchReg: "x7", x0: 3n, scratch: 1n },
    ]);
    expect(out.final.regs).toEqual({ ...REGS, x0: 0x55n, x7: 0x77n });
  });

  it("with step: restore first, the tracer sees the real value and its scratch write survives", () => {
    const out = run({
      work: work("EXIT_TRAP"),
      compat: true,
      tracer: { kind: "write_both", x0: 0x55n, scratch: 0x66n },
    });
    expect(out.effects).toEqual([
      { kind: "ptrace_exit", step: true, scratchReg: "r12", x0: 3n, scratch: 0xccn },
    ]);
    expect(out.final.regs).toEqual({ ...REGS, x0: 0x55n, x12: 0x66n });
  });

  it("return values: audit and the tracepoint sign-extend x0 from bit 31 for compat tasks only", () => {
    const effects = (compat: boolean) =>
      run({ work: work("AUDIT,TRACEPOINT"), auditContext: true, compat, regs: { ...REGS, x0: 0xffff_f001n } })
        .effects;
    expect(effects(true)).toEqual([
      { kind: "audit_exit", success: false, returnCode: -4095n },
      { kind: "sys_exit", ret: -4095n },
    ]);
    expect(effects(false)).toEqual([
      { kind: "audit_exit", success: true, returnCode: 0xffff_f001n },
      { kind: "sys_exit", ret: 0xffff_f001n },
    ]);
  });

  it("audit and the tracepoint see x0 as the syscall left it; only the stop lets the tracer change it", () => {
    const out = run({
      work: work("AUDIT,TRACEPOINT,TRACE"),
      auditContext: true,
      tracer: { kind: "write_x0", x0: u64(-38n) },
    });
    expect(formatEffects(out.effects)).toEqual([
      "audit_exit success=1 code=3",
      "sys_exit ret=3",
      "ptrace_exit step=0 x0=0x3 x7=0x1",
    ]);
    expect(out.final.regs.x0).toBe(u64(-38n));
  });

  it("without a stop the tracer cannot write anything", () => {
    const out = run({
      work: work("AUDIT"),
      auditContext: true,
      tracer: { kind: "write_both", x0: 1n, scratch: 2n },
    });
    expect(out.final.regs).toEqual(REGS);
  });
});
