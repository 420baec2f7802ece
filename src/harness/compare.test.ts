import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import type { Effect } from "../kernel/effects.ts";
import { specGeneric } from "../kernel/spec-generic.ts";
import { defaultInput } from "../kernel/state.ts";
import {
  SYSCALL_WORK_SYSCALL_AUDIT,
  SYSCALL_WORK_SYSCALL_TRACE,
  SYSCALL_WORK_SYSCALL_TRACEPOINT,
} from "../kernel/work.ts";
import { compareObservations, type Observation, observationRows } from "./compare.ts";

const work = SYSCALL_WORK_SYSCALL_AUDIT | SYSCALL_WORK_SYSCALL_TRACEPOINT | SYSCALL_WORK_SYSCALL_TRACE;
const input = defaultInput({
  work,
  auditContext: true,
  regs: { x0: -2n, x7: 5n, x12: 0n, orig_x0: 0n, syscallno: 49 },
});
const spec = specGeneric(input);
const ref: Observation = { label: "ref", ...spec };

function withEffects(effects: Effect[]): Observation {
  return { label: "inline", effects, final: spec.final };
}

describe("compareObservations", () => {
  it("finds nothing when both sides agree", () => {
    expect(compareObservations(ref, { ...ref, label: "inline" })).toBeUndefined();
  });

  it("names a missing audit record with the audit-context rule", () => {
    const d = compareObservations(ref, withEffects(spec.effects.filter((e) => e.kind !== "audit_exit")));
    expect(d?.rule).toMatch(/audit_context/);
    expect(d?.rows[d.firstRow]?.differs).toBe(true);
  });

  it("names swapped effects with the order rule", () => {
    const [audit, trace, ptrace] = spec.effects;
    const d = compareObservations(ref, withEffects([audit!, ptrace!, trace!]));
    expect(d?.rule).toMatch(/strictly in the order/);
  });

  it("names a wrong return code with the sign-extension rule", () => {
    const effects = spec.effects.map((e) =>
      e.kind === "audit_exit" ? { ...e, returnCode: 0xfffffffen } : e,
    );
    expect(compareObservations(ref, withEffects(effects))?.rule).toMatch(/sign-extended/);
  });

  it("names a kept tracer write to x7 with the restore-order rule", () => {
    const other: Observation = {
      label: "inline",
      effects: spec.effects,
      final: { ...spec.final, regs: { ...spec.final.regs, x7: 0x99n } },
    };
    expect(compareObservations(ref, other)?.rule).toMatch(/restored after the stop/);
  });

  it("lists only differing memory words, with their offsets", () => {
    const a = new Uint8Array(32);
    const b = a.slice();
    b[17] = 1;
    const d = compareObservations({ ...ref, task: a }, { ...ref, label: "inline", task: b });
    const memory = d?.rows.filter((r) => r.section === "memory");
    expect(memory?.map((r) => r.name)).toEqual(["task+0x10"]);
  });

  it("flags a broken callee-saved register even when both sides break it the same way", () => {
    const abi = { ok: false, problems: ["x19 changed"] };
    expect(compareObservations({ ...ref, abi }, { ...ref, label: "inline", abi })?.rule).toMatch(/AAPCS64/);
  });
});

describe("the cheap agreement test", () => {
  const small = fc.record({
    work: fc.bigInt({ min: 0n, max: 127n }),
    auditContext: fc.boolean(),
    onDispatch: fc.boolean(),
    compat: fc.boolean(),
    x0: fc.constantFrom(0n, -2n, 0xfffffffen),
  });
  test.prop([small, small])("finds a divergence exactly when some row differs", (x, y) => {
    const obs = (v: typeof x, label: string): Observation => ({
      label,
      ...specGeneric(defaultInput({ ...v, regs: { x0: v.x0, x7: 7n, x12: 12n, orig_x0: 0n, syscallno: 1 } })),
    });
    const a = obs(x, "a");
    const b = obs(y, "b");
    const rowsDiffer = observationRows(a, b).some((r) => r.differs);
    expect(compareObservations(a, b) !== undefined).toBe(rowsDiffer);
  });
});
