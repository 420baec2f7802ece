import { isDeepStrictEqual } from "node:util";
import { describe, expect, it } from "vitest";
import { ExitworkFailure } from "../errors.ts";
import type { ExitOutcome } from "../kernel/effects.ts";
import { listFixtures, minimalInputOf } from "../kernel/fixtures.ts";
import { specGeneric } from "../kernel/spec-generic.ts";
import { specLegacy } from "../kernel/spec-legacy.ts";
import { defaultInput, type ExitInput } from "../kernel/state.ts";
import { _TIF_SECCOMP, _TIF_SINGLESTEP, parseWorkNames } from "../kernel/work.ts";
import { describeInput, exhaustiveInputs } from "./arbitraries.ts";
import { encodeInput, qemuAvailable, runQemu } from "./qemu.ts";

const qemu = qemuAvailable();
if (!qemu) console.warn("qemu.test: qemu-aarch64 missing (apt-get install qemu-user); qemu runs skipped");

function work(names: string): bigint {
  return parseWorkNames(names).work;
}

function failureOf(thunk: () => unknown): unknown {
  try {
    thunk();
  } catch (error) {
    return error instanceof ExitworkFailure ? error.error : error;
  }
  return undefined;
}

describe("encodeInput", () => {
  it("writes the 15 driver fields in order, 64-bit two's complement, TIF_32BIT only from compat (defaultInput copies tifFlags to the entry snapshot)", () => {
    const input = defaultInput({
      work: work("TRACE,AUDIT"),
      tifFlags: (1n << 22n) | (1n << 8n),
      compat: false,
      auditContext: true,
      regs: { x0: -2n, x7: 5n, x12: 0n, orig_x0: 3n, syscallno: -1 },
      tracer: { kind: "write_both", x0: 7n, scratch: 9n },
    });
    expect(encodeInput(input)).toBe("14 14 100 100 0 1 0 fffffffffffffffe 5 0 3 ffffffff 3 7 9");
  });
});

describe("runQemu errors", () => {
  it("refuses CONFIG_DEBUG_RSEQ inputs, configs without a user build and unknown fixtures", () => {
    expect(failureOf(() => runQemu("ref.gcc.defconfig", [defaultInput({ debugRseq: true })]))).toMatchObject({
      code: "EXITWORK_QEMU_DEBUG_RSEQ",
      path: "ref.gcc.defconfig input 0",
    });
    expect(failureOf(() => runQemu("ref.gcc.ftrace", [defaultInput()]))).toMatchObject({
      code: "EXITWORK_QEMU_NO_USER_BUILD",
    });
    expect(failureOf(() => runQemu("ref.tcc.defconfig", []))).toMatchObject({
      code: "EXITWORK_FIXTURE_UNKNOWN",
    });
  });
});

/**
 * Hand-written from shared/KERNEL.md §3 (generic exit path, v6.18) for `ref`: what audit, the
 * tracepoint and the tracer see, and what reaches user space.
 */
const REF_CASES: { name: string; input: ExitInput; expected: ExitOutcome }[] = [
  {
    name: "audit, tracepoint and an exit stop; the tracer's x0 survives, its x7 does not",
    input: defaultInput({
      work: work("AUDIT,TRACEPOINT,TRACE"),
      auditContext: true,
      regs: { x0: 0xfffffffffffffffen, x7: 5n, x12: 0n, orig_x0: 3n, syscallno: 172 },
      tracer: { kind: "write_both", x0: 7n, scratch: 9n },
    }),
    expected: {
      effects: [
        { kind: "audit_exit", success: false, returnCode: -2n },
        { kind: "sys_exit", ret: -2n },
        { kind: "ptrace_exit", step: false, scratchReg: "x7", x0: 0xfffffffffffffffen, scratch: 1n },
      ],
      final: { regs: { x0: 7n, x7: 5n, x12: 0n, orig_x0: 3n, syscallno: 172 }, onDispatch: false },
    },
  },
  {
    name: "a SUD-dispatched syscall only clears on_dispatch",
    input: defaultInput({
      work: work("USER_DISPATCH,AUDIT,TRACEPOINT,TRACE"),
      onDispatch: true,
      auditContext: true,
      regs: { x0: 1n, x7: 0n, x12: 0n, orig_x0: 0n, syscallno: 64 },
    }),
    expected: {
      effects: [{ kind: "on_dispatch_cleared" }],
      final: { regs: { x0: 1n, x7: 0n, x12: 0n, orig_x0: 0n, syscallno: 64 }, onDispatch: false },
    },
  },
  {
    name: "compat single step: sign-extended audit value, r12 restored before the report, tracer's r12 survives",
    input: defaultInput({
      work: work("EXIT_TRAP"),
      compat: true,
      auditContext: true,
      regs: { x0: 0x80000000n, x7: 0n, x12: 3n, orig_x0: 0n, syscallno: 20 },
      tracer: { kind: "write_scratch", scratch: 9n },
    }),
    expected: {
      effects: [
        { kind: "audit_exit", success: true, returnCode: -0x80000000n },
        { kind: "ptrace_exit", step: true, scratchReg: "r12", x0: 0x80000000n, scratch: 3n },
      ],
      final: { regs: { x0: 0x80000000n, x7: 0n, x12: 9n, orig_x0: 0n, syscallno: 20 }, onDispatch: false },
    },
  },
  {
    name: "entry-only and unused work bits give no exit effects, even with an audit context",
    input: defaultInput({
      work: work("SECCOMP,EMU,RSEQ_SLICE") | (1n << 40n),
      auditContext: true,
      tracer: { kind: "write_x0", x0: 1n },
    }),
    expected: {
      effects: [],
      final: { regs: { x0: 0n, x7: 0n, x12: 0n, orig_x0: 0n, syscallno: 172 }, onDispatch: false },
    },
  },
  {
    name: "PTRACE_SYSEMU_SINGLESTEP (EMU|EXIT_TRAP): exit audit, but no report",
    input: defaultInput({
      work: work("EMU,EXIT_TRAP"),
      auditContext: true,
      regs: { x0: 0xfffffffffffff000n, x7: 0n, x12: 0n, orig_x0: 0n, syscallno: 172 },
      tracer: { kind: "write_x0", x0: 1n },
    }),
    expected: {
      effects: [{ kind: "audit_exit", success: true, returnCode: -4096n }],
      final: {
        regs: { x0: 0xfffffffffffff000n, x7: 0n, x12: 0n, orig_x0: 0n, syscallno: 172 },
        onDispatch: false,
      },
    },
  },
];

