/**
 * A model of `perf bench syscall basic` (tools/perf/bench/syscall.c: 10,000,000 getppid() calls in a
 * loop) before and after the inlining patches, from the modelled cycles of the entry and exit work.
 *
 * The model is one subtraction, no fitted parameter: the `before` kernel takes `baselineCycles` per
 * syscall (default: the seed thread's measured 0.217192 usecs/op at 2.6 GHz); the `after` kernel
 * takes that minus what the simulated core says the patch saves on the modelled code
 * (cycles of the before variant minus cycles of the after variant, steady state). Everything
 * outside the modelled code (exception entry/return, the syscall table, getppid itself) is in the
 * baseline and is assumed unchanged by the patch.
 *
 * Upstream numbers: shared/KERNEL.md §8 (v9 15/16 cover letter and the v10 series, Kunpeng 920).
 */
import { disassemble } from "../a64/decode.ts";
import { type ExecutedInsn, REG_SP } from "../a64/stream.ts";
import { fail, formatError } from "../errors.ts";
import { svcFixtures } from "../kernel/entry/fixtures.ts";
import { defaultSyscallInput, formatSyscallEffect, type SyscallInput } from "../kernel/entry/types.ts";
import {
  FIXTURE_COMPILERS,
  FIXTURE_CONFIGS,
  type FixtureCompiler,
  type FixtureConfig,
  type FixtureInfo,
  listFixtures,
} from "../kernel/fixtures.ts";
import { defaultInput } from "../kernel/state.ts";
import { SYSCALL_WORK_SYSCALL_AUDIT } from "../kernel/work.ts";
import { attributeCycles } from "../timing/attribute.ts";
import { simulate } from "../timing/pipeline.ts";
import { detailRun, type EffectCycles } from "./detail.ts";
import { coreModel, type Mode, subjectOf, timeSubject } from "./observe.ts";
import { isRunError, MEMORY_MAP, type Program, PT_REGS_ADDR } from "./run.ts";
import { loadSyscallProgram, runSyscall } from "./run-syscall.ts";

/** tools/perf/bench/syscall.c: `loops` defaults to 10,000,000. */
export const PERF_BENCH_OPS = 10_000_000;
/** Kunpeng 920 clock (shared/TIMING.md: 920-4826 and 920-6426 run at 2.6 GHz). */
export const DEFAULT_GHZ = 2.6;
/** The seed's `before` usecs/op (v9 15/16 cover letter, shared/seed/). */
export const SEED_BEFORE_USECS = 0.217192;
/** SEED_BEFORE_USECS at DEFAULT_GHZ, rounded as shared/KERNEL.md §8 states it. */
export const DEFAULT_BASELINE_CYCLES = 564.7;
/** __NR_getppid in include/uapi/asm-generic/unistd.h (arm64 uses the generic table). */
export const NR_GETPPID = 173;
/** What getppid() returns in the model: any small positive pid, the exit path only tests its sign. */
export const GETPPID_RESULT = 1234n;
export const DEFAULT_BUILD = "gcc.defconfig";

/** What one perf-bench row set says: the seed's three metrics. */
export interface BenchMetrics {
  readonly totalSec: number;
  readonly usecsPerOp: number;
  readonly opsPerSec: number;
}

export interface BenchTable {
  readonly before: BenchMetrics;
  readonly after: BenchMetrics;
  /** (after - before) / before * 100, per metric. */
  readonly changePct: BenchMetrics;
}

/** The metrics of `cyclesPerOp` cycles per syscall at `ghz`, over `ops` syscalls. */
export function benchMetrics(cyclesPerOp: number, ghz: number, ops = PERF_BENCH_OPS): BenchMetrics {
  const usecsPerOp = cyclesPerOp / (ghz * 1000);
  return { totalSec: (usecsPerOp * ops) / 1e6, usecsPerOp, opsPerSec: 1e6 / usecsPerOp };
}

export function changePct(before: number, after: number): number {
  return ((after - before) / before) * 100;
}

/**
 * The model: before = baseline; after = baseline - (beforeCycles - afterCycles), both per syscall.
 */
export function benchTable(
  baselineCycles: number,
  beforeCycles: number,
  afterCycles: number,
  ghz: number,
  ops = PERF_BENCH_OPS,
): BenchTable {
  const before = benchMetrics(baselineCycles, ghz, ops);
  const after = benchMetrics(baselineCycles - (beforeCycles - afterCycles), ghz, ops);
  return {
    before,
    after,
    changePct: {
      totalSec: changePct(before.totalSec, after.totalSec),
      usecsPerOp: changePct(before.usecsPerOp, after.usecsPerOp),
      opsPerSec: changePct(before.opsPerSec, after.opsPerSec),
    },
  };
}

