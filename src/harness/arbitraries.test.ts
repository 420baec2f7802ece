import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { coherent } from "../kernel/differences.ts";
import { specGeneric } from "../kernel/spec-generic.ts";
import type { ExitInput } from "../kernel/state.ts";
import { EXIT_RELEVANT_SHORT, parseWorkNames, SYSCALL_WORK_SYSCALL_TRACE } from "../kernel/work.ts";
import {
  arbExitBits,
  arbExitInput,
  describeInput,
  EXHAUSTIVE_INPUT_COUNT,
  EXHAUSTIVE_TRACER_ACTIONS,
  EXIT_RELEVANT_MASK,
  exhaustiveInputs,
  inputKey,
  RETURN_VALUE_BOUNDARIES,
  UNRELATED_WORK_MASK,
} from "./arbitraries.ts";

const SAMPLE = { numRuns: 3000, seed: 42 };

describe("exhaustiveInputs", () => {
  const inputs = [...exhaustiveInputs()];

  it("yields 256 work words x on_dispatch x audit context x compat x 4 tracer actions = 8192 distinct inputs", () => {
    expect(EXHAUSTIVE_INPUT_COUNT).toBe(8192);
    expect(inputs.length).toBe(EXHAUSTIVE_INPUT_COUNT);
    expect(new Set(inputs.map(inputKey)).size).toBe(EXHAUSTIVE_INPUT_COUNT);
    expect(new Set(inputs.map((i) => i.work)).size).toBe(256);
    expect(new Set(inputs.map((i) => i.tracer.kind)).size).toBe(EXHAUSTIVE_TRACER_ACTIONS.length);
  });

  it("is coherent for legacy, reads the work word unchanged since entry, and runs without CONFIG_DEBUG_RSEQ", () => {
    for (const i of inputs) {
      expect(coherent(i)).toBe(true);
      expect(i.workAtEntry).toBe(i.work);
      expect(i.debugRseq).toBe(false);
    }
  });

  it("its one x0 is a success for AArch64 tasks and -ENOENT for compat tasks", () => {
    const audit = (compat: boolean) =>
      specGeneric(
        inputs.find((i) => i.work === parseWorkNames("AUDIT").work && i.auditContext && i.compat === compat)!,
      ).effects[0];
    expect(audit(false)).toEqual({ kind: "audit_exit", success: true, returnCode: 0xffff_fffen });
    expect(audit(true)).toEqual({ kind: "audit_exit", success: false, returnCode: -2n });
  });
});

describe("arbExitBits", () => {
  it("draws no bit, each bit alone and all six together", () => {
    const seen = new Set(
      fc.sample(arbExitBits(), SAMPLE).map((b) =>
        EXIT_RELEVANT_SHORT.filter((s) => b[s])
          .sort()
          .join(","),
      ),
    );
    expect(seen.has("")).toBe(true);
    for (const s of EXIT_RELEVANT_SHORT) expect(seen.has(s), s).toBe(true);
    expect(seen.has([...EXIT_RELEVANT_SHORT].sort().join(","))).toBe(true);
  });
});

