/**
 * One named test per rule of shared/KERNEL.md §6 (entry side) and of el0_svc_common around it,
 * with the selftest scenarios of §7 that pin them. Random-input properties over the same rules are
 * in src/harness/entry-properties.test.ts.
 */
import { describe, expect, it } from "vitest";
import type { RegsInput } from "../state.ts";
import { parseWorkNames } from "../work.ts";
import { specSyscall } from "./spec.ts";
import { defaultSyscallInput, type SyscallEffect, type SyscallInput } from "./types.ts";

const work = (names: string) => parseWorkNames(names).work;
const REGS: RegsInput = { x0: 3n, x7: 0x77n, x12: 0xccn, orig_x0: 0x1234n, syscallno: 172 };
const ARGS = [0xa1n, 0xa2n, 0xa3n] as const;

/** A task with `names` set at entry and at exit, as perf bench's repeated syscall has it. */
function run(names: string, overrides: Partial<SyscallInput> = {}) {
  const w = work(names);
  return specSyscall(defaultSyscallInput({ work: w, workAtEntry: w, regs: REGS, args: ARGS, ...overrides }));
}
function kinds(effects: readonly SyscallEffect[]) {
  return effects.map((e) => e.kind);
}

describe("el0_svc_common: when the entry work runs", () => {
  it("no SYSCALL_WORK_ENTER bit: the body runs at once, with the number the task asked for", () => {
    const out = run("EXIT_TRAP", {
      workAtEntry: work("EXIT_TRAP") | (1n << 8n) | (1n << 63n),
      auditContext: true,
    });
    expect(out.effects[0]).toEqual({ kind: "syscall_body", nr: 172 });
    expect(kinds(out.effects).filter((k) => k !== "syscall_body")).toEqual(["audit_exit", "ptrace_exit"]);
  });

  it("the entry work reads the word at entry; the exit work the word the body left", () => {
    const out = specSyscall(
      defaultSyscallInput({ workAtEntry: work("TRACE"), work: work("TRACEPOINT"), regs: REGS }),
    );
    expect(kinds(out.effects)).toEqual(["ptrace_entry", "syscall_body", "sys_exit"]);
  });

  it("a skipped syscall leaves the word of entry for the exit work, and still goes through it (§6, §7 seccomp_bpf)", () => {
    const out = specSyscall(
      defaultSyscallInput({
        workAtEntry: work("TRACE"),
        work: 0n,
        regs: REGS,
        entryTracer: { kind: "skip" },
      }),
    );
    expect(kinds(out.effects)).toEqual(["ptrace_entry", "syscall_skipped", "ptrace_exit"]);
  });

  it("syscall(-1) with entry work returns -ENOSYS unless somebody sets x0 (arm64 el0_svc_common)", () => {
    const skipped = run("TRACE", { regs: { ...REGS, syscallno: -1 } });
    expect(kinds(skipped.effects)).toEqual(["ptrace_entry", "syscall_skipped", "ptrace_exit"]);
    expect(skipped.final.regs.x0).toBe(BigInt.asUintN(64, -38n));
    const compat = run("TRACE", { regs: { ...REGS, syscallno: -1 }, compat: true });
    expect(compat.final.regs.x0).toBe(0xffffffdan);
    const noWork = run("", { regs: { ...REGS, syscallno: -1 } });
    expect(noWork.effects).toEqual([{ kind: "syscall_body", nr: -1 }]);
    expect(noWork.final.regs.x0).toBe(3n);
  });

  it("the body's return value is stored as compat tasks hold it: the low 32 bits", () => {
    const out = run("", { compat: true, regs: { ...REGS, x0: BigInt.asUintN(64, -2n) } });
    expect(out.final.regs.x0).toBe(0xfffffffen);
  });
});

