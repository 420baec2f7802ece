/**
 * Runs a compiled exit-path fixture on the simulated core: builds the memory map (ELF segments,
 * task_struct, kernel stack with pt_regs at its top, shadow call stack), performs the hooks'
 * effects when pc reaches them (the stubs' own `ret` still executes), and returns the trace.
 *
 * Hook contract (the fixtures engineer's src/kernel/c/hooks.S): exitwork_syscall_body,
 * __audit_syscall_exit, trace_sys_exit, ptrace_report_syscall_exit and rseq_syscall are bare
 * `ret` stubs; exitwork_el0_svc(struct pt_regs *regs) is the entry.
 */
import { Code, type CoreError, runCore } from "../a64/core.ts";
import type { Symbolizer } from "../a64/insn/types.ts";
import { Machine, SYSREGS } from "../a64/machine.ts";
import { Memory, type Region } from "../a64/memory.ts";
import { type ExecutedInsn, REG_SP } from "../a64/stream.ts";
import { type ElfError, type ElfImage, parseElf, symbolAddress } from "../elf/elf.ts";
import type { ExitworkError } from "../errors.ts";
import type { Effect } from "../kernel/effects.ts";
import { readFixture } from "../kernel/fixtures.ts";
import { PT_REGS, regOffset, TASK } from "../kernel/layout.ts";
import { defaultInput, type ExitFinalState, type ExitInput } from "../kernel/state.ts";
import { _TIF_32BIT } from "../kernel/work.ts";

/** The memory map every run uses (all below 2^32, away from the fixtures' text at 0x10000). */
export const MEMORY_MAP = {
  task: 0x0010_0000,
  stackBase: 0x0020_0000,
  stackSize: 0x2000,
  shadowCallStack: 0x0030_0000,
  shadowCallStackSize: 0x400,
  /** x30 at entry: the run ends when pc reaches it. Unmapped, so a stray jump there still ends the run. */
  returnSentinel: 0x00de_ad00,
  /** current->audit_context when the task has one: any non-NULL pointer (the exit path only tests it). */
  auditContext: 0x0050_0000,
} as const;

/** pt_regs at the top of the kernel stack, as in the kernel (task_pt_regs). */
export const PT_REGS_ADDR = MEMORY_MAP.stackBase + MEMORY_MAP.stackSize - PT_REGS.size;

export const ENTRY_SYMBOL = "exitwork_el0_svc";

export const HOOKS = [
  "exitwork_syscall_body",
  "__audit_syscall_exit",
  "trace_sys_exit",
  "ptrace_report_syscall_exit",
  "rseq_syscall",
] as const;
export type HookName = (typeof HOOKS)[number];

/** Callee-saved registers the AAPCS64 (and the kernel's -ffixed-x18) require back unchanged. */
export const PRESERVED = [18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29] as const;

export interface Program {
  readonly name: string;
  readonly image: ElfImage;
  readonly entry: number;
  readonly code: readonly Code[];
  readonly symbolizer: Symbolizer;
}

export interface RunTrace {
  readonly effects: Effect[];
  /** Index of the executed instruction at which each effect happened. */
  readonly effectIndex: number[];
  readonly final: ExitFinalState;
  /** task_struct bytes after the run. */
  readonly task: Uint8Array;
  /** pt_regs bytes after the run. */
  readonly ptRegs: Uint8Array;
  readonly steps: number;
  /** AAPCS64: x18-x29 and sp preserved, return to the sentinel. */
  readonly abi: { readonly ok: boolean; readonly problems: string[] };
  readonly insns?: ExecutedInsn[];
}

export type RunError = CoreError | ElfError | ExitworkError;

export interface RunOptions {
  readonly maxSteps?: number;
  readonly onInsn?: (insn: ExecutedInsn) => void;
  /** Keep every ExecutedInsn in the trace (`insns`). */
  readonly collect?: boolean;
  /** The register file before each instruction, and at the return sentinel (qemu register-trace checks). */
  readonly onState?: (pc: number, m: Machine) => void;
}

