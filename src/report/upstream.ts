/**
 * The answers to the upstream review questions as text: the perf-bench tables in the seed
 * thread's format, the why-hot explanation, and the report (one Markdown file with SVG charts)
 * that `exitwork report` writes. Formatting only; the numbers come from harness/perfbench.ts and
 * harness/whyhot.ts. Output is byte-for-byte reproducible: no dates, fixed orders and decimals.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { exhaustiveInputs } from "../harness/arbitraries.ts";
import { coreModel, subjectOf, timeSubject } from "../harness/observe.ts";
import { ALL_PATHS, exitPath } from "../harness/paths.ts";
import {
  AUDIT_BOOT,
  type BenchMetrics,
  type BenchState,
  type BenchTable,
  benchTable,
  DEFAULT_BASELINE_CYCLES,
  DEFAULT_BUILD,
  DEFAULT_GHZ,
  INSN_CATEGORIES,
  modelPctOn,
  type PatchResult,
  PERF_BENCH_OPS,
  type PerfBenchResult,
  perfBench,
  QUIET_THREAD,
  runVariant,
  SEED_BEFORE_USECS,
  upstreamPct,
  type VariantRun,
  variantFixture,
} from "../harness/perfbench.ts";
import { WHY_HOT_VARIANTS, type WhyHot, whyHot } from "../harness/whyhot.ts";
import { hex } from "../kernel/effects.ts";
import { defaultSyscallInput } from "../kernel/entry/types.ts";
import type { ExitInput } from "../kernel/state.ts";
import {
  formatWork,
  SYSCALL_WORK_ENTER,
  SYSCALL_WORK_EXIT,
  SYSCALL_WORK_SYSCALL_AUDIT,
} from "../kernel/work.ts";
import { cores } from "../timing/cores/index.ts";
import { barChart } from "./svg.ts";

/** 4604225 -> "4,604,225" (the seed's ops/sec spelling), independent of the locale. */
export function groupThousands(value: number): string {
  const digits = Math.round(Math.abs(value)).toString();
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return value < 0 ? `-${grouped}` : grouped;
}

/** The seed's Change column: "↓2.6%", "↑2.7%"; a change that rounds to zero is "0.0%". */
export function formatChange(pct: number): string {
  const rounded = Math.abs(pct).toFixed(1);
  if (rounded === "0.0") return "0.0%";
  return `${pct < 0 ? "↓" : "↑"}${rounded}%`;
}

/** Signed percentage points: "+1.9 pp", "-0.3 pp". */
export function formatPp(pp: number): string {
  const text = Math.abs(pp).toFixed(1);
  return text === "0.0" ? "0.0 pp" : `${pp < 0 ? "-" : "+"}${text} pp`;
}

function metricCells(m: BenchMetrics): [string, string, string] {
  return [`${m.totalSec.toFixed(3)} [sec]`, m.usecsPerOp.toFixed(6), groupThousands(m.opsPerSec)];
}

