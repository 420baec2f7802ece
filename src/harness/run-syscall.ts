import { z } from "zod";
import { runCore } from "../a64/core.ts";
import { Machine, SYSREGS } from "../a64/machine.ts";
import type { Memory, Region } from "../a64/memory.ts";
import type { ExitworkError } from "../errors.ts";
import { readSvcFixture, svcFixtureInfo } from "../kernel/entry/fixtures.ts";
import {
  defaultSyscallInput,
  type SyscallEffect,
  type SyscallInput,
  type SyscallOutcome,
} from "../kernel/entry/types.ts";
import { PT_REGS, regOffset, TASK } from "../kernel/layout.ts";
import { _TIF_32BIT } from "../kernel/work.ts";
import {
  EXIT_EFFECT_SCHEMAS,
  finalFromJson,
  finalSchema,
  hexValue,
  runDriver,
  toExitEffect,
} from "./qemu.ts";
import {
  abiProblems,
  DEFAULT_MAX_STEPS,
  finalState,
  initialMemory,
  MEMORY_MAP,
  type Program,
  PT_REGS_ADDR,
  performExitHook,
  programFromElf,
  type RunError,
  type RunOptions,
  type RunTrace,
  resetCore,
  streamListener,
  writeInputState,
} from "./run.ts";

export const SVC_HOOKS = [
  "syscall_user_dispatch",
  "rseq_syscall_enter_work",
  "ptrace_report_syscall_entry",
  "__secure_computing",
  "trace_sys_enter",
  "__audit_syscall_entry",
  "exitwork_syscall_fn",
  "__audit_syscall_exit",
  "trace_sys_exit",
  "ptrace_report_syscall_exit",
  "rseq_syscall",
] as const;
export type SvcHookName = (typeof SVC_HOOKS)[number];

export interface SyscallTrace extends Omit<RunTrace, "effects"> {
  readonly effects: SyscallEffect[];
}

/** loadSyscallProgram() - a whole-syscall program from ELF bytes or an svc fixture id, hooks tagged. */
export function loadSyscallProgram(source: Uint8Array | string, name?: string): Program | RunError {
  if (typeof source !== "string") return programFromElf(source, name ?? "<elf>", SVC_HOOKS);
  try {
    return programFromElf(readSvcFixture(source), source, SVC_HOOKS);
  } catch (thrown) {
    const error = (thrown as { error?: ExitworkError }).error;
    if (error !== undefined) return error;
    throw thrown;
  }
}

/** One program's memory, kept between runs and restored from a snapshot (allocation dominates a run). */
interface Sandbox {
  readonly mem: Memory;
  readonly m: Machine;
  readonly regions: readonly { readonly region: Region; readonly init: Uint8Array }[];
  busy: boolean;
}

const sandboxes = new WeakMap<Program, Sandbox>();
const QUIET = defaultSyscallInput();

function newSandbox(program: Program): Sandbox {
  const mem = initialMemory(program, QUIET);
  const names = [
    "task_struct",
    "kernel_stack",
    "shadow_call_stack",
    ...program.image.segments.map((_, i) => `segment${i}`),
  ];
  const regions = names
    .map((n) => mem.region(n))
    .filter((r): r is Region => r !== undefined && r.perm !== "r" && r.perm !== "rx")
    .map((region) => ({ region, init: region.bytes.slice() }));
  const m = new Machine(mem);
  m.sysregs.set(SYSREGS.sp_el0, BigInt(MEMORY_MAP.task));
  m.sysregs.set(SYSREGS.tpidr_el0, BigInt(MEMORY_MAP.task));
  return { mem, m, regions, busy: false };
}

/** The input's fields in task_struct and pt_regs, as run.ts writes them, plus the arguments x1..x3. */
function reset(sb: Sandbox, input: SyscallInput): void {
  for (const r of sb.regions) r.region.bytes.set(r.init);
  writeInputState(sb.mem, input);
  input.args.forEach((value, i) => {
    sb.mem.poke(PT_REGS_ADDR + regOffset(i + 1), 8, BigInt.asUintN(64, value));
  });
}

