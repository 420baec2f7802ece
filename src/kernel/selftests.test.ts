/**
 * The kernel selftests of shared/KERNEL.md §7, mirrored at the exit path: each test pins what the
 * selftest relies on the exit work deciding (tools/testing/selftests/{syscall_user_dispatch,
 * ptrace,seccomp}). Entry-side parts of a scenario (the SIGSYS itself, the entry stop, the
 * skipped syscall) are set up as the state the exit path starts from. get_syscall_info's
 * exit_group case (an entry stop only) never reaches the exit path, so it has no test here.
 */
import { describe, expect, it } from "vitest";
import { IS_ERR_VALUE } from "./decode.ts";
import { formatEffects } from "./effects.ts";
import { specGeneric } from "./spec-generic.ts";
import { defaultInput, type ExitInput } from "./state.ts";
import { parseWorkNames } from "./work.ts";

const work = (names: string) => parseWorkNames(names).work;
const u64 = (v: bigint) => BigInt.asUintN(64, v);
const ENOENT = 2n;
const ENOSYS = 38n;
const __NR_getppid = 173;
const __NR_chdir = 49;

function exitOf(overrides: Partial<ExitInput>) {
  return specGeneric(defaultInput(overrides));
}

describe("selftest syscall_user_dispatch/sud_test", () => {
  // The task is audited and traced, so a leak of any exit effect past the gate would show.
  const sudTask = { work: work("USER_DISPATCH,AUDIT,TRACEPOINT,TRACE"), auditContext: true };

  it("sud_test dispatched syscall: SIGSYS to the handler and no exit-side audit, trace or ptrace effect", () => {
    // Entry dispatched the syscall: on_dispatch = true, the syscall body never ran.
    const out = exitOf({ ...sudTask, onDispatch: true, regs: { ...defaultInput().regs, x0: 0x1234n } });
    expect(formatEffects(out.effects)).toEqual(["on_dispatch_cleared"]);
    expect(out.final.onDispatch).toBe(false);
    expect(out.final.regs.x0).toBe(0x1234n);
  });

  it("sud_test selector ALLOW: nothing was dispatched, so the syscall's exit work runs normally", () => {
    const out = exitOf({ ...sudTask, onDispatch: false });
    expect(out.effects.map((e) => e.kind)).toEqual(["audit_exit", "sys_exit", "ptrace_exit"]);
    expect(out.final.onDispatch).toBe(false);
  });

  it("sud_test bad selector: killed with SIGSYS without on_dispatch, so the exit path clears nothing", () => {
    const out = exitOf({ ...sudTask, onDispatch: false, regs: { ...defaultInput().regs, x0: u64(-ENOSYS) } });
    expect(out.effects.some((e) => e.kind === "on_dispatch_cleared")).toBe(false);
    expect(out.final.onDispatch).toBe(false);
  });
});

describe("selftest ptrace/get_syscall_info", () => {
  it("get_syscall_info: under PTRACE_SYSCALL every syscall gets an exit stop (syscall-exit, not a step)", () => {
    for (const syscallno of [__NR_getppid, __NR_chdir]) {
      const out = exitOf({ work: work("TRACE"), regs: { ...defaultInput().regs, syscallno } });
      expect(formatEffects(out.effects)).toEqual(["ptrace_exit step=0 x0=0x0 x7=0x1"]);
    }
  });

  it('get_syscall_info: chdir("") exit shows is_error=1, rval=-ENOENT', () => {
    for (const compat of [false, true]) {
      const x0 = compat ? BigInt.asUintN(32, -ENOENT) : u64(-ENOENT);
      const out = exitOf({
        work: work("TRACE"),
        compat,
        regs: { ...defaultInput().regs, x0, syscallno: __NR_chdir },
      });
      const stop = out.effects[0];
      expect(stop?.kind).toBe("ptrace_exit");
      if (stop?.kind !== "ptrace_exit") return;
      // PTRACE_GET_SYSCALL_INFO derives rval with syscall_get_return_value(): sign-extended for compat.
      const rval = compat ? BigInt.asIntN(32, stop.x0) : BigInt.asIntN(64, stop.x0);
      expect(rval, `compat=${compat}`).toBe(-ENOENT);
      expect(IS_ERR_VALUE(rval)).toBe(true);
    }
  });
});

describe("selftest ptrace/set_syscall_info", () => {
  it("set_syscall_info: a tracer that set nr = -1 at entry still gets an exit stop, with -ENOSYS", () => {
    const skipped = { ...defaultInput().regs, x0: u64(-ENOSYS), syscallno: -1 };
    const out = exitOf({ work: work("TRACE"), regs: skipped });
    expect(formatEffects(out.effects)).toEqual([
      `ptrace_exit step=0 x0=0x${u64(-ENOSYS).toString(16)} x7=0x1`,
    ]);
  });

  it("set_syscall_info: a tracer's x0 change at the exit stop reaches user space", () => {
    for (const names of ["TRACE", "EXIT_TRAP", "TRACE,EXIT_TRAP"]) {
      const out = exitOf({ work: work(names), tracer: { kind: "write_x0", x0: 0xbeefn } });
      expect(out.final.regs.x0, names).toBe(0xbeefn);
    }
  });
});

describe("selftest seccomp/seccomp_bpf TRACE_syscall", () => {
  it("TRACE_syscall: the exit stop is marked by x7 = PTRACE_SYSCALL_EXIT (1; the entry stop sees 0)", () => {
    const out = exitOf({ work: work("SECCOMP,TRACE"), regs: { ...defaultInput().regs, x7: 0x42n } });
    expect(formatEffects(out.effects)).toEqual(["ptrace_exit step=0 x0=0x0 x7=0x1"]);
    expect(out.final.regs.x7).toBe(0x42n);
  });

  it("TRACE_syscall: a syscall skipped at entry (seccomp or tracer) still produces an exit stop", () => {
    const skipped = { ...defaultInput().regs, x0: u64(-ENOSYS), syscallno: -1 };
    const out = exitOf({ work: work("SECCOMP,TRACE"), regs: skipped });
    expect(out.effects.map((e) => e.kind)).toEqual(["ptrace_exit"]);
  });
});