/** A change measured upstream, as published. */
export interface UpstreamChange {
  readonly source: string;
  readonly metric: "usecs/op" | "Total time";
  readonly before: number;
  readonly after: number;
  /** As the thread rounds it ("-2.6%", "about -4%"). */
  readonly stated: string;
}

export function upstreamPct(u: UpstreamChange): number {
  return changePct(u.before, u.after);
}

/** model - upstream, in percentage points: negative means the model predicts a larger speed-up. */
export function differencePp(modelPct: number, upstream: number): number {
  return modelPct - upstream;
}

export type PatchId = "v9" | "v10";

export interface PatchModel {
  readonly id: PatchId;
  readonly title: string;
  readonly upstream: UpstreamChange;
}

export const PATCHES: readonly PatchModel[] = [
  {
    id: "v9",
    title: "exit work inlined (v9 15/16)",
    upstream: {
      source: "v9 15/16 cover letter, Kunpeng 920, audit=1",
      metric: "usecs/op",
      before: 0.217192,
      after: 0.211453,
      stated: "-2.6%",
    },
  },
  {
    id: "v10",
    title: "exit and entry inlined (v10 / v7.0)",
    upstream: {
      source: "v10 series, Kunpeng 920, audit=1, 10,000,000 calls",
      metric: "Total time",
      before: 2.353,
      after: 2.264,
      stated: "about -4%",
    },
  },
];

export interface VariantPair {
  readonly before: string;
  readonly after: string;
}

/**
 * Which fixtures model the syscall: `svc`, the whole el0_svc_common (entry work, body, exit
 * work) in the three layouts of the series; `exit`, the exit-only fixtures (body, then exit work),
 * where both patches can only compare `ref` with `inline` and the entry half of v10 is missing.
 */
export const FIXTURE_SETS = ["svc", "exit"] as const;
export type FixtureSet = (typeof FIXTURE_SETS)[number];

export const PATCH_VARIANTS: Readonly<Record<FixtureSet, Readonly<Record<PatchId, VariantPair>>>> = {
  svc: {
    v9: { before: "svc-ref", after: "svc-exit-inline" },
    v10: { before: "svc-ref", after: "svc-inline" },
  },
  exit: {
    v9: { before: "ref", after: "inline" },
    v10: { before: "ref", after: "inline" },
  },
};

/** The thread state the benchmark runs in. */
export interface BenchState {
  readonly work: bigint;
  readonly auditContext: boolean;
}

/** An audit=1 boot: audit_alloc() set SYSCALL_WORK_SYSCALL_AUDIT and gave the task an audit context. */
export const AUDIT_BOOT: BenchState = { work: SYSCALL_WORK_SYSCALL_AUDIT, auditContext: true };
/** The fast path: no work bit, no audit context (an audit=0 boot). */
export const QUIET_THREAD: BenchState = { work: 0n, auditContext: false };

/**
 * getppid() on an AArch64 task in `state`: no argument, nothing decided at entry (SUD allows,
 * seccomp allows, no tracer action), the work word unchanged by the body.
 */
export function benchInput(state: BenchState): SyscallInput {
  return defaultSyscallInput({
    work: state.work,
    auditContext: state.auditContext,
    regs: { ...defaultInput().regs, x0: GETPPID_RESULT, orig_x0: 0n, syscallno: NR_GETPPID },
  });
}

/** Instruction classes a reader can tie to the inlining: what a call costs and what stays. */
export const INSN_CATEGORIES = [
  "call/ret",
  "frame save/restore",
  "PAC/BTI hints",
  "ftrace NOPs",
  "register moves",
  "branches",
  "kernel data loads/stores",
  "compute",
] as const;
export type InsnCategory = (typeof INSN_CATEGORIES)[number];

function inFrameMemory(addr: number): boolean {
  const stack = addr >= MEMORY_MAP.stackBase && addr < PT_REGS_ADDR;
  const scs =
    addr >= MEMORY_MAP.shadowCallStack && addr < MEMORY_MAP.shadowCallStack + MEMORY_MAP.shadowCallStackSize;
  return stack || scs;
}

/**
 * The class of one executed instruction. Frame accesses are the ones below pt_regs on the kernel
 * stack or on the shadow call stack; pt_regs and task_struct accesses are kernel data.
 */