/** The seed thread's table (Metric | W/O this patch | With this patch | Change), padded as there. */
export function formatBenchTable(table: BenchTable): string[] {
  const before = metricCells(table.before);
  const after = metricCells(table.after);
  const change = [table.changePct.totalSec, table.changePct.usecsPerOp, table.changePct.opsPerSec].map(
    (c) => ` ${formatChange(c)}`,
  );
  const rows = [
    ["Metric", "W/O this patch", "With this patch", "Change"],
    ["Total time", before[0], after[0], change[0]!],
    ["usecs/op", before[1], after[1], change[1]!],
    ["ops/sec", before[2], after[2], change[2]!],
  ];
  const widths = [10, 14, 15, 9].map((min, c) => Math.max(min, ...rows.map((r) => r[c]!.length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, c) => cell.padEnd(widths[c]!)).join(" | ")} |`;
  return [line(rows[0]!), line(widths.map((w) => "-".repeat(w))), ...rows.slice(1).map(line)];
}

function describeState(state: BenchState): string {
  return `work=${formatWork(state.work)} audit_context=${state.auditContext ? 1 : 0}`;
}

function describeBenchInput(input: ExitInput): string {
  return `${describeState(input)}, AArch64 task, getppid() (nr ${input.regs.syscallno}) returning ${input.regs.x0}`;
}

function signed(n: number): string {
  return n > 0 ? `+${n}` : `${n}`;
}

/** Cycles by instruction class, before -> after, the classes that changed first. */
export function gainLines(before: VariantRun, after: VariantRun): string[] {
  const rows = INSN_CATEGORIES.map((category) => {
    const b = before.categories.find((c) => c.category === category)!;
    const a = after.categories.find((c) => c.category === category)!;
    return { category, b, a, delta: a.cycles - b.cycles };
  }).filter((r) => r.b.instructions > 0 || r.a.instructions > 0);
  const lines = rows.map(
    (r) =>
      `  ${r.category.padEnd(26)} ${String(r.b.instructions).padStart(3)} insns ${String(r.b.cycles).padStart(3)} cycles -> ${String(r.a.instructions).padStart(3)} insns ${String(r.a.cycles).padStart(3)} cycles  (${signed(r.delta)})`,
  );
  const effects = (run: VariantRun) => run.perEffect.map((e) => `${e.effect}: ${e.cycles}`).join(", ");
  const mnemonics = [...new Set([...Object.keys(before.mnemonics), ...Object.keys(after.mnemonics)])]
    .sort()
    .flatMap((m) => {
      const b = before.mnemonics[m] ?? 0;
      const a = after.mnemonics[m] ?? 0;
      return a === b ? [] : [`${m} ${b}->${a}`];
    });
  const movers = [...rows]
    .filter((r) => r.delta !== 0)
    .sort(
      (x, y) =>
        x.delta - y.delta || INSN_CATEGORIES.indexOf(x.category) - INSN_CATEGORIES.indexOf(y.category),
    )
    .map((r) => `${r.category} ${signed(r.delta)}`);
  return [
    `  in short: ${movers.length > 0 ? movers.join(", ") : "no class changed"} (cycles, ${before.variant} -> ${after.variant})`,
    `  cycles by instruction class (each instruction charged the cycles it moved retirement), ${before.variant} -> ${after.variant}:`,
    ...lines,
    `  ${"total".padEnd(26)} ${String(before.instructions).padStart(3)} insns ${String(before.cycles).padStart(3)} cycles -> ${String(after.instructions).padStart(3)} insns ${String(after.cycles).padStart(3)} cycles  (${signed(after.cycles - before.cycles)})`,
    `  executed instructions that changed in number: ${mnemonics.length > 0 ? mnemonics.join(", ") : "none"}`,
    `  cycles per effect (up to and including each effect, as detailRun splits them): ${before.variant}: ${effects(before)}; ${after.variant}: ${effects(after)}`,
  ];
}

/** A cycle count with at most 3 decimals (564.7 - 4 prints as 560.7). */
function cyc(n: number): string {
  return String(Number(n.toFixed(3)));
}

function patchLines(p: PatchResult, opts: PerfBenchResult["options"], heading: string): string[] {
  const saved = p.before.cycles - p.after.cycles;
  const modelPct = modelPctOn(p.table, p.patch.upstream.metric);
  const effect = saved >= 0 ? `saves ${saved}` : `costs ${-saved} more`;
  const upstream = `upstream (measured, ${p.patch.upstream.source}): ${p.patch.upstream.metric} ${p.patch.upstream.before} -> ${p.patch.upstream.after}, ${formatChange(p.upstreamPct)} (stated ${p.patch.upstream.stated})`;
  const lines = [
    `${heading}# ${p.patch.title}: ${p.variants.before} -> ${p.variants.after}`,
    "",
    `modelled work: ${p.before.cycles} -> ${p.after.cycles} cycles per syscall (${effect}); after = ${cyc(opts.baselineCycles)} ${saved >= 0 ? "-" : "+"} ${Math.abs(saved)} = ${cyc(opts.baselineCycles - saved)} cycles`,
    "",
    ...formatBenchTable(p.table),
    "",
    `model: ${formatChange(modelPct)} on ${p.patch.upstream.metric}`,
    p.differencePp === null
      ? `${upstream}; not comparable: upstream measured an audit=1 boot, not this thread state`
      : `${upstream}; model - upstream = ${formatPp(p.differencePp)}`,
  ];
  if (p.partial)
    lines.push(
      "NOTE: exit-only fixtures (--fixtures exit): this row models the exit half of v10 only, so it equals the v9 row.",
    );
  lines.push("where the modelled gain comes from:", ...gainLines(p.before, p.after));
  return lines;
}