export const DEFAULT_MAX_STEPS = 100_000;

/** objdump's `10044 <exitwork_el0_svc+0x44>` from the ELF's function symbols. */
export function symbolizerFor(image: ElfImage): Symbolizer {
  const funcs = [...image.symbols.values()].filter((s) => s.type === 2).sort((a, b) => a.value - b.value);
  return (addr) => {
    const a = Number(addr);
    let best: (typeof funcs)[number] | undefined;
    for (const f of funcs) if (f.value <= a) best = f;
    const hex = addr.toString(16);
    if (best === undefined) return hex;
    const off = a - best.value;
    return `${hex} <${best.name}${off === 0 ? "" : `+0x${off.toString(16)}`}>`;
  };
}

/**
 * Loads a program from ELF bytes or a fixture id (golden/fixtures). The decode cache lives in the
 * returned Program, so every run of it shares decoded instructions.
 */
export function loadProgram(source: Uint8Array | string, name?: string): Program | RunError {
  if (typeof source !== "string") return programFromElf(source, name ?? "<elf>", HOOKS);
  try {
    return programFromElf(readFixture(source), source, HOOKS);
  } catch (thrown) {
    const error = (thrown as { error?: ExitworkError }).error;
    if (error !== undefined) return error;
    throw thrown;
  }
}

/**
 * A program from ELF bytes whose `hooks` symbols the runner intercepts (the exit path's HOOKS, or
 * the whole syscall's in run-syscall.ts); its segments must stay clear of the harness's memory.
 */
export function programFromElf(
  bytes: Uint8Array,
  label: string,
  hooks: readonly string[],
): Program | RunError {
  const parsed = parseElf(bytes, label);
  if (!parsed.ok) return parsed.error;
  const image = parsed.value;
  const entry = symbolAddress(image, ENTRY_SYMBOL);
  if (!entry.ok) return entry.error;
  const intercepts = new Map<number, string>();
  for (const hook of hooks) {
    const at = symbolAddress(image, hook);
    if (!at.ok) return at.error;
    intercepts.set(at.value, hook);
  }
  const harnessRegions: readonly [string, number, number][] = [
    ["task_struct", MEMORY_MAP.task, TASK.size],
    ["kernel_stack", MEMORY_MAP.stackBase, MEMORY_MAP.stackSize],
    ["shadow_call_stack", MEMORY_MAP.shadowCallStack, MEMORY_MAP.shadowCallStackSize],
  ];
  for (const seg of image.segments) {
    for (const [region, base, size] of harnessRegions) {
      if (seg.vaddr < base + size && base < seg.vaddr + seg.memsz) {
        return {
          code: "EXITWORK_RUN_MEMORY_MAP",
          path: `${label}@0x${seg.vaddr.toString(16)}`,
          message: `segment overlaps the harness's ${region} at 0x${base.toString(16)}`,
        };
      }
    }
  }
  const code = image.segments
    .filter((s) => s.executable)
    .map((s) => new Code({ vaddr: s.vaddr, bytes: s.bytes }, intercepts));
  return { name: label, image, entry: entry.value, code, symbolizer: symbolizerFor(image) };
}

export function isRunError(value: object): value is RunError {
  return "code" in value && "message" in value;
}

/** A recognisable value per register: pt_regs and callee-saved registers start from it. */
function pattern(n: number): bigint {
  return 0x5a5a_0000_0000_0000n | (BigInt(n) << 8n) | BigInt(n);
}

/**
 * The memory and core of one program's runs, reset from templates before each run instead of
 * being allocated again (allocation dominated the cost of a run).
 */
interface Sandbox {
  readonly mem: Memory;
  readonly m: Machine;
  readonly task: Region;
  readonly stack: Region;
  readonly shadowCallStack: Region;
  readonly stackTemplate: Uint8Array;
  readonly writableSegments: readonly { readonly region: Region; readonly init: Uint8Array }[];
  /** Created once, reading the run's state below (closures per run were a measurable cost). */
  readonly onIntercept: (tag: string, m: Machine, index: number) => void;
  busy: boolean;
  input: ExitInput;
  effects: Effect[];
  effectIndex: number[];
}