export function categorize(insn: ExecutedInsn): InsnCategory {
  if (insn.branch === "call" || insn.branch === "indirect_call" || insn.branch === "return")
    return "call/ret";
  if (insn.branch !== "none") return "branches";
  if (insn.name === "PACIASP" || insn.name === "AUTIASP" || insn.name === "BTI" || insn.name === "HINT")
    return "PAC/BTI hints";
  if (insn.name === "NOP") return "ftrace NOPs";
  if (insn.mem.length > 0)
    return insn.mem.every((m) => inFrameMemory(m.addr)) ? "frame save/restore" : "kernel data loads/stores";
  if (insn.name === "MRS") return "kernel data loads/stores";
  // `mov x29, sp` points the frame pointer at the new frame record (AAPCS64, "The Frame Pointer").
  if (insn.writes.includes(29) && insn.reads.includes(REG_SP)) return "frame save/restore";
  if (/^mov\t[xw]\d+, [xw](\d+|zr)$/.test(disassemble(insn.word, insn.pc))) return "register moves";
  return "compute";
}

export interface CategoryCycles {
  readonly category: InsnCategory;
  readonly instructions: number;
  readonly cycles: number;
}

/**
 * Cycles per instruction class: each instruction is charged the cycles by which it moved the
 * retire point (retire[i] - retire[i-1]), so the classes add up to the retire cycle of the last
 * instruction + 1, the run's total cycles.
 */
export function cyclesByCategory(
  insns: readonly ExecutedInsn[],
  retire: ArrayLike<number>,
): CategoryCycles[] {
  const cycles = new Map<InsnCategory, number>();
  const counts = new Map<InsnCategory, number>();
  let previous = -1;
  insns.forEach((insn, i) => {
    const category = categorize(insn);
    const at = retire[i] ?? previous;
    cycles.set(category, (cycles.get(category) ?? 0) + (at - previous));
    counts.set(category, (counts.get(category) ?? 0) + 1);
    previous = at;
  });
  return INSN_CATEGORIES.map((category) => ({
    category,
    instructions: counts.get(category) ?? 0,
    cycles: cycles.get(category) ?? 0,
  }));
}