/**
 * The whole `exitwork bench --perf-bench` output for one core; `heading` is the Markdown level
 * of its title ("##" alone, "###" inside the report).
 */
export function formatPerfBench(result: PerfBenchResult, heading = "##"): string {
  const o = result.options;
  const lines = [
    `${heading} perf bench syscall basic (${groupThousands(PERF_BENCH_OPS)} getppid() calls) on ${o.core}, ${o.ghz} GHz, build ${o.build}, steady state`,
    "",
    `thread state: ${describeBenchInput(result.input)}`,
    result.fixtures === "svc"
      ? "modelled code: the whole el0_svc_common (svc-* fixtures: entry work, syscall body stub, exit work)"
      : "modelled code: el0_svc_common without the entry work (exit-only fixtures ref/inline)",
    `baseline (measured): ${o.baselineCycles} cycles per syscall for the before kernel${o.baselineCycles === DEFAULT_BASELINE_CYCLES ? ` (seed: ${SEED_BEFORE_USECS} usecs/op at ${DEFAULT_GHZ} GHz)` : " (--baseline-cycles)"}`,
    "model: before = baseline; after = baseline - (cycles of the before variant - cycles of the after variant); no parameter fitted",
    "",
  ];
  for (const p of result.patches) lines.push(...patchLines(p, o, heading), "");
  return `${lines.join("\n").trimEnd()}\n`;
}

/** `exitwork explain --why-hot`: the gates a thread state opens and what each bit costs. */
export function formatWhyHot(w: WhyHot): string {
  const s = w.state;
  const openers = (mask: bigint) =>
    w.bits.filter((b) => ((1n << BigInt(b.bit)) & mask) !== 0n).map((b) => b.short);
  const gate = (name: string, open: boolean, names: string[], what: string) =>
    open
      ? `  ${name}: OPEN on every syscall (${what} runs), opened by ${names.join(", ")}`
      : `  ${name}: closed (${what} is skipped)`;
  const lines = [
    `why hot: work=${formatWork(w.work)} (${hex(w.work)}) audit_context=${s.auditContext ? 1 : 0} on_dispatch=${s.onDispatch ? 1 : 0} compat=${s.compat ? 1 : 0}; core ${w.core}, build ${w.build}, ${w.mode} state`,
    "gates (include/linux/entry-common.h, v7.0):",
    gate("SYSCALL_WORK_ENTER", w.enterGate, openers(SYSCALL_WORK_ENTER), "syscall_trace_enter()"),
    gate("SYSCALL_WORK_EXIT", w.exitGate, openers(SYSCALL_WORK_EXIT), "syscall_exit_work()"),
    `whole syscall in this state: ${WHY_HOT_VARIANTS.ref} ${w.total.ref} cycles, ${WHY_HOT_VARIANTS.inline} ${w.total.inline} cycles`,
  ];
  if (w.bits.length === 0) {
    lines.push("no work bit set: both gates closed, the fast path runs");
  } else {
    lines.push(
      `per bit (cycles of the whole syscall with the bit minus without it; ${WHY_HOT_VARIANTS.ref} / ${WHY_HOT_VARIANTS.inline}):`,
    );
    for (const b of w.bits) {
      const gates = [b.opensEnter ? "ENTER" : "", b.opensExit ? "EXIT" : ""].filter((g) => g !== "");
      const sole = [b.soleEnter ? "ENTER" : "", b.soleExit ? "EXIT" : ""].filter((g) => g !== "");
      lines.push(
        `  ${b.name} (bit ${b.bit}, set by ${b.setBy}): opens ${gates.length > 0 ? gates.join("+") : "no gate"}${sole.length > 0 ? `, alone keeps ${sole.join("+")} open` : ""}; ${signed(b.cycles.ref)} / ${signed(b.cycles.inline)} cycles`,
      );
    }
  }
  if (s.auditContext && w.exitGate)
    lines.push(
      "audit_context is set: syscall_exit_work() calls __audit_syscall_exit() whenever the exit gate is open (the AUDIT bit is not tested there)",
    );
  lines.push(
    "cycles are those of the compiled entry/exit code; the hooks it calls (__audit_syscall_entry/exit, tracepoints, ptrace, seccomp) are bare `ret` stubs, their own work is not modelled",
  );
  return `${lines.join("\n")}\n`;
}

