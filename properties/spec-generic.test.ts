/**
 * Properties of the generic-entry specification (KERNEL.md §3) over whole input states: each is
 * checked on the 8192 exhaustive inputs first, then on random ones (random 64-bit work words
 * built from fields, CONFIG_DEBUG_RSEQ on and off, boundary-weighted return values).
 */
import { test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import {
  arbExitInput,
  arbUnrelatedWork,
  EXHAUSTIVE_INPUT_COUNT,
  EXIT_RELEVANT_MASK,
  exhaustiveInputs,
} from "../src/harness/arbitraries.ts";
import { decodeExit, IS_ERR_VALUE } from "../src/kernel/decode.ts";
import type { Effect, ExitOutcome } from "../src/kernel/effects.ts";
import { specGeneric } from "../src/kernel/spec-generic.ts";
import { defaultInput, type ExitInput, type RegsInput } from "../src/kernel/state.ts";
import { SYSCALL_WORK_EXIT, SYSCALL_WORK_SYSCALL_AUDIT } from "../src/kernel/work.ts";

const RANDOM_RUNS = 2000;
const u64 = (v: bigint) => BigInt.asUintN(64, v);

function initialRegs(input: ExitInput): RegsInput {
  const r = input.regs;
  return { x0: u64(r.x0), x7: u64(r.x7), x12: u64(r.x12), orig_x0: u64(r.orig_x0), syscallno: r.syscallno };
}

/** The effects after the optional leading rseq check. */
function exitEffects(input: ExitInput, out: ExitOutcome): readonly Effect[] {
  if (input.debugRseq) {
    expect(out.effects[0]).toEqual({ kind: "rseq_check" });
    return out.effects.slice(1);
  }
  expect(out.effects.some((e) => e.kind === "rseq_check")).toBe(false);
  return out.effects;
}

function sudGateFires(input: ExitInput): boolean {
  const d = decodeExit(input);
  return d.syscallUserDispatch && d.onDispatch;
}

/** Each property: a name and a check that throws (expect) on a violating input. */
const PROPERTIES: readonly (readonly [name: string, check: (input: ExitInput) => void])[] = [
  [
    "work bits outside SYSCALL_WORK_EXIT without an exit bit never start the exit work",
    (input) => {
      if ((input.work & SYSCALL_WORK_EXIT) !== 0n) return;
      const out = specGeneric(input);
      expect(exitEffects(input, out)).toEqual([]);
      expect(out.final).toEqual({ regs: initialRegs(input), onDispatch: input.onDispatch });
    },
  ],
  [
    "the SUD gate excludes every other effect and clears on_dispatch",
    (input) => {
      const out = specGeneric(input);
      const effects = exitEffects(input, out);
      if (sudGateFires(input)) {
        expect(effects).toEqual([{ kind: "on_dispatch_cleared" }]);
        expect(out.final).toEqual({ regs: initialRegs(input), onDispatch: false });
      } else {
        expect(effects.some((e) => e.kind === "on_dispatch_cleared")).toBe(false);
        expect(out.final.onDispatch).toBe(input.onDispatch);
      }
    },
  ],
  [
    "audit follows the audit context, not the AUDIT bit",
    (input) => {
      const d = decodeExit(input);
      const audits = exitEffects(input, specGeneric(input)).filter((e) => e.kind === "audit_exit");
      expect(audits.length).toBe(d.auditContext && d.exitWork && !sudGateFires(input) ? 1 : 0);
      // With another exit bit keeping the gate open, the AUDIT bit itself changes nothing.
      if ((input.work & SYSCALL_WORK_EXIT & ~SYSCALL_WORK_SYSCALL_AUDIT) !== 0n) {
        const flipped = { ...input, work: input.work ^ SYSCALL_WORK_SYSCALL_AUDIT };
        expect(specGeneric(flipped)).toEqual(specGeneric(input));
      }
    },
  ],
  [
    "audit and sys_exit carry x0 sign-extended for compat, unchanged for AArch64, success = !IS_ERR_VALUE",
    (input) => {
      const expected = input.compat ? BigInt.asIntN(32, input.regs.x0) : BigInt.asIntN(64, input.regs.x0);
      for (const e of specGeneric(input).effects) {
        if (e.kind === "audit_exit")
          expect(e).toEqual({ kind: "audit_exit", success: !IS_ERR_VALUE(expected), returnCode: expected });
        if (e.kind === "sys_exit") expect(e.ret).toBe(expected);
      }
    },
  ],
  [
    "the step/EMU rule: a report iff step or TRACE, with step = EXIT_TRAP and not EMU",
    (input) => {
      const d = decodeExit(input);
      const reports = exitEffects(input, specGeneric(input)).filter((e) => e.kind === "ptrace_exit");
      const step = d.exitTrap && !d.emu;
      const reported = d.exitWork && !sudGateFires(input) && (step || d.trace);
      expect(reports.map((e) => e.step)).toEqual(reported ? [step] : []);
    },
  ],
  [
    "effect order: audit, sys_exit, ptrace report, each at most once",
    (input) => {
      const order = exitEffects(input, specGeneric(input)).map((e) => e.kind);
      const rank = { on_dispatch_cleared: 0, audit_exit: 1, sys_exit: 2, ptrace_exit: 3, rseq_check: -1 };
      const ranks = order.map((k) => rank[k]);
      expect(ranks).toEqual([...new Set(ranks)].sort((a, b) => a - b));
    },
  ],
  [
    "x7 vs r12: the scratch register follows compat and the other one is never touched",
    (input) => {
      const out = specGeneric(input);
      const before = initialRegs(input);
      for (const e of out.effects)
        if (e.kind === "ptrace_exit") expect(e.scratchReg).toBe(input.compat ? "r12" : "x7");
      if (input.compat) expect(out.final.regs.x7).toBe(before.x7);
      else expect(out.final.regs.x12).toBe(before.x12);
      expect(out.final.regs.orig_x0).toBe(before.orig_x0);
      expect(out.final.regs.syscallno).toBe(before.syscallno);
    },
  ],
  [
    "scratch restore order: the tracer sees 1 without step and the real value with step; its write is discarded without step and kept with step",
    (input) => {
      const out = specGeneric(input);
      const before = initialRegs(input);
      const report = out.effects.find((e) => e.kind === "ptrace_exit");
      const original = input.compat ? before.x12 : before.x7;
      const finalScratch = input.compat ? out.final.regs.x12 : out.final.regs.x7;
      const t = input.tracer;
      if (!report) {
        expect(out.final.regs).toEqual({ ...before });
        return;
      }
      expect(report.x0).toBe(before.x0);
      expect(report.scratch).toBe(report.step ? original : 1n);
      const written = t.kind === "write_scratch" || t.kind === "write_both" ? u64(t.scratch) : undefined;
      expect(finalScratch).toBe(report.step && written !== undefined ? written : original);
      const x0 = t.kind === "write_x0" || t.kind === "write_both" ? u64(t.x0) : before.x0;
      expect(out.final.regs.x0).toBe(x0);
    },
  ],
];

describe("generic specification properties (KERNEL.md §3)", () => {
  const inputs = [...exhaustiveInputs()];
  const debugInputs = inputs.map((i) => ({ ...i, debugRseq: true }));

  it("the exhaustive space has the documented size", () => {
    expect(inputs.length).toBe(EXHAUSTIVE_INPUT_COUNT);
  });

  describe.each(PROPERTIES.map(([name, check]) => [name, check] as const))("%s", (_, check) => {
    it(`holds on all ${EXHAUSTIVE_INPUT_COUNT} exhaustive inputs, with and without CONFIG_DEBUG_RSEQ`, () => {
      for (const input of inputs) check(input);
      for (const input of debugInputs) check(input);
    });

    test.prop([arbExitInput({ debugRseq: "any" })], { numRuns: RANDOM_RUNS })(
      "holds on random inputs",
      (input) => {
        check(input);
      },
    );
  });

  test.prop([arbExitInput({ debugRseq: "any" }), arbUnrelatedWork()], { numRuns: RANDOM_RUNS })(
    "bits outside SYSCALL_WORK_EXIT and EMU never change the outcome",
    (input, unrelated) => {
      const other = { ...input, work: (input.work & EXIT_RELEVANT_MASK) | unrelated };
      expect(specGeneric(other)).toEqual(specGeneric(input));
    },
  );

  it.each([
    [0x7fff_ffffn, 0x7fff_ffffn, 0x7fff_ffffn],
    [0x8000_0000n, -0x8000_0000n, 0x8000_0000n],
    [u64(-4095n), -4095n, -4095n],
    [u64(-4096n), -4096n, -4096n],
    [0xffff_f001n, -4095n, 0xffff_f001n],
    [0xffff_f000n, -4096n, 0xffff_f000n],
  ])("sign extension at x0=%s: compat sees %s, AArch64 sees %s", (x0, compatValue, a64Value) => {
    for (const [compat, value] of [
      [true, compatValue],
      [false, a64Value],
    ] as const) {
      const out = specGeneric(
        defaultInput({
          work: SYSCALL_WORK_EXIT,
          auditContext: true,
          compat,
          regs: { ...defaultInput().regs, x0 },
        }),
      );
      expect(out.effects.slice(0, 2)).toEqual([
        { kind: "audit_exit", success: !IS_ERR_VALUE(value), returnCode: value },
        { kind: "sys_exit", ret: value },
      ]);
    }
  });

  it("EXIT_RELEVANT_MASK is SYSCALL_WORK_EXIT plus EMU: EMU is outside the exit mask but steers the step", () => {
    const traced = defaultInput({ work: SYSCALL_WORK_EXIT });
    const emu = { ...traced, work: traced.work | (EXIT_RELEVANT_MASK & ~SYSCALL_WORK_EXIT) };
    expect(specGeneric(emu)).not.toEqual(specGeneric(traced));
  });
});