const sandboxes = new WeakMap<Program, Sandbox>();

function newSandbox(program: Program): Sandbox {
  const mem = new Memory();
  const writableSegments: { region: Region; init: Uint8Array }[] = [];
  program.image.segments.forEach((s, i) => {
    const perm = s.executable ? (s.writable ? "rwx" : "rx") : s.writable ? "rw" : "r";
    const region = mem.map(`segment${i}`, s.vaddr, s.memsz, perm, s.bytes, !s.writable);
    if (s.writable) writableSegments.push({ region, init: s.bytes });
  });
  const stackTemplate = new Uint8Array(MEMORY_MAP.stackSize);
  const view = new DataView(stackTemplate.buffer);
  for (let n = 0; n < 31; n++)
    view.setBigUint64(PT_REGS_ADDR - MEMORY_MAP.stackBase + regOffset(n), pattern(n), true);
  const m = new Machine(mem);
  m.sysregs.set(SYSREGS.sp_el0, BigInt(MEMORY_MAP.task));
  m.sysregs.set(SYSREGS.tpidr_el0, BigInt(MEMORY_MAP.task));
  const sb: Sandbox = {
    mem,
    m,
    task: mem.map("task_struct", MEMORY_MAP.task, TASK.size, "rw"),
    stack: mem.map("kernel_stack", MEMORY_MAP.stackBase, MEMORY_MAP.stackSize, "rw"),
    shadowCallStack: mem.map(
      "shadow_call_stack",
      MEMORY_MAP.shadowCallStack,
      MEMORY_MAP.shadowCallStackSize,
      "rw",
    ),
    stackTemplate,
    writableSegments,
    onIntercept: (tag, machine, index) => {
      const count = sb.effects.length;
      performHook(tag as HookName, machine, sb.input, sb.effects);
      for (let i = count; i < sb.effects.length; i++) sb.effectIndex.push(index);
    },
    busy: false,
    input: defaultInput(),
    effects: [],
    effectIndex: [],
  };
  mem.watchByte(MEMORY_MAP.task + TASK.syscall_dispatch_on_dispatch, (_addr, oldValue, newValue) => {
    if (oldValue === 1 && newValue === 0) {
      sb.effects.push({ kind: "on_dispatch_cleared" });
      sb.effectIndex.push(m.step);
    }
  });
  return sb;
}

const INITIAL_REGISTERS: readonly bigint[] = initialRegisters();

/** Puts the sandbox into the state a run of `input` starts from. */
function reset(sb: Sandbox, input: ExitInput): void {
  for (const w of sb.writableSegments) w.region.bytes.set(w.init);
  sb.stack.bytes.set(sb.stackTemplate);
  sb.task.bytes.fill(0);
  sb.shadowCallStack.bytes.fill(0);
  writeInputState(sb.mem, input);
  resetCore(sb.m);
}

/** The input's task_struct fields and pt_regs at syscall entry, into freshly reset memory. */
export function writeInputState(mem: Memory, input: ExitInput): void {
  const compat = input.compat ? _TIF_32BIT : 0n;
  const task = MEMORY_MAP.task;
  mem.poke(task + TASK.thread_info_flags, 8, input.tifFlagsAtEntry | compat);
  mem.poke(task + TASK.thread_info_syscall_work, 8, input.workAtEntry);
  mem.poke(task + TASK.audit_context, 8, input.auditContext ? BigInt(MEMORY_MAP.auditContext) : 0n);
  mem.poke(task + TASK.syscall_dispatch_on_dispatch, 1, input.onDispatch ? 1n : 0n);
  mem.poke(PT_REGS_ADDR + regOffset(0), 8, BigInt.asUintN(64, input.regs.orig_x0));
  mem.poke(PT_REGS_ADDR + regOffset(7), 8, BigInt.asUintN(64, input.regs.x7));
  mem.poke(PT_REGS_ADDR + regOffset(12), 8, BigInt.asUintN(64, input.regs.x12));
  mem.poke(PT_REGS_ADDR + PT_REGS.orig_x0, 8, BigInt.asUintN(64, input.regs.orig_x0));
  mem.poke(PT_REGS_ADDR + PT_REGS.syscallno, 4, BigInt.asUintN(32, BigInt(input.regs.syscallno)));
}