describe("arbExitInput", () => {
  const inputs = fc.sample(arbExitInput(), SAMPLE);

  it("by default gives coherent inputs, without CONFIG_DEBUG_RSEQ, some with entry work different from exit work", () => {
    expect(inputs.every(coherent)).toBe(true);
    expect(inputs.every((i) => !i.debugRseq)).toBe(true);
    expect(inputs.some((i) => i.workAtEntry !== i.work)).toBe(true);
    expect(inputs.some((i) => i.workAtEntry === i.work)).toBe(true);
  });

  it("adds unrelated work bits (SECCOMP, RSEQ_SLICE, 8..63) in some inputs and not in others", () => {
    const unrelated = inputs.map((i) => i.work & UNRELATED_WORK_MASK);
    expect(unrelated.some((u) => u === 0n)).toBe(true);
    expect(unrelated.some((u) => u !== 0n && u < 256n)).toBe(true);
    expect(unrelated.some((u) => u >= 256n)).toBe(true);
    const noUnrelated = fc.sample(arbExitInput({ unrelatedBits: false }), SAMPLE);
    expect(noUnrelated.every((i) => (i.work & ~EXIT_RELEVANT_MASK) === 0n)).toBe(true);
  });

  it("weights x0 to every boundary value and still draws other 64-bit values", () => {
    const x0s = new Set(inputs.map((i) => i.regs.x0));
    for (const b of RETURN_VALUE_BOUNDARIES) expect(x0s.has(b), `0x${b.toString(16)}`).toBe(true);
    expect([...x0s].some((x) => !RETURN_VALUE_BOUNDARIES.includes(x) && x > 0xffff_ffffn)).toBe(true);
  });

  it("draws every tracer action, both task kinds, on_dispatch and the audit context both ways", () => {
    expect(new Set(inputs.map((i) => i.tracer.kind))).toEqual(
      new Set(["none", "write_x0", "write_scratch", "write_both"]),
    );
    for (const field of ["compat", "onDispatch", "auditContext"] as const) {
      expect(new Set(inputs.map((i) => i[field])), field).toEqual(new Set([false, true]));
    }
  });

  it("obeys the debugRseq, compat and coherent options", () => {
    const rseq = fc.sample(arbExitInput({ debugRseq: "any", compat: true }), SAMPLE);
    expect(new Set(rseq.map((i) => i.debugRseq))).toEqual(new Set([false, true]));
    expect(rseq.every((i) => i.compat)).toBe(true);
    const loose = fc.sample(arbExitInput({ coherent: false, entryMayDiffer: false }), SAMPLE);
    expect(loose.some((i) => !coherent(i))).toBe(true);
    expect(loose.every((i) => i.workAtEntry === i.work)).toBe(true);
  });

  it("shrinks a failure to its fields: one work bit, boundary registers, no tracer", () => {
    const result = fc.check(
      fc.property(arbExitInput(), (i) => (i.work & SYSCALL_WORK_SYSCALL_TRACE) === 0n),
      { seed: 7 },
    );
    expect(result.failed).toBe(true);
    const [shrunk] = result.counterexample as [ExitInput];
    expect(shrunk.work).toBe(SYSCALL_WORK_SYSCALL_TRACE);
    expect(shrunk.workAtEntry).toBe(shrunk.work);
    expect(shrunk.regs.x0).toBe(0n);
    expect(shrunk.tracer).toEqual({ kind: "none" });
  });
});

describe("inputKey and describeInput", () => {
  const [base] = exhaustiveInputs();
  const variants: Record<string, Partial<ExitInput>> = {
    work: { work: 1n },
    workAtEntry: { workAtEntry: 1n },
    tifFlags: { tifFlags: 1n },
    tifFlagsAtEntry: { tifFlagsAtEntry: 1n },
    onDispatch: { onDispatch: true },
    auditContext: { auditContext: true },
    compat: { compat: true },
    debugRseq: { debugRseq: true },
    tracer: { tracer: { kind: "write_x0", x0: 0n } },
  };

  it("inputKey is stable and changes with every field", () => {
    expect(base).toBeDefined();
    if (!base) return;
    expect(inputKey({ ...base })).toBe(inputKey(base));
    const keys = new Set([inputKey(base)]);
    for (const change of Object.values(variants)) keys.add(inputKey({ ...base, ...change }));
    for (const reg of ["x0", "x7", "x12", "orig_x0"] as const)
      keys.add(inputKey({ ...base, regs: { ...base.regs, [reg]: 3n } }));
    keys.add(inputKey({ ...base, regs: { ...base.regs, syscallno: -1 } }));
    expect(keys.size).toBe(1 + Object.keys(variants).length + 5);
  });

  it("describeInput names the work bits and shows entry and legacy words only when they differ", () => {
    if (!base) throw new Error("no exhaustive input");
    const traced = { ...base, work: parseWorkNames("TRACE,AUDIT").work, tifFlags: base.tifFlags };
    expect(describeInput(base)).toBe(
      "work=0 on_dispatch=0 audit_context=0 compat=0 x0=0xfffffffe x7=0x7777000000000007 x12=0x121200000000000c tracer=none",
    );
    expect(describeInput(traced)).toContain("work=TRACE|AUDIT");
    expect(describeInput(traced)).toContain("work_at_entry=0");
    expect(describeInput(traced)).toContain("tif=0x0");
  });
});