/** The hooks' view of a run: the input, the effects so far and whether the body has run. */
interface HookState {
  readonly input: SyscallInput;
  readonly effects: SyscallEffect[];
  readonly effectIndex: number[];
  bodyCalled: boolean;
  skipNoted: boolean;
}

function push(s: HookState, effect: SyscallEffect, index: number): void {
  s.effects.push(effect);
  s.effectIndex.push(index);
}

function noticeExitSide(s: HookState, index: number): void {
  if (s.bodyCalled || s.skipNoted) return;
  s.skipNoted = true;
  push(s, { kind: "syscall_skipped" }, index);
}

const s32 = (v: bigint): number => Number(BigInt.asIntN(32, v));
const s64 = (v: bigint): number => Number(BigInt.asIntN(64, v));

/** Performs one hook's effect at its address, before its `ret` executes. */
function performHook(hook: SvcHookName, m: Machine, s: HookState, index: number): void {
  const mem = m.mem;
  const input = s.input;
  const scratchIndex = input.compat ? 12 : 7;
  const scratchReg = input.compat ? "r12" : "x7";
  const syscallnoAt = (regs: number) => regs + PT_REGS.syscallno;
  const setReturn = (regs: number, value: bigint) =>
    mem.poke(regs + regOffset(0), 8, input.compat ? BigInt.asUintN(32, value) : BigInt.asUintN(64, value));
  switch (hook) {
    case "syscall_user_dispatch": {
      const regs = Number(m.x[0]!);
      push(s, { kind: "sud_dispatch", outcome: input.sud }, index);
      if (input.sud === "dispatch") {
        mem.poke(MEMORY_MAP.task + TASK.syscall_dispatch_on_dispatch, 1, 1n);
        mem.poke(regs + regOffset(0), 8, mem.peek(regs + PT_REGS.orig_x0, 8));
      }
      m.x[0] = input.sud === "allow" ? 0n : 1n;
      return;
    }
    case "rseq_syscall_enter_work":
      push(s, { kind: "rseq_slice_enter", nr: s64(m.x[0]!) }, index);
      return;
    case "ptrace_report_syscall_entry": {
      const regs = Number(m.x[0]!);
      push(
        s,
        {
          kind: "ptrace_entry",
          scratchReg,
          scratch: mem.peek(regs + regOffset(scratchIndex), 8),
          nr: s32(mem.peek(syscallnoAt(regs), 4)),
        },
        index,
      );
      const t = input.entryTracer;
      if (t.kind === "set_nr") mem.poke(syscallnoAt(regs), 4, BigInt.asUintN(32, BigInt(t.nr)));
      if (t.kind === "write_scratch")
        mem.poke(regs + regOffset(scratchIndex), 8, BigInt.asUintN(64, t.scratch));
      m.x[0] = t.kind === "skip" ? 1n : 0n;
      return;
    }
    case "__secure_computing": {
      // No argument: seccomp reads current_pt_regs(), the top of the kernel stack.
      push(s, { kind: "seccomp", nr: s32(mem.peek(syscallnoAt(PT_REGS_ADDR), 4)) }, index);
      const v = input.seccomp;
      if (v.kind === "errno") setReturn(PT_REGS_ADDR, BigInt(-v.errno));
      m.x[0] = v.kind === "allow" ? 0n : BigInt.asUintN(64, -1n);
      return;
    }
    case "trace_sys_enter": {
      push(s, { kind: "sys_enter", nr: s64(m.x[1]!) }, index);
      if (input.tracepointNr !== null)
        mem.poke(syscallnoAt(Number(m.x[0]!)), 4, BigInt.asUintN(32, BigInt(input.tracepointNr)));
      return;
    }
    case "__audit_syscall_entry":
      push(s, { kind: "audit_entry", nr: s32(m.x[0]!), args: [m.x[1]!, m.x[2]!, m.x[3]!, m.x[4]!] }, index);
      return;
    case "exitwork_syscall_fn":
      s.bodyCalled = true;
      push(s, { kind: "syscall_body", nr: s32(m.x[1]!) }, index);
      mem.poke(MEMORY_MAP.task + TASK.thread_info_syscall_work, 8, input.work);
      mem.poke(
        MEMORY_MAP.task + TASK.thread_info_flags,
        8,
        input.tifFlags | (input.compat ? _TIF_32BIT : 0n),
      );
      m.x[0] = BigInt.asUintN(64, input.regs.x0);
      return;
    default:
      noticeExitSide(s, index);
      performExitHook(hook, m, input, (effect) => push(s, effect, index));
      return;
  }
}

