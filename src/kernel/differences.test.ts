/**
 * The declared legacy-vs-generic differences (KERNEL.md §5): each one is needed (a witness input
 * where it alone applies and the outcomes differ) and the coherence notion they rest on holds.
 * The sweep over all inputs (no declaration applies => equal outcomes) is in
 * properties/spec-differences.test.ts.
 */
import { describe, expect, it } from "vitest";
import {
  coherent,
  type DifferenceId,
  differencesFor,
  LEGACY_DIFFERENCES,
  legacyFlagsFor,
  withLegacyFlags,
} from "./differences.ts";
import { type ExitOutcome, formatEffects, formatFinalState } from "./effects.ts";
import { specGeneric } from "./spec-generic.ts";
import { specLegacy } from "./spec-legacy.ts";
import { defaultInput, type ExitInput } from "./state.ts";
import {
  _TIF_32BIT,
  _TIF_SECCOMP,
  _TIF_SINGLESTEP,
  _TIF_SYSCALL_AUDIT,
  _TIF_SYSCALL_EMU,
  _TIF_SYSCALL_TRACE,
  _TIF_SYSCALL_TRACEPOINT,
  parseWorkNames,
} from "./work.ts";

const work = (names: string) => parseWorkNames(names).work;

function thread(names: string, overrides: Partial<ExitInput> = {}): ExitInput {
  return withLegacyFlags(defaultInput({ work: work(names), workAtEntry: work(names), ...overrides }));
}

function show(out: ExitOutcome): string[] {
  return [...formatEffects(out.effects), formatFinalState(out.final)];
}

/** One input per declaration where that declaration alone applies; `satisfies` makes a missing witness a type error. */
const WITNESSES = {
  sud_gate: thread("USER_DISPATCH", { onDispatch: true }),
  sud_work_opens_exit_path: thread("USER_DISPATCH", { auditContext: true }),
  // seccomp() installing the first filter during the syscall: SECCOMP is set at exit, not at entry.
  seccomp_emu_no_exit_work: thread("SECCOMP", { workAtEntry: 0n, auditContext: true }),
  gate_read_at_exit: thread("", { workAtEntry: work("TRACE"), auditContext: true }),
  debug_rseq_legacy_always_exits: thread("", { auditContext: true, debugRseq: true }),
  sysemu_singlestep_no_exit_report: thread("EMU,EXIT_TRAP"),
  step_from_work_word: thread("EMU,EXIT_TRAP,TRACE"),
  rseq_first: thread("TRACEPOINT", { debugRseq: true }),
} satisfies Record<DifferenceId, ExitInput>;

describe("declared legacy differences (KERNEL.md §5)", () => {
  it("ids are unique and every declaration has a one-line reason", () => {
    const ids = LEGACY_DIFFERENCES.map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const d of LEGACY_DIFFERENCES) {
      expect(d.reason.length, d.id).toBeGreaterThan(20);
      expect(d.reason, d.id).not.toContain("\n");
    }
  });

  it.each(LEGACY_DIFFERENCES.map((d) => [d.id] as const))(
    "%s is needed: alone it applies and the outcomes differ",
    (id) => {
      const input = WITNESSES[id];
      expect(coherent(input)).toBe(true);
      expect(differencesFor(input).map((d) => d.id)).toEqual([id]);
      expect(show(specGeneric(input))).not.toEqual(show(specLegacy(input)));
    },
  );

  it("no declaration applies to a quiet thread, a traced thread or an audited thread, and the outcomes agree", () => {
    for (const input of [
      thread(""),
      thread("TRACE,AUDIT", { auditContext: true, tracer: { kind: "write_both", x0: 1n, scratch: 2n } }),
      thread("EXIT_TRAP,TRACEPOINT", { compat: true }),
      thread("SECCOMP,TRACE"),
      thread("EMU,TRACE"),
    ]) {
      expect(differencesFor(input)).toEqual([]);
      expect(show(specGeneric(input))).toEqual(show(specLegacy(input)));
    }
  });

  it("the SUD gate example: generic clears on_dispatch, legacy (no SUD) leaves it and audits", () => {
    const input = thread("USER_DISPATCH,AUDIT", { onDispatch: true, auditContext: true });
    expect(show(specGeneric(input))).toEqual([
      "on_dispatch_cleared",
      "x0=0x0 x7=0x0 x12=0x0 orig_x0=0x0 syscallno=172 on_dispatch=0",
    ]);
    expect(show(specLegacy(input))).toEqual([
      "audit_exit success=1 code=0",
      "x0=0x0 x7=0x0 x12=0x0 orig_x0=0x0 syscallno=172 on_dispatch=1",
    ]);
  });
});

describe("coherent inputs: legacy words describing the same thread", () => {
  it("legacyFlagsFor maps each work bit to its TIF flag and drops the bits legacy has no flag for", () => {
    expect(legacyFlagsFor(work("SECCOMP"))).toBe(_TIF_SECCOMP);
    expect(legacyFlagsFor(work("TRACEPOINT"))).toBe(_TIF_SYSCALL_TRACEPOINT);
    expect(legacyFlagsFor(work("TRACE"))).toBe(_TIF_SYSCALL_TRACE);
    expect(legacyFlagsFor(work("EMU"))).toBe(_TIF_SYSCALL_EMU);
    expect(legacyFlagsFor(work("AUDIT"))).toBe(_TIF_SYSCALL_AUDIT);
    expect(legacyFlagsFor(work("EXIT_TRAP"))).toBe(_TIF_SINGLESTEP);
    expect(legacyFlagsFor(work("USER_DISPATCH,RSEQ_SLICE") | (0xffn << 8n))).toBe(0n);
  });

  it("coherent() checks both moments and ignores TIF bits the legacy exit path never tests", () => {
    const base = thread("TRACE", { workAtEntry: work("AUDIT") });
    expect(coherent(base)).toBe(true);
    expect(coherent({ ...base, tifFlags: base.tifFlags | (1n << 1n) | _TIF_32BIT })).toBe(true);
    expect(coherent({ ...base, tifFlags: base.tifFlags | _TIF_SINGLESTEP })).toBe(false);
    expect(coherent({ ...base, tifFlagsAtEntry: _TIF_SYSCALL_TRACE })).toBe(false);
  });

  it("withLegacyFlags keeps untested TIF bits, replaces tested ones and sets TIF_32BIT from compat", () => {
    const input = withLegacyFlags(
      defaultInput({
        work: work("AUDIT"),
        workAtEntry: 0n,
        tifFlags: _TIF_SYSCALL_TRACE | (1n << 1n),
        compat: true,
      }),
    );
    expect(input.tifFlags).toBe(_TIF_SYSCALL_AUDIT | (1n << 1n) | _TIF_32BIT);
    // defaultInput copies tifFlags into tifFlagsAtEntry, so the untested bit 1 is kept there too.
    expect(input.tifFlagsAtEntry).toBe((1n << 1n) | _TIF_32BIT);
    expect(coherent(input)).toBe(true);
  });
});