/** The registers and flags every run starts from. */
export function resetCore(m: Machine): void {
  for (let n = 0; n < 32; n++) m.x[n] = INITIAL_REGISTERS[n]!;
  m.nzcv = 0;
  m.taken = false;
  m.step = 0;
}

/** The memory a run of `input` starts from (also the qemu register-trace check's initial image). */
export function initialMemory(program: Program, input: ExitInput): Memory {
  const sb = newSandbox(program);
  reset(sb, input);
  return sb.mem;
}

/** pt_regs fields and on_dispatch after a run. */
export function finalState(mem: Memory): ExitFinalState {
  const reg = (n: number): bigint => mem.peek(PT_REGS_ADDR + regOffset(n), 8);
  return {
    regs: {
      x0: reg(0),
      x7: reg(7),
      x12: reg(12),
      orig_x0: mem.peek(PT_REGS_ADDR + PT_REGS.orig_x0, 8),
      syscallno: Number(BigInt.asIntN(32, mem.peek(PT_REGS_ADDR + PT_REGS.syscallno, 4))),
    },
    onDispatch: mem.peek(MEMORY_MAP.task + TASK.syscall_dispatch_on_dispatch, 1) !== 0n,
  };
}

/** Performs one hook's effect at its address, before its `ret` executes. */
function performHook(hook: HookName, m: Machine, input: ExitInput, effects: Effect[]): void {
  if (hook !== "exitwork_syscall_body") {
    performExitHook(hook, m, input, (e) => effects.push(e));
    return;
  }
  const mem = m.mem;
  const task = MEMORY_MAP.task;
  mem.poke(task + TASK.thread_info_syscall_work, 8, input.work);
  mem.poke(task + TASK.thread_info_flags, 8, input.tifFlags | (input.compat ? _TIF_32BIT : 0n));
  m.x[0] = BigInt.asUintN(64, input.regs.x0);
}

/** The exit path's hooks, shared with the whole-syscall runner (run-syscall.ts). */
export type ExitHookName = Exclude<HookName, "exitwork_syscall_body">;

/**
 * Records an exit hook's effect from its AAPCS64 arguments; at the ptrace stop the tracer sees
 * x0 and the scratch register (x7, r12 for compat) in pt_regs, and its writes land there.
 */
export function performExitHook(
  hook: ExitHookName,
  m: Machine,
  input: ExitInput,
  push: (e: Effect) => void,
): void {
  const mem = m.mem;
  switch (hook) {
    case "__audit_syscall_exit":
      push({
        kind: "audit_exit",
        success: (m.x[0]! & 0xffff_ffffn) !== 0n,
        returnCode: BigInt.asIntN(64, m.x[1]!),
      });
      return;
    case "trace_sys_exit":
      push({ kind: "sys_exit", ret: BigInt.asIntN(64, m.x[1]!) });
      return;
    case "ptrace_report_syscall_exit": {
      const scratchIndex = input.compat ? 12 : 7;
      const regs = Number(m.x[0]!);
      push({
        kind: "ptrace_exit",
        step: (m.x[1]! & 0xffff_ffffn) !== 0n,
        scratchReg: input.compat ? "r12" : "x7",
        x0: mem.peek(regs + regOffset(0), 8),
        scratch: mem.peek(regs + regOffset(scratchIndex), 8),
      });
      const t = input.tracer;
      if (t.kind === "write_x0" || t.kind === "write_both")
        mem.poke(regs + regOffset(0), 8, BigInt.asUintN(64, t.x0));
      if (t.kind === "write_scratch" || t.kind === "write_both") {
        mem.poke(regs + regOffset(scratchIndex), 8, BigInt.asUintN(64, t.scratch));
      }
      return;
    }
    case "rseq_syscall":
      push({ kind: "rseq_check" });
      return;
  }
}