/**
 * runSyscall() - one el0_svc_common for `input` on the simulated core
 * @program: from loadSyscallProgram()
 * @input: the task at entry and what every hook decides
 * @opts: as runExit's; `collect` keeps the ExecutedInsn stream for the timing model
 *
 * Return: the trace (effects in order with their instruction index, final pt_regs and
 * on_dispatch, raw task_struct and pt_regs bytes, steps, ABI check), or a fault, trap,
 * undecodable word or step limit as an error value.
 */
export function runSyscall(
  program: Program,
  input: SyscallInput,
  opts: RunOptions = {},
): SyscallTrace | RunError {
  const cached = sandboxes.get(program);
  const sb = cached === undefined || cached.busy ? newSandbox(program) : cached;
  if (cached === undefined) sandboxes.set(program, sb);
  reset(sb, input);
  sb.busy = true;
  try {
    return runIn(sb, program, input, opts);
  } finally {
    sb.busy = false;
  }
}

function runIn(
  sb: Sandbox,
  program: Program,
  input: SyscallInput,
  opts: RunOptions,
): SyscallTrace | RunError {
  const { mem, m } = sb;
  resetCore(m);
  const s: HookState = { input, effects: [], effectIndex: [], bodyCalled: false, skipNoted: false };
  mem.watchByte(MEMORY_MAP.task + TASK.syscall_dispatch_on_dispatch, (_addr, oldValue, newValue) => {
    if (oldValue === 1 && newValue === 0) {
      noticeExitSide(s, m.step);
      push(s, { kind: "on_dispatch_cleared" }, m.step);
    }
  });

  const { insns, onInsn } = streamListener(opts);
  const result = runCore(program.code, m, program.entry, {
    stopAt: MEMORY_MAP.returnSentinel,
    maxSteps: opts.maxSteps ?? DEFAULT_MAX_STEPS,
    onInsn,
    onState: opts.onState,
    onIntercept: (tag, machine, index) => performHook(tag as SvcHookName, machine, s, index),
    name: program.name,
    symbolizer: program.symbolizer,
  });
  if (!result.ok) return result.error;
  noticeExitSide(s, result.steps);

  const problems = abiProblems(m);
  const task = mem.region("task_struct")!;
  const stack = mem.region("kernel_stack")!;
  const ptOff = PT_REGS_ADDR - stack.base;
  return {
    effects: s.effects,
    effectIndex: s.effectIndex,
    final: finalState(mem),
    task: task.bytes.slice(),
    ptRegs: stack.bytes.slice(ptOff, ptOff + PT_REGS.size),
    steps: result.steps,
    abi: { ok: problems.length === 0, problems },
    ...(insns !== undefined ? { insns } : {}),
  };
}

const SUD_CODE: Record<SyscallInput["sud"], number> = { allow: 0, dispatch: 1, kill: 2 };
const ENTRY_TRACER_CODE: Record<SyscallInput["entryTracer"]["kind"], number> = {
  none: 0,
  set_nr: 1,
  skip: 2,
  write_scratch: 3,
};
const SECCOMP_CODE: Record<SyscallInput["seccomp"]["kind"], number> = { allow: 0, errno: 1, skip: 2 };
const EXIT_TRACER_CODE: Record<SyscallInput["tracer"]["kind"], number> = {
  none: 0,
  write_x0: 1,
  write_scratch: 2,
  write_both: 3,
};