/**
 * One input per path, in ALL_PATHS order: the first of the exhaustive sweep that is an AArch64
 * task without a tracer action and, where the path allows, has an audit context exactly when the
 * AUDIT bit is set (audit_alloc() gives both at fork; the other combinations are legal but rare).
 */
export function pathInputs(): { path: string; input: ExitInput }[] {
  const found = new Map<string, ExitInput>();
  const fallback = new Map<string, ExitInput>();
  for (const input of exhaustiveInputs()) {
    if (input.compat || input.tracer.kind !== "none") continue;
    const path = exitPath(input);
    const coherent = ((input.work & SYSCALL_WORK_SYSCALL_AUDIT) !== 0n) === input.auditContext;
    const into = coherent ? found : fallback;
    if (!into.has(path)) into.set(path, input);
  }
  for (const [path, input] of fallback) if (!found.has(path)) found.set(path, input);
  return ALL_PATHS.flatMap((path) => {
    const input = found.get(path);
    return input ? [{ path, input }] : [];
  });
}

export interface ReportFile {
  readonly name: string;
  readonly content: string;
}

export interface ReportOptions {
  readonly build?: string;
  readonly baselineCycles?: number;
  readonly ghz?: number;
}

const CORE_NAMES = Object.keys(cores);

/**
 * Cycles per path: the exit-only fixtures, and the whole syscall (svc-ref, svc-inline) with the
 * same task state and nothing decided at entry.
 */
function pathCycles(build: string, core: string) {
  const ref = subjectOf(variantFixture("ref", build));
  const inline = subjectOf(variantFixture("inline", build));
  return pathInputs().map(({ path, input }) => {
    const whole = defaultSyscallInput(input);
    return {
      path,
      input,
      ref: timeSubject(ref, input, core, "steady").cycles,
      inline: timeSubject(inline, input, core, "steady").cycles,
      svcRef: runVariant("svc-ref", build, whole, core).cycles,
      svcInline: runVariant("svc-inline", build, whole, core).cycles,
    };
  });
}

/**
 * Upstream measured v10 against its own before kernel (2.353 s / 10M = 611.8 cycles at 2.6 GHz),
 * not the v9 baseline; the model keeps one baseline, so say what the other one would give.
 */
function v10BaselineNote(result: PerfBenchResult, ghz: number): string[] {
  const v10 = result.patches.find((p) => p.patch.id === "v10");
  if (!v10) return [];
  const own = ((v10.patch.upstream.before * 1e6) / PERF_BENCH_OPS) * ghz * 1000;
  const table = benchTable(own, v10.before.cycles, v10.after.cycles, ghz);
  return [
    `The v10 runs measured a slower before kernel (${v10.patch.upstream.before} s for ${groupThousands(PERF_BENCH_OPS)} calls = ${cyc(own)} cycles at ${ghz} GHz) than the v9 seed (${result.options.baselineCycles}); the model uses one baseline. On ${result.options.core} with ${cyc(own)} as the baseline the modelled v10 change is ${formatChange(table.changePct.totalSec)} (upstream ${formatChange(v10.upstreamPct)}).`,
  ];
}

/** A Markdown table; a `|` inside a cell (work=TRACE|AUDIT) is escaped so it stays one cell. */
export function mdTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const line = (cells: readonly string[]) => `| ${cells.map((c) => c.replaceAll("|", "\\|")).join(" | ")} |`;
  return [line(header), `| ${header.map(() => "---").join(" | ")} |`, ...rows.map(line)];
}

