import { describe, expect, it } from "vitest";
import { wordsToBytes, writeElf } from "../elf/write.ts";
import { formatEffects, formatFinalState } from "../kernel/effects.ts";
import { listFixtures } from "../kernel/fixtures.ts";
import { TASK } from "../kernel/layout.ts";
import { specGeneric } from "../kernel/spec-generic.ts";
import { specLegacy } from "../kernel/spec-legacy.ts";
import { defaultInput, type ExitInput } from "../kernel/state.ts";
import { SYSCALL_WORK_SYSCALL_USER_DISPATCH } from "../kernel/work.ts";
import { exhaustiveInputs } from "./arbitraries.ts";
import {
  HOOKS,
  isRunError,
  loadProgram,
  MEMORY_MAP,
  type Program,
  type RunOptions,
  type RunTrace,
  runExit,
} from "./run.ts";

const SAMPLE = [...exhaustiveInputs()].filter((_, i) => i % 97 === 0);

function load(id: string): Program {
  const p = loadProgram(id);
  if (isRunError(p)) throw new Error(`${p.code}: ${p.message}`);
  return p;
}

function trace(p: Program, input: ExitInput, opts?: RunOptions): RunTrace {
  const t = runExit(p, input, opts);
  if (isRunError(t)) throw new Error(`${t.code}: ${t.path}: ${t.message}`);
  return t;
}

/** A tiny kernel-build-shaped ELF: entry runs `body`, hooks are bare `ret`s after it. */
function handMade(body: readonly number[]): Uint8Array {
  const RET = 0xd65f03c0;
  const base = 0x10000;
  const words = [...body, ...HOOKS.map(() => RET)];
  return writeElf({
    entry: base,
    segments: [{ vaddr: base, bytes: wordsToBytes(words), flags: 5 }],
    symbols: [
      { name: "exitwork_el0_svc", value: base },
      ...HOOKS.map((name, i) => ({ name, value: base + 4 * (body.length + i) })),
    ],
  });
}

describe("runExit on the committed fixtures", () => {
  for (const f of listFixtures({ mutants: false })) {
    it(`${f.id}: effects and final pt_regs equal the specification on ${SAMPLE.length} sweep inputs`, () => {
      const p = load(f.id);
      const spec = f.variant === "legacy" ? specLegacy : specGeneric;
      for (const input of SAMPLE) {
        const t = trace(p, input);
        const expected = spec(input);
        expect([...formatEffects(t.effects), formatFinalState(t.final)]).toEqual([
          ...formatEffects(expected.effects),
          formatFinalState(expected.final),
        ]);
        expect(t.abi).toEqual({ ok: true, problems: [] });
      }
    });
  }

  it("places each effect at the instruction where it happened", () => {
    const p = load("inline.gcc.defconfig");
    const hookAt = new Map(HOOKS.map((h) => [p.image.symbols.get(h)!.value, h]));
    const onDispatch = MEMORY_MAP.task + TASK.syscall_dispatch_on_dispatch;
    let checked = 0;
    for (const input of SAMPLE) {
      const t = trace(p, input, { collect: true });
      expect(t.insns).toHaveLength(t.steps);
      expect(t.effectIndex).toHaveLength(t.effects.length);
      t.effects.forEach((effect, k) => {
        const insn = t.insns![t.effectIndex[k]!]!;
        if (effect.kind === "on_dispatch_cleared") {
          expect(insn.mem).toContainEqual(expect.objectContaining({ addr: onDispatch, store: true }));
        } else {
          expect(hookAt.get(insn.pc)).toBeDefined();
          expect(insn.name).toBe("RET");
        }
        checked++;
      });
    }
    expect(checked).toBeGreaterThan(20);
  });

  it("emits on_dispatch_cleared when the SUD gate stores on_dispatch = false", () => {
    const p = load("ref.clang.defconfig");
    const t = trace(p, defaultInput({ work: SYSCALL_WORK_SYSCALL_USER_DISPATCH, onDispatch: true }));
    expect(t.effects).toEqual([{ kind: "on_dispatch_cleared" }]);
    expect(t.final.onDispatch).toBe(false);
    expect(t.task[TASK.syscall_dispatch_on_dispatch]).toBe(0);
  });

  it("returns coded errors for an unknown fixture, a missing symbol and the step limit", () => {
    expect(loadProgram("no-such-fixture")).toMatchObject({
      code: "EXITWORK_FIXTURE_UNKNOWN",
      path: "no-such-fixture",
    });
    const noHooks = writeElf({
      entry: 0x10000,
      segments: [{ vaddr: 0x10000, bytes: wordsToBytes([0xd65f03c0]), flags: 5 }],
      symbols: [{ name: "exitwork_el0_svc", value: 0x10000 }],
    });
    expect(loadProgram(noHooks, "nohooks.elf")).toMatchObject({
      code: "EXITWORK_ELF_MISSING_SYMBOL",
      path: "nohooks.elf#exitwork_syscall_body",
    });
    const limited = runExit(load("ref.gcc.defconfig"), defaultInput(), { maxSteps: 5 });
    expect(limited).toMatchObject({ code: "EXITWORK_SIM_STEP_LIMIT", steps: 5 });
  });

  it("rejects a program whose segments overlap the harness memory map", () => {
    const bytes = writeElf({
      entry: MEMORY_MAP.task,
      segments: [{ vaddr: MEMORY_MAP.task, bytes: wordsToBytes([0xd65f03c0, 0xd65f03c0]), flags: 5 }],
      symbols: [
        { name: "exitwork_el0_svc", value: MEMORY_MAP.task },
        ...HOOKS.map((name) => ({ name, value: MEMORY_MAP.task + 4 })),
      ],
    });
    expect(loadProgram(bytes, "clash.elf")).toMatchObject({
      code: "EXITWORK_RUN_MEMORY_MAP",
      path: "clash.elf@0x100000",
    });
  });

  it("reports AAPCS64 violations: a clobbered callee-saved register and a moved sp", () => {
    // mov x19, #1 ; sub sp, sp, #16 ; ret
    const p = loadProgram(handMade([0xd2800033, 0xd10043ff, 0xd65f03c0]), "clobber.elf");
    if (isRunError(p)) throw new Error(p.message);
    const t = trace(p, defaultInput());
    expect(t.abi.ok).toBe(false);
    expect(t.abi.problems).toHaveLength(2);
    expect(t.abi.problems[0]).toMatch(/^x19 not preserved: 0x5a5a000000001313 -> 0x1$/);
    expect(t.abi.problems[1]).toMatch(/^sp not restored/);
  });

  it("reports a fault inside a fixture-shaped program with pc and disassembly", () => {
    // mov x2, #0 ; ldr x0, [x2] (address 0 is unmapped)
    const p = loadProgram(handMade([0xd2800002, 0xf9400040, 0xd65f03c0]), "fault.elf");
    if (isRunError(p)) throw new Error(p.message);
    expect(runExit(p, defaultInput())).toMatchObject({
      code: "EXITWORK_SIM_FAULT",
      path: "fault.elf@0x10004",
      disasm: "ldr\tx0, [x2]",
    });
  });
});
