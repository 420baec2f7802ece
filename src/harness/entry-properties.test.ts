/**
 * Properties of specSyscall (KERNEL.md §6 and el0_svc_common) over the exhaustive entry sweep and
 * over random whole-syscall inputs (the exit side's arbExitInput plus the entry fields), like the
 * exit side's properties over specGeneric.
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { arbSyscallInput, syscallSweep } from "../kernel/entry/arbitraries.ts";
import { specSyscall } from "../kernel/entry/spec.ts";
import { isEntryEffect, type SyscallEffect, type SyscallInput } from "../kernel/entry/types.ts";
import { specGeneric } from "../kernel/spec-generic.ts";
import {
  SYSCALL_WORK_ENTER,
  SYSCALL_WORK_SECCOMP,
  SYSCALL_WORK_SYSCALL_EMU,
  SYSCALL_WORK_SYSCALL_TRACE,
  SYSCALL_WORK_SYSCALL_USER_DISPATCH,
} from "../kernel/work.ts";
import { arbExitInput } from "./arbitraries.ts";

const sweep = [...syscallSweep()];
const arbInput = arbSyscallInput(arbExitInput());
const RANDOM = { numRuns: 1000, seed: 7 };

/** The entry part: every effect up to and including syscall_body / syscall_skipped. */
function entryPart(effects: readonly SyscallEffect[]): SyscallEffect[] {
  const marker = effects.findIndex((e) => e.kind === "syscall_body" || e.kind === "syscall_skipped");
  return effects.slice(0, marker + 1);
}
const has = (input: SyscallInput, mask: bigint) => (input.workAtEntry & mask) !== 0n;
const dispatched = (input: SyscallInput) =>
  has(input, SYSCALL_WORK_SYSCALL_USER_DISPATCH) && input.sud !== "allow";

/** Each property holds on every sweep case and on random inputs. */
function forAll(name: string, property: (input: SyscallInput) => void): void {
  describe(name, () => {
    it(`the sweep (${sweep.length} cases)`, () => {
      for (const input of sweep) property(input);
    });
    test.prop([arbInput], RANDOM)("random inputs", property);
  });
}

describe("syscallSweep", () => {
  it("covers every entry word with each audit-context x compat pair, and every hook outcome its bits call", () => {
    expect(sweep.length).toBeGreaterThan(8000);
    expect(sweep.length).toBeLessThan(8500);
    for (let w = 0n; w < 256n; w++) {
      const cases = sweep.filter((i) => i.workAtEntry === w);
      expect(new Set(cases.map((i) => `${i.auditContext}${i.compat}`)).size, `word ${w}`).toBe(4);
      if (w & SYSCALL_WORK_SYSCALL_USER_DISPATCH)
        expect(new Set(cases.map((i) => i.sud)).size, `word ${w}`).toBe(3);
      if (w & (SYSCALL_WORK_SYSCALL_TRACE | SYSCALL_WORK_SYSCALL_EMU))
        expect(new Set(cases.map((i) => i.entryTracer)).size, `word ${w}`).toBe(5);
    }
    expect(sweep.some((i) => (i.workAtEntry & SYSCALL_WORK_ENTER) === 0n && i.regs.syscallno === -1)).toBe(
      true,
    );
  });
});

forAll("one body or one skip, between the entry and the exit effects", (input) => {
  const effects = specSyscall(input).effects;
  const markers = effects.filter((e) => e.kind === "syscall_body" || e.kind === "syscall_skipped");
  expect(markers.length).toBe(1);
  const entry = entryPart(effects);
  expect(entry.every(isEntryEffect)).toBe(true);
  expect(effects.slice(entry.length).some(isEntryEffect)).toBe(false);
});