describe("KERNEL.md §6 syscall_trace_enter, in order", () => {
  it("SUD first: a dispatch sets on_dispatch, rolls back x0, skips the rest and the body; the exit gate clears it (§7 sud_test)", () => {
    const out = run("USER_DISPATCH,TRACE,SECCOMP,TRACEPOINT,AUDIT,RSEQ_SLICE", {
      sud: "dispatch",
      auditContext: true,
    });
    expect(out.effects).toEqual([
      { kind: "sud_dispatch", outcome: "dispatch" },
      { kind: "syscall_skipped" },
      { kind: "on_dispatch_cleared" },
    ]);
    expect(out.final).toEqual({ regs: { ...REGS, x0: REGS.orig_x0 }, onDispatch: false });
  });

  it("SUD: a bad selector kills without on_dispatch, so the exit work runs in full; ALLOW dispatches nothing", () => {
    const killed = run("USER_DISPATCH,TRACE", { sud: "kill", auditContext: true });
    expect(kinds(killed.effects)).toEqual(["sud_dispatch", "syscall_skipped", "audit_exit", "ptrace_exit"]);
    expect(killed.final.onDispatch).toBe(false);
    const allowed = run("USER_DISPATCH", { sud: "allow", auditContext: true });
    expect(kinds(allowed.effects)).toEqual(["sud_dispatch", "audit_entry", "syscall_body", "audit_exit"]);
  });

  it("RSEQ_SLICE after SUD and before ptrace, with the current number", () => {
    const out = run("USER_DISPATCH,RSEQ_SLICE,TRACE");
    expect(out.effects.slice(0, 3)).toEqual([
      { kind: "sud_dispatch", outcome: "allow" },
      { kind: "rseq_slice_enter", nr: 172 },
      { kind: "ptrace_entry", scratchReg: "x7", scratch: 0n, nr: 172 },
    ]);
  });

  it("ptrace entry: the tracer sees x7 = 0 (r12 for compat), and the task gets its own value back", () => {
    for (const compat of [false, true]) {
      const out = run("TRACE", { compat, entryTracer: { kind: "write_scratch", scratch: 0x5cn } });
      expect(out.effects[0]).toEqual({
        kind: "ptrace_entry",
        scratchReg: compat ? "r12" : "x7",
        scratch: 0n,
        nr: 172,
      });
      expect([out.final.regs.x7, out.final.regs.x12]).toEqual([0x77n, 0xccn]);
    }
  });

  it("ptrace entry: a non-zero report forgets the syscall (syscallno = -1) and skips it", () => {
    const out = run("TRACE,SECCOMP,AUDIT", { entryTracer: { kind: "skip" }, auditContext: true });
    expect(kinds(out.effects)).toEqual(["ptrace_entry", "syscall_skipped", "audit_exit", "ptrace_exit"]);
    expect(out.final.regs.syscallno).toBe(-1);
  });

  it("ptrace entry: a tracer's nr = -1 skips the syscall but still gets the exit stop (§7 set_syscall_info)", () => {
    const out = run("TRACE", { entryTracer: { kind: "set_nr", nr: -1 } });
    expect(kinds(out.effects)).toEqual(["ptrace_entry", "syscall_skipped", "ptrace_exit"]);
    expect(out.final.regs).toEqual({ ...REGS, x0: REGS.orig_x0, syscallno: -1 });
  });

  it("EMU: the entry stop, then always a skip: no seccomp, tracepoint, audit entry or body", () => {
    const out = run("EMU,SECCOMP,TRACEPOINT,AUDIT", { auditContext: true });
    expect(kinds(out.effects)).toEqual(["ptrace_entry", "syscall_skipped", "audit_exit", "sys_exit"]);
  });

  it("seccomp after ptrace: it judges the number the tracer set", () => {
    const out = run("TRACE,SECCOMP", { entryTracer: { kind: "set_nr", nr: 39 } });
    expect(out.effects.slice(0, 3)).toEqual([
      { kind: "ptrace_entry", scratchReg: "x7", scratch: 0n, nr: 172 },
      { kind: "seccomp", nr: 39 },
      { kind: "syscall_body", nr: 39 },
    ]);
  });

  it("seccomp -1 skips: RET_ERRNO leaves -errno in x0 (low half for compat), other skips leave x0 alone", () => {
    const errno = run("SECCOMP,TRACEPOINT,AUDIT", {
      seccomp: { kind: "errno", errno: 1 },
      auditContext: true,
    });
    expect(kinds(errno.effects)).toEqual(["seccomp", "syscall_skipped", "audit_exit", "sys_exit"]);
    expect(errno.final.regs.x0).toBe(BigInt.asUintN(64, -1n));
    expect(run("SECCOMP", { seccomp: { kind: "errno", errno: 1 }, compat: true }).final.regs.x0).toBe(
      0xffffffffn,
    );
    expect(run("SECCOMP", { seccomp: { kind: "skip" } }).final.regs.x0).toBe(REGS.orig_x0);
  });

  it("the tracepoint sees the number after ptrace and seccomp; a probe's new number reaches audit and the body", () => {
    const out = run("TRACE,TRACEPOINT", {
      entryTracer: { kind: "set_nr", nr: 39 },
      tracepointNr: 20,
      auditContext: true,
    });
    expect(out.effects.slice(1, 4)).toEqual([
      { kind: "sys_enter", nr: 39 },
      { kind: "audit_entry", nr: 20, args: [REGS.orig_x0, ...ARGS] },
      { kind: "syscall_body", nr: 20 },
    ]);
    expect(out.final.regs.syscallno).toBe(20);
  });

  it("a probe that writes -1 skips the syscall, after audit entry has recorded -1", () => {
    const out = run("TRACEPOINT", { tracepointNr: -1, auditContext: true });
    expect(kinds(out.effects)).toEqual([
      "sys_enter",
      "audit_entry",
      "syscall_skipped",
      "audit_exit",
      "sys_exit",
    ]);
  });

  it("audit entry follows the audit context, with orig_x0 and x1..x3; it is last before the body", () => {
    expect(run("AUDIT", { auditContext: true }).effects.slice(0, 2)).toEqual([
      { kind: "audit_entry", nr: 172, args: [REGS.orig_x0, ...ARGS] },
      { kind: "syscall_body", nr: 172 },
    ]);
    expect(kinds(run("AUDIT").effects)).toEqual(["syscall_body"]);
    expect(kinds(run("SECCOMP", { auditContext: true }).effects)).toEqual([
      "seccomp",
      "audit_entry",
      "syscall_body",
    ]);
  });

  it("PTRACE_SYSCALL: an entry stop, then an exit stop, with the scratch values 0 and 1 (§7 get_syscall_info)", () => {
    const out = run("TRACE");
    expect(out.effects).toEqual([
      { kind: "ptrace_entry", scratchReg: "x7", scratch: 0n, nr: 172 },
      { kind: "syscall_body", nr: 172 },
      { kind: "ptrace_exit", step: false, scratchReg: "x7", x0: 3n, scratch: 1n },
    ]);
  });
});