/** How often each mnemonic (objdump's spelling) executed, keys sorted. */
export function mnemonicCounts(insns: readonly ExecutedInsn[]): Record<string, number> {
  const counts = new Map<string, number>();
  for (const insn of insns) {
    const mnemonic = disassemble(insn.word, insn.pc).split("\t")[0]!;
    counts.set(mnemonic, (counts.get(mnemonic) ?? 0) + 1);
  }
  return Object.fromEntries([...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** One variant run on the core: the numbers and the evidence behind them. */
export interface VariantRun {
  readonly variant: string;
  readonly fixtureId: string;
  readonly sha256: string;
  readonly cycles: number;
  readonly instructions: number;
  readonly effects: readonly string[];
  readonly perEffect: readonly EffectCycles[];
  readonly categories: readonly CategoryCycles[];
  /** Executed instructions per mnemonic, mnemonics in alphabetical order. */
  readonly mnemonics: Readonly<Record<string, number>>;
}

export function parseBuild(build: string): { compiler: FixtureCompiler; config: FixtureConfig } {
  const [compiler, config, ...rest] = build.split(".");
  if (
    rest.length > 0 ||
    !(FIXTURE_COMPILERS as readonly string[]).includes(compiler ?? "") ||
    !(FIXTURE_CONFIGS as readonly string[]).includes(config ?? "")
  ) {
    return fail(
      "USAGE",
      "--build",
      `expects <compiler>.<config> with compiler ${FIXTURE_COMPILERS.join("|")} and config ${FIXTURE_CONFIGS.join("|")}, got "${build}"`,
    );
  }
  return { compiler: compiler as FixtureCompiler, config: config as FixtureConfig };
}

function isSvcVariant(variant: string): boolean {
  return variant.startsWith("svc-");
}

/** The fixture of a variant (exit-only or whole-syscall, by its name) for a build. */
export function variantFixture(variant: string, build: string): FixtureInfo {
  const { compiler, config } = parseBuild(build);
  const filter = { variant, compiler, config, mutants: false };
  const info = (isSvcVariant(variant) ? svcFixtures(filter) : listFixtures(filter))[0];
  if (!info)
    return fail("EXITWORK_FIXTURE_UNKNOWN", `${variant}.${build}`, "no such fixture in the manifest");
  return info;
}

const svcPrograms = new Map<string, Program>();

function svcProgram(info: FixtureInfo): Program {
  let program = svcPrograms.get(info.id);
  if (!program) {
    const loaded = loadSyscallProgram(info.id);
    if (isRunError(loaded)) return fail(loaded.code, loaded.path, loaded.message);
    program = loaded;
    svcPrograms.set(info.id, program);
  }
  return program;
}

/** A whole-syscall run: the same timing and attribution detailRun applies to an exit-only run. */
function runSvcVariant(info: FixtureInfo, input: SyscallInput, core: string, mode: Mode): VariantRun {
  const trace = runSyscall(svcProgram(info), input, { collect: true });
  if (isRunError(trace)) return fail("RUN_FAILED", info.id, formatError(trace));
  const stream = trace.insns ?? [];
  const timing = simulate(coreModel(core), stream, { mode, frontEnd: true });
  const perEffect = attributeCycles(timing, trace.effectIndex).map((share) => ({
    effect: share.effect === "return" ? "return" : formatSyscallEffect(trace.effects[share.effect]!),
    cycles: share.cycles,
  }));
  return {
    variant: info.variant,
    fixtureId: info.id,
    sha256: info.sha256,
    cycles: timing.totalCycles,
    instructions: stream.length,
    effects: trace.effects.map(formatSyscallEffect),
    perEffect,
    categories: cyclesByCategory(stream, timing.retire),
    mnemonics: mnemonicCounts(stream),
  };
}

/**
 * Runs one variant on `input` (steady state unless told) and explains its cycles. Exit-only
 * variants see the ExitInput part of `input`.
 */
export function runVariant(
  variant: string,
  build: string,
  input: SyscallInput,
  core: string,
  mode: Mode = "steady",
): VariantRun {
  const info = variantFixture(variant, build);
  if (isSvcVariant(variant)) return runSvcVariant(info, input, core, mode);
  const subject = subjectOf(info);
  const timed = timeSubject(subject, input, core, mode);
  const detail = detailRun(subject, input, variant, { core, mode });
  return {
    variant,
    fixtureId: info.id,
    sha256: info.sha256,
    cycles: timed.cycles,
    instructions: timed.stream.length,
    effects: timed.trace.effects.map(formatSyscallEffect),
    perEffect: detail.perEffect,
    categories: cyclesByCategory(timed.stream, timed.timing.retire),
    mnemonics: mnemonicCounts(timed.stream),
  };
}

export interface PerfBenchOptions {
  readonly core: string;
  readonly state: BenchState;
  readonly build: string;
  readonly baselineCycles: number;
  readonly ghz: number;
  /** Default `svc`: the whole syscall, entry and exit work. */
  readonly fixtures?: FixtureSet;
}

export interface PatchResult {
  readonly patch: PatchModel;
  readonly variants: VariantPair;
  readonly before: VariantRun;
  readonly after: VariantRun;
  readonly table: BenchTable;
  readonly upstreamPct: number;
  /**
   * Model minus upstream, percentage points, on the metric upstream published; null when the
   * thread state is not the one upstream measured (an audit=1 boot), so there is nothing to compare.
   */
  readonly differencePp: number | null;
  /** True when the after variant does not contain this patch's whole change (entry side missing). */
  readonly partial: boolean;
}

export interface PerfBenchResult {
  readonly options: PerfBenchOptions;
  readonly fixtures: FixtureSet;
  readonly input: SyscallInput;
  readonly patches: readonly PatchResult[];
}

/** The state upstream benchmarked: exactly the AUDIT bit and an audit context. */
export function isAuditBoot(state: BenchState): boolean {
  return state.work === AUDIT_BOOT.work && state.auditContext === AUDIT_BOOT.auditContext;
}

export function modelPctOn(table: BenchTable, metric: UpstreamChange["metric"]): number {
  return metric === "usecs/op" ? table.changePct.usecsPerOp : table.changePct.totalSec;
}

export function perfBench(options: PerfBenchOptions): PerfBenchResult {
  if (!(options.baselineCycles > 0))
    fail("USAGE", "--baseline-cycles", "expects a positive number of cycles");
  if (!(options.ghz > 0)) fail("USAGE", "--ghz", "expects a positive clock in GHz");
  const fixtures = options.fixtures ?? "svc";
  const input = benchInput(options.state);
  const patches = PATCHES.map((patch): PatchResult => {
    const variants = PATCH_VARIANTS[fixtures][patch.id];
    const before = runVariant(variants.before, options.build, input, options.core);
    const after = runVariant(variants.after, options.build, input, options.core);
    const table = benchTable(options.baselineCycles, before.cycles, after.cycles, options.ghz);
    const up = upstreamPct(patch.upstream);
    return {
      patch,
      variants,
      before,
      after,
      table,
      upstreamPct: up,
      differencePp: isAuditBoot(options.state)
        ? differencePp(modelPctOn(table, patch.upstream.metric), up)
        : null,
      partial: fixtures === "exit" && patch.id === "v10",
    };
  });
  return { options, fixtures, input, patches };
}