/** What AAPCS64 (and the kernel's -ffixed-x18) require back after the run: callee-saved registers and sp. */
export function abiProblems(m: Machine): string[] {
  const problems: string[] = [];
  for (const n of PRESERVED) {
    const before = INITIAL_REGISTERS[n]!;
    if (m.x[n] !== before)
      problems.push(`x${n} not preserved: 0x${before.toString(16)} -> 0x${m.x[n]!.toString(16)}`);
  }
  if (m.x[REG_SP] !== BigInt(PT_REGS_ADDR)) {
    problems.push(`sp not restored: 0x${PT_REGS_ADDR.toString(16)} -> 0x${m.x[REG_SP]!.toString(16)}`);
  }
  return problems;
}

/** The listener a run passes to the core: it keeps the stream when `collect` is set. */
export function streamListener(opts: RunOptions): {
  insns: ExecutedInsn[] | undefined;
  onInsn: ((i: ExecutedInsn) => void) | undefined;
} {
  const insns: ExecutedInsn[] | undefined = opts.collect ? [] : undefined;
  const listener = opts.onInsn;
  const onInsn =
    insns !== undefined
      ? (i: ExecutedInsn) => {
          insns.push(i);
          listener?.(i);
        }
      : listener;
  return { insns, onInsn };
}

/**
 * X0..X30 and SP at entry: x0 = sp = pt_regs (at the top of the kernel stack), x18 = the shadow
 * call stack, x30 = the return sentinel, every other register a recognisable pattern.
 */
export function initialRegisters(): bigint[] {
  const x = Array.from({ length: 32 }, (_, n) => pattern(n));
  x[0] = BigInt(PT_REGS_ADDR);
  x[18] = BigInt(MEMORY_MAP.shadowCallStack);
  x[30] = BigInt(MEMORY_MAP.returnSentinel);
  x[REG_SP] = BigInt(PT_REGS_ADDR);
  return x;
}

/** Runs the exit path once for `input`; a fault, trap, undecodable word or step limit is an error value. */
export function runExit(program: Program, input: ExitInput, opts: RunOptions = {}): RunTrace | RunError {
  const cached = sandboxes.get(program);
  // A listener that starts another run of the same program gets its own sandbox.
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

function runIn(sb: Sandbox, program: Program, input: ExitInput, opts: RunOptions): RunTrace | RunError {
  const { mem, m } = sb;
  const effects: Effect[] = [];
  const effectIndex: number[] = [];
  sb.input = input;
  sb.effects = effects;
  sb.effectIndex = effectIndex;

  const { insns, onInsn } = streamListener(opts);
  const result = runCore(program.code, m, program.entry, {
    stopAt: MEMORY_MAP.returnSentinel,
    maxSteps: opts.maxSteps ?? DEFAULT_MAX_STEPS,
    onInsn,
    onState: opts.onState,
    onIntercept: sb.onIntercept,
    name: program.name,
    symbolizer: program.symbolizer,
  });
  if (!result.ok) return result.error;

  const problems = abiProblems(m);
  // One allocation for both snapshots: typed arrays this size live outside the V8 heap.
  const snapshot = new Uint8Array(TASK.size + PT_REGS.size);
  const ptOff = PT_REGS_ADDR - sb.stack.base;
  snapshot.set(sb.task.bytes);
  snapshot.set(sb.stack.bytes.subarray(ptOff, ptOff + PT_REGS.size), TASK.size);
  return {
    effects,
    effectIndex,
    final: finalState(mem),
    task: snapshot.subarray(0, TASK.size),
    ptRegs: snapshot.subarray(TASK.size),
    steps: result.steps,
    abi: { ok: problems.length === 0, problems },
    ...(insns !== undefined ? { insns } : {}),
  };
}