/** One user/svc_driver.c input line (field order documented there). */
export function encodeSyscallInput(input: SyscallInput): string {
  const et = input.entryTracer;
  const t = input.tracer;
  const u32 = (n: number) => BigInt.asUintN(32, BigInt(n));
  return [
    input.work,
    input.workAtEntry,
    input.tifFlags & ~_TIF_32BIT,
    input.onDispatch ? 1n : 0n,
    input.auditContext ? 1n : 0n,
    input.compat ? 1n : 0n,
    input.regs.x0,
    input.regs.x7,
    input.regs.x12,
    input.regs.orig_x0,
    u32(input.regs.syscallno),
    ...input.args,
    BigInt(SUD_CODE[input.sud]),
    BigInt(ENTRY_TRACER_CODE[et.kind]),
    et.kind === "set_nr" ? u32(et.nr) : et.kind === "write_scratch" ? et.scratch : 0n,
    BigInt(SECCOMP_CODE[input.seccomp.kind]),
    input.seccomp.kind === "errno" ? BigInt(input.seccomp.errno) : 0n,
    input.tracepointNr === null ? 0n : 1n,
    input.tracepointNr === null ? 0n : u32(input.tracepointNr),
    BigInt(EXIT_TRACER_CODE[t.kind]),
    t.kind === "write_x0" || t.kind === "write_both" ? t.x0 : 0n,
    t.kind === "write_scratch" || t.kind === "write_both" ? t.scratch : 0n,
  ]
    .map((v) => BigInt.asUintN(64, v).toString(16))
    .join(" ");
}

const scratchReg = z.enum(["x7", "r12"]);
const outcomeSchema = z.object({
  effects: z.array(
    z.discriminatedUnion("kind", [
      z.object({ kind: z.literal("sud_dispatch"), outcome: z.enum(["allow", "dispatch", "kill"]) }),
      z.object({ kind: z.literal("rseq_slice_enter"), nr: z.number().int() }),
      z.object({ kind: z.literal("ptrace_entry"), scratchReg, scratch: hexValue, nr: z.number().int() }),
      z.object({ kind: z.literal("seccomp"), nr: z.number().int() }),
      z.object({ kind: z.literal("sys_enter"), nr: z.number().int() }),
      z.object({ kind: z.literal("audit_entry"), nr: z.number().int(), args: z.array(hexValue).length(4) }),
      z.object({ kind: z.literal("syscall_body"), nr: z.number().int() }),
      z.object({ kind: z.literal("syscall_skipped") }),
      ...EXIT_EFFECT_SCHEMAS,
    ]),
  ),
  final: finalSchema,
});

/** The driver prints registers unsigned; the entry effects' 64-bit fields become bigints. */
function toEffect(raw: z.infer<typeof outcomeSchema>["effects"][number]): SyscallEffect {
  switch (raw.kind) {
    case "ptrace_entry":
      return { ...raw, scratch: BigInt(raw.scratch) };
    case "audit_entry":
      return { ...raw, args: raw.args.map((a) => BigInt(a)) };
    case "sud_dispatch":
    case "rseq_slice_enter":
    case "seccomp":
    case "sys_enter":
    case "syscall_body":
    case "syscall_skipped":
      return raw;
    default:
      return toExitEffect(raw);
  }
}

/**
 * runSyscallQemu() - every input through an svc fixture's user-mode build, one qemu-aarch64 process
 *
 * Failures (no qemu, no user build, a crash, unreadable output) are ExitworkFailure values with an
 * EXITWORK_QEMU_* code, as qemu.ts's runQemu() gives them for the exit-only fixtures.
 */
export function runSyscallQemu(fixtureId: string, inputs: readonly SyscallInput[]): SyscallOutcome[] {
  const info = svcFixtureInfo(fixtureId);
  return runDriver(fixtureId, info.userElfPath, inputs.map(encodeSyscallInput), outcomeSchema).map((raw) => ({
    effects: raw.effects.map(toEffect),
    final: finalFromJson(raw.final),
  }));
}
