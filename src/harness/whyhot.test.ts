import { describe, expect, it } from "vitest";
import {
  SYSCALL_WORK_SECCOMP,
  SYSCALL_WORK_SYSCALL_AUDIT,
  SYSCALL_WORK_SYSCALL_EXIT_TRAP,
  SYSCALL_WORK_SYSCALL_TRACE,
} from "../kernel/work.ts";
import { whyHot, workOf } from "./whyhot.ts";

describe("whyHot", () => {
  it("under audit=1, AUDIT alone opens both gates and is what costs cycles", () => {
    const w = whyHot({ work: "AUDIT", auditContext: true, core: "tsv110" });
    expect(w.enterGate).toBe(true);
    expect(w.exitGate).toBe(true);
    expect(w.bits).toHaveLength(1);
    const audit = w.bits[0]!;
    expect(audit.name).toBe("SYSCALL_WORK_SYSCALL_AUDIT");
    expect([audit.opensEnter, audit.opensExit, audit.soleEnter, audit.soleExit]).toEqual([
      true,
      true,
      true,
      true,
    ]);
    // Cost = cycles of the state minus cycles of the same state without the bit (the fast path).
    const fast = whyHot({ work: 0n, auditContext: true, core: "tsv110" });
    expect(fast.enterGate || fast.exitGate).toBe(false);
    expect(audit.cycles.ref).toBe(w.total.ref - fast.total.ref);
    expect(audit.cycles.inline).toBe(w.total.inline - fast.total.inline);
    expect(audit.cycles.ref).toBeGreaterThan(0);
  });

  it("a bit that shares a gate is not its sole opener; an entry-only bit opens only ENTER", () => {
    const w = whyHot({
      work: SYSCALL_WORK_SYSCALL_AUDIT | SYSCALL_WORK_SYSCALL_TRACE | SYSCALL_WORK_SECCOMP,
      auditContext: true,
      core: "neoverse-n1",
    });
    const by = (name: string) => w.bits.find((b) => b.name === name)!;
    expect(by("SYSCALL_WORK_SYSCALL_AUDIT").soleExit).toBe(false);
    expect(by("SYSCALL_WORK_SECCOMP")).toMatchObject({ opensEnter: true, opensExit: false, soleExit: false });
    // SECCOMP has no exit work, but the entry work calls __secure_computing() for it.
    expect(by("SYSCALL_WORK_SECCOMP").cycles.ref).toBeGreaterThan(0);
    expect(by("SYSCALL_WORK_SECCOMP").cycles.inline).toBeGreaterThan(0);
  });

  it("EXIT_TRAP opens only the exit gate; bits without a name open nothing", () => {
    const w = whyHot({
      work: SYSCALL_WORK_SYSCALL_EXIT_TRAP | (1n << 40n),
      auditContext: false,
      core: "cortex-a72",
    });
    expect(w.enterGate).toBe(false);
    expect(w.exitGate).toBe(true);
    expect(w.bits.map((b) => [b.short, b.opensEnter, b.opensExit])).toEqual([
      ["EXIT_TRAP", false, true],
      ["bit40", false, false],
    ]);
  });

  it("reads work names as --work takes them", () => {
    expect(workOf("audit,TRACE")).toBe(SYSCALL_WORK_SYSCALL_AUDIT | SYSCALL_WORK_SYSCALL_TRACE);
    expect(workOf("none")).toBe(0n);
    expect(() => workOf("AUDIT,BOGUS")).toThrow(/USAGE: --work: unknown work bit BOGUS/);
  });
});