describe("qemu smoke: ref under qemu-aarch64 follows the KERNEL.md rules", () => {
  for (const compiler of ["gcc", "clang"] as const) {
    it.skipIf(!qemu)(`ref.${compiler}.defconfig, ${REF_CASES.length} inputs in one process`, () => {
      const outcomes = runQemu(
        `ref.${compiler}.defconfig`,
        REF_CASES.map((c) => c.input),
      );
      REF_CASES.forEach((c, i) => {
        expect(outcomes[i], c.name).toEqual(c.expected);
      });
    });
  }
});

describe("qemu: every mutant differs from inline on its own minimal input", () => {
  for (const compiler of ["gcc", "clang"] as const) {
    it.skipIf(!qemu)(`${compiler} defconfig`, () => {
      const mutants = listFixtures({ mutants: true, compiler, config: "defconfig" });
      const inputs = mutants.map((m) => minimalInputOf(m.mutant!));
      const inline = runQemu(`inline.${compiler}.defconfig`, inputs);
      expect(runQemu(`ref.${compiler}.defconfig`, inputs)).toEqual(inline);
      mutants.forEach((m, i) => {
        expect(runQemu(m.id, [inputs[i]!])[0], m.id).not.toEqual(inline[i]);
      });
    });
  }
});

describe("qemu smoke: legacy keeps the v6.18 arm64 gate (KERNEL.md §5)", () => {
  it.skipIf(!qemu)(
    "seccomp-only tasks get exit audit; single-step set during the syscall gets a step report",
    () => {
      const outcomes = runQemu("legacy.gcc.defconfig", [
        defaultInput({
          tifFlags: _TIF_SECCOMP,
          auditContext: true,
          regs: { ...defaultInput().regs, x0: 4n },
        }),
        defaultInput({
          tifFlags: _TIF_SINGLESTEP,
          tifFlagsAtEntry: 0n,
          regs: { ...defaultInput().regs, x7: 6n },
          tracer: { kind: "write_scratch", scratch: 8n },
        }),
      ]);
      expect(outcomes[0]!.effects).toEqual([{ kind: "audit_exit", success: true, returnCode: 4n }]);
      expect(outcomes[1]).toEqual({
        effects: [{ kind: "ptrace_exit", step: true, scratchReg: "x7", x0: 0n, scratch: 6n }],
        final: { regs: { x0: 0n, x7: 8n, x12: 0n, orig_x0: 0n, syscallno: 172 }, onDispatch: false },
      });
    },
  );
});

describe("qemu against the specification, exhaustively (2^8 work words x flags x tracer actions)", () => {
  const inputs = [...exhaustiveInputs()].filter((i) => !i.debugRseq);
  for (const variant of ["ref", "inline", "legacy"] as const) {
    for (const compiler of ["gcc", "clang"] as const) {
      it.skipIf(!qemu)(`${variant}.${compiler}.defconfig`, () => {
        const spec = variant === "legacy" ? specLegacy : specGeneric;
        const outcomes = runQemu(`${variant}.${compiler}.defconfig`, inputs);
        const firstMismatch = inputs.findIndex((input, i) => !isDeepStrictEqual(outcomes[i], spec(input)));
        if (firstMismatch >= 0) {
          const input = inputs[firstMismatch]!;
          expect(outcomes[firstMismatch], describeInput(input)).toEqual(spec(input));
        }
        expect(outcomes.length).toBe(inputs.length);
      });
    }
  }
});