forAll("no SYSCALL_WORK_ENTER bit: the body, then exactly specGeneric's exit", (input) => {
  if (has(input, SYSCALL_WORK_ENTER)) return;
  const out = specSyscall(input);
  const stored = input.compat ? BigInt.asUintN(32, input.regs.x0) : BigInt.asUintN(64, input.regs.x0);
  const exit = specGeneric({ ...input, regs: { ...input.regs, x0: stored } });
  expect(out).toEqual({
    effects: [{ kind: "syscall_body", nr: input.regs.syscallno }, ...exit.effects],
    final: exit.final,
  });
});

forAll("bits outside SYSCALL_WORK_ENTER never change the entry effects", (input) => {
  const flipped = { ...input, workAtEntry: input.workAtEntry ^ BigInt.asUintN(64, ~SYSCALL_WORK_ENTER) };
  expect(entryPart(specSyscall(flipped).effects)).toEqual(entryPart(specSyscall(input).effects));
});

forAll("SUD excludes the rest: a dispatch or kill is the whole entry work", (input) => {
  if (!dispatched(input)) return;
  expect(entryPart(specSyscall(input).effects)).toEqual([
    { kind: "sud_dispatch", outcome: input.sud },
    { kind: "syscall_skipped" },
  ]);
});

forAll("EMU skips: the entry stop is the last entry effect, the body never runs", (input) => {
  if (!has(input, SYSCALL_WORK_SYSCALL_EMU) || dispatched(input)) return;
  const kinds = entryPart(specSyscall(input).effects).map((e) => e.kind);
  expect(kinds.slice(-2)).toEqual(["ptrace_entry", "syscall_skipped"]);
});

forAll("x7/r12 read 0 at the entry stop and come back after it", (input) => {
  const out = specSyscall(input);
  for (const e of out.effects) if (e.kind === "ptrace_entry") expect(e.scratch).toBe(0n);
  if (input.tracer.kind === "write_scratch" || input.tracer.kind === "write_both") return;
  expect([out.final.regs.x7, out.final.regs.x12]).toEqual([
    BigInt.asUintN(64, input.regs.x7),
    BigInt.asUintN(64, input.regs.x12),
  ]);
});

forAll("order: SUD, rseq slice, ptrace, seccomp, sys_enter, audit entry", (input) => {
  const order = ["sud_dispatch", "rseq_slice_enter", "ptrace_entry", "seccomp", "sys_enter", "audit_entry"];
  const ranks = entryPart(specSyscall(input).effects)
    .map((e) => order.indexOf(e.kind))
    .filter((r) => r >= 0);
  expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  expect(new Set(ranks).size).toBe(ranks.length);
});

forAll("the body runs the number audit recorded, and pt_regs keeps it", (input) => {
  const out = specSyscall(input);
  const body = out.effects.find((e) => e.kind === "syscall_body");
  const audit = out.effects.find((e) => e.kind === "audit_entry");
  if (body === undefined) return;
  if (audit !== undefined) expect(audit.nr).toBe(body.nr);
  if (has(input, SYSCALL_WORK_ENTER)) expect(out.final.regs.syscallno).toBe(body.nr);
});

forAll(
  "audit entry exactly when the syscall gets past SUD, ptrace and seccomp with an audit context",
  (input) => {
    const stopsEarly =
      dispatched(input) ||
      (has(input, SYSCALL_WORK_SYSCALL_TRACE | SYSCALL_WORK_SYSCALL_EMU) &&
        (has(input, SYSCALL_WORK_SYSCALL_EMU) || input.entryTracer.kind === "skip")) ||
      (has(input, SYSCALL_WORK_SECCOMP) && input.seccomp.kind !== "allow");
    const reachesAudit = has(input, SYSCALL_WORK_ENTER) && !stopsEarly && input.auditContext;
    expect(specSyscall(input).effects.some((e) => e.kind === "audit_entry")).toBe(reachesAudit);
  },
);

test.prop([arbInput, fc.boolean()], RANDOM)(
  "the entry side never looks at `work`, the word a body leaves",
  (input, same) => {
    const other = { ...input, work: same ? input.workAtEntry : input.work ^ 0xffn };
    expect(entryPart(specSyscall(other).effects)).toEqual(entryPart(specSyscall(input).effects));
  },
);