/** The report's files: upstream.md and its charts, in a fixed order. */
export function buildUpstreamReport(options: ReportOptions = {}): ReportFile[] {
  const build = options.build ?? DEFAULT_BUILD;
  const baselineCycles = options.baselineCycles ?? DEFAULT_BASELINE_CYCLES;
  const ghz = options.ghz ?? DEFAULT_GHZ;
  const files: ReportFile[] = [];
  const md: string[] = [];
  const fixtures = [
    ["ref", "exit-only, v6.18: syscall_exit_work() out of line"],
    ["inline", "exit-only, v7.0: syscall_exit_work() inlined"],
    ["svc-ref", "whole el0_svc_common, v6.18: entry and exit work out of line"],
    ["svc-exit-inline", "whole el0_svc_common, v9 15/16: exit work inlined"],
    ["svc-inline", "whole el0_svc_common, v10 / v7.0: entry and exit work inlined"],
  ].map(([variant, what]) => ({ info: variantFixture(variant!, build), what: what! }));

  const hot = CORE_NAMES.map((core) => ({
    core,
    result: perfBench({ core, state: AUDIT_BOOT, build, baselineCycles, ghz }),
  }));
  const fast = CORE_NAMES.map((core) => ({
    core,
    result: perfBench({ core, state: QUIET_THREAD, build, baselineCycles, ghz }),
  }));
  const paths = CORE_NAMES.map((core) => ({ core, rows: pathCycles(build, core) }));

  md.push(
    "# exitwork: the upstream questions, with numbers",
    "",
    "Written by `exitwork report`; the same command on the same tree writes the same bytes.",
    "",
    "## Inputs",
    "",
    `- Fixtures (${build}, golden/fixtures/manifest.json), sha256 of the kernel-build ELF:`,
    ...fixtures.map(({ info, what }) => `  - \`${info.id}\` (${what}): \`${info.sha256}\``),
    "- Cores (src/timing/cores/, every number names its source there; the listed parameters are assumptions, no published source gives them):",
    ...CORE_NAMES.map((name) => {
      const core = coreModel(name);
      return `  - ${name}: ${core.description}; classes from LLVM's scheduling model; assumptions: ${core.assumptions.join(", ")}`;
    }),
    `- Baseline: ${baselineCycles} cycles per syscall for the before kernel (seed: ${SEED_BEFORE_USECS} usecs/op at ${DEFAULT_GHZ} GHz on Kunpeng 920); clock for every core: ${ghz} GHz.`,
    `- Hot thread state (audit=1 boot): ${describeState(AUDIT_BOOT)}; fast path: ${describeState(QUIET_THREAD)}; getppid() returns a small positive pid.`,
    "",
    "## Modelled and measured",
    "",
    "- Measured (upstream, Kunpeng 920, shared/KERNEL.md §8): the baseline and the `upstream` changes.",
    "- Modelled (this tree): cycles of the compiled fixtures run on the simulated core, steady state (predictors and caches warm, as in a 10,000,000-call loop); the `after` rows = baseline - modelled saving. Nothing is fitted to the upstream numbers.",
    "- The perf-bench and why-hot numbers run the whole el0_svc_common (`svc-*` fixtures: entry work, syscall body stub, exit work); the per-path charts run the exit-only fixtures (`ref`, `inline`).",
    "- Not modelled: exception entry/return (entry.S), the syscall table dispatch, getppid itself and the work of the hooks the modelled code calls (__audit_syscall_entry/exit and the rest are bare `ret` stubs): they are inside the baseline and assumed unchanged by the patches.",
    "",
  );

  md.push("## 1. Cycles per exit path, out of line vs inlined", "");
  md.push(
    "One input per path (the first of the exhaustive sweep, AArch64, no tracer action, audit context exactly with the AUDIT bit where the path allows). `ref`/`inline`: the exit-only fixtures (el0_svc_common with the syscall body stub and the exit work, no entry work); `svc-ref`/`svc-inline`: the whole el0_svc_common with the entry work the same work bits trigger. Steady state.",
    "",
  );
  for (const { core, rows } of paths) {
    const name = `cycles-per-path-${core}.svg`;
    files.push({
      name,
      content: barChart({
        title: `Cycles per exit path on ${core} (${build}, steady state)`,
        axisLabel: "cycles per syscall",
        series: [
          "ref (v6.18, exit-only)",
          "inline (v7.0, exit-only)",
          "svc-ref (whole syscall)",
          "svc-inline (whole syscall)",
        ],
        groups: rows.map((r) => ({ label: r.path, values: [r.ref, r.inline, r.svcRef, r.svcInline] })),
      }),
    });
    md.push(`### ${core}`, "", `![cycles per path on ${core}](${name})`, "");
    md.push(
      ...mdTable(
        ["path", "input", "ref", "inline", "inline - ref", "svc-ref", "svc-inline", "svc-inline - svc-ref"],
        rows.map((r) => [
          r.path,
          `work=${formatWork(r.input.work)} audit_context=${r.input.auditContext ? 1 : 0} on_dispatch=${r.input.onDispatch ? 1 : 0}`,
          String(r.ref),
          String(r.inline),
          signed(r.inline - r.ref),
          String(r.svcRef),
          String(r.svcInline),
          signed(r.svcInline - r.svcRef),
        ]),
      ),
      "",
    );
  }

  md.push("## 2. perf bench syscall basic under audit=1, per core", "");
  files.push({
    name: "perf-bench-saving.svg",
    content: barChart({
      title: "Cycles saved per syscall under audit=1: model vs upstream (Kunpeng 920)",
      axisLabel: `cycles per syscall (upstream converted at ${DEFAULT_GHZ} GHz)`,
      series: ["modelled saving", "measured upstream (Kunpeng 920)"],
      groups: hot.flatMap(({ core, result }) =>
        result.patches.map((p) => ({
          label: `${core} ${p.patch.id}`,
          values: [
            Math.max(0, p.before.cycles - p.after.cycles),
            (-upstreamPct(p.patch.upstream) / 100) * DEFAULT_BASELINE_CYCLES,
          ],
        })),
      ),
      decimals: 1,
    }),
  });
  md.push(
    "![cycles saved per syscall](perf-bench-saving.svg)",
    "",
    "Upstream bars: the measured change applied to the seed's baseline (a negative modelled saving, a slowdown, is drawn as 0 and shown in the tables).",
    "",
  );
  md.push(
    ...mdTable(
      ["core", "patch", "modelled cycles", "modelled change", "upstream (measured)", "model - upstream"],
      hot.flatMap(({ core, result }) =>
        result.patches.map((p) => [
          core,
          p.patch.title,
          `${p.before.cycles} -> ${p.after.cycles} (${signed(p.after.cycles - p.before.cycles)})`,
          formatChange(modelPctOn(p.table, p.patch.upstream.metric)),
          `${formatChange(p.upstreamPct)} (${p.patch.upstream.stated})`,
          p.differencePp === null ? "n/a" : formatPp(p.differencePp),
        ]),
      ),
    ),
    "",
    ...v10BaselineNote(hot[0]!.result, ghz),
    "",
  );
  for (const { result } of hot) md.push(formatPerfBench(result, "###"), "");

  md.push("## 3. The no-work fast path, per core", "");
  const layouts = (r: PerfBenchResult) => [r.patches[0]!.before, r.patches[0]!.after, r.patches[1]!.after];
  files.push({
    name: "fast-path.svg",
    content: barChart({
      title: `No-work fast path: cycles of the whole syscall (${build}, steady state)`,
      axisLabel: "cycles per syscall",
      series: layouts(fast[0]!.result).map((run) => run.variant),
      groups: fast.map(({ core, result }) => ({
        label: core,
        values: layouts(result).map((run) => run.cycles),
      })),
    }),
  });
  md.push(
    "![fast path cycles](fast-path.svg)",
    "",
    "No upstream measurement exists for the fast path; the merge note warns the inlined code optimizes for the work case. A Change of ↑ on usecs/op is a modelled regression.",
    "",
    ...mdTable(
      ["core", ...layouts(fast[0]!.result).map((run) => run.variant), "v9 change", "v10 change"],
      fast.map(({ core, result }) => [
        core,
        ...layouts(result).map((run) => String(run.cycles)),
        ...result.patches.map((p) => formatChange(p.table.changePct.usecsPerOp)),
      ]),
    ),
    "",
  );
  for (const { result } of fast) md.push(formatPerfBench(result, "###"), "");

  md.push("## 4. Why the exit work runs on every syscall under audit=1", "");
  for (const core of CORE_NAMES) {
    md.push(
      "```",
      formatWhyHot(whyHot({ work: AUDIT_BOOT.work, auditContext: true, core, build })).trimEnd(),
      "```",
      "",
    );
  }
  md.push(
    `SYSCALL_WORK_ENTER = ${hex(SYSCALL_WORK_ENTER)}, SYSCALL_WORK_EXIT = ${hex(SYSCALL_WORK_EXIT)} (src/kernel/work.ts).`,
  );
  files.unshift({ name: "upstream.md", content: `${md.join("\n").trimEnd()}\n` });
  return files;
}

/** Writes the report into `outDir` (created if missing); returns the paths written, in order. */
export function writeUpstreamReport(outDir: string, options: ReportOptions = {}): string[] {
  mkdirSync(outDir, { recursive: true });
  return buildUpstreamReport(options).map((file) => {
    const path = join(outDir, file.name);
    writeFileSync(path, file.content);
    return path;
  });
}
