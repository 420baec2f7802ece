/**
 * The exitwork commands. Each parses its options into the API's types, calls the API and prints;
 * the work itself lives in src/harness and src/report.
 */
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { type ExitworkError, ExitworkFailure } from "../errors.ts";
import { describeInput } from "../harness/arbitraries.ts";
import { readBudgets } from "../harness/budgets.ts";
import { candidateFixture } from "../harness/candidate.ts";
import { runCheck } from "../harness/check.ts";
import { observationRows } from "../harness/compare.ts";
import { detailRun } from "../harness/detail.ts";
import { DOMAINS, type Domain, type DomainId, exitDomain, syscallDomain } from "../harness/domain.ts";
import { coreModel, type Mode, subjectOf } from "../harness/observe.ts";
import { exitPath } from "../harness/paths.ts";
import { readRegressions, replayCase, writeRegression } from "../harness/replay.ts";
import { type CheckSummary, mergeSummaries, overallStatus } from "../harness/results.ts";
import {
  FIXTURE_COMPILERS,
  FIXTURE_CONFIGS,
  type FixtureInfo,
  fixtureInfo,
  listFixtures,
} from "../kernel/fixtures.ts";
import { defaultInput, type TracerAction } from "../kernel/state.ts";
import { parseWorkNames } from "../kernel/work.ts";
import { readCounterexample, sideBySide, writeCounterexample } from "../report/counterexample.ts";
import { failureToReport } from "../report/failure-report.ts";
import { formatKtap } from "../report/ktap.ts";
import { formatSummary } from "../report/summary.ts";
import type { CoreOverrides } from "../timing/core.ts";
import {
  compilerOption,
  configOption,
  coreOverridesOption,
  intOption,
  oneOf,
  propertiesOption,
  shardOption,
  usage,
} from "./args.ts";
import { type Command, flag, type OptionValues, str } from "./command.ts";
import { goldenCommand } from "./golden.ts";
import { benchCommand, reportCommand, whyHotText } from "./upstream.ts";

const PACKAGE_ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const DEFAULT_BUDGETS = resolve(PACKAGE_ROOT, "golden/budgets.json");
export const DEFAULT_SEED = 0x5eed;
const CORES = ["tsv110", "neoverse-n1", "cortex-a72"] as const;

function coresOption(value: string | undefined): string[] {
  if (value === undefined) return ["tsv110"];
  if (value === "all") return [...CORES];
  return value.split(",").map((c) => {
    coreModel(c);
    return c;
  });
}

function coreOverridesFrom(values: OptionValues): { coreOverrides?: CoreOverrides } {
  const params = values["core-param"];
  const list = Array.isArray(params) ? params.map(String) : [];
  const coreOverrides = coreOverridesOption(str(values, "core-file"), list);
  return coreOverrides ? { coreOverrides } : {};
}

function modeOption(value: string | undefined): Mode {
  return oneOf("mode", value, ["steady", "cold"] as const) ?? "steady";
}

/**
 * `--candidate FILE`: the user's variant takes the place of `inline`, next to `ref`, in each build
 * chosen (a C file: every build unless --compiler/--config narrow it; an ELF: gcc defconfig
 * unless they name its build).
 */
function candidateFixtures(file: string, values: OptionValues): FixtureInfo[] {
  const compiler = compilerOption(str(values, "compiler"));
  const config = configOption(str(values, "config"));
  const isElf = !file.endsWith(".c");
  const compilers = compiler ? [compiler] : isElf ? (["gcc"] as const) : FIXTURE_COMPILERS;
  const configs = config ? [config] : isElf ? (["defconfig"] as const) : FIXTURE_CONFIGS;
  return compilers.flatMap((cc) =>
    configs.flatMap((cfg) => [
      ...listFixtures({ variant: "ref", compiler: cc, config: cfg }),
      candidateFixture(file, cc, cfg),
    ]),
  );
}

/** The subjects `--subject` names (both by default; a candidate is an exit-path variant). */
function domainsOption(values: OptionValues): Domain[] {
  const subject = oneOf("subject", str(values, "subject"), ["exit", "syscall", "all"] as const) ?? "all";
  if (str(values, "candidate") !== undefined) {
    if (subject === "syscall")
      usage("--candidate", "a candidate is a variant of the exit path (--subject exit)");
    return [exitDomain];
  }
  return subject === "all" ? [exitDomain, syscallDomain] : [DOMAINS[subject]];
}

function selectFixtures(values: OptionValues, domain: Domain): FixtureInfo[] {
  const candidate = str(values, "candidate");
  if (candidate !== undefined) return candidateFixtures(candidate, values);
  const compiler = compilerOption(str(values, "compiler"));
  const config = configOption(str(values, "config"));
  const variant = str(values, "variant");
  const all = domain.fixtures({
    ...(compiler ? { compiler } : {}),
    ...(config ? { config } : {}),
    ...(flag(values, "no-mutants") ? { mutants: false } : {}),
  });
  if (variant === undefined) return all;
  return all.filter((f) => f.variant === variant || (variant !== domain.legacy && f.variant === domain.ref));
}

/** How far a subject's sweep has got. */
export interface Progress {
  update(done: number, total: number): void;
}

/** One bar on stderr over every subject's sweep (the parts report separately, from worker threads). */
export class ProgressBar {
  private last = -1;
  private readonly parts = new Map<string, { done: number; total: number }>();
  constructor(private readonly enabled: boolean) {}
  part(name: string): Progress {
    return { update: (done, total) => this.update(name, done, total) };
  }
  private update(name: string, done: number, total: number): void {
    if (!this.enabled) return;
    this.parts.set(name, { done, total });
    const all = [...this.parts.values()];
    const sum = all.reduce((n, p) => n + p.done, 0);
    const of = all.reduce((n, p) => n + p.total, 0);
    const pct = Math.floor((100 * sum) / of);
    if (pct === this.last) return;
    this.last = pct;
    const bar = "#".repeat(Math.floor(pct / 5)).padEnd(20, ".");
    process.stderr.write(`\rsweep [${bar}] ${sum}/${of}`);
    if (all.every((p) => p.done === p.total)) process.stderr.write("\r\x1b[K");
  }
}

const checkCommand: Command = {
  summary: "run P1-P4 on the committed fixtures",
  help: `usage: exitwork check [options]

  --compiler gcc|clang       only this compiler's fixtures (default: both)
  --config NAME              defconfig, ftrace or hardened (default: all three)
  --subject exit|syscall|all the exit path alone, the whole syscall with its entry work, or both (default)
  --variant NAME             a variant or mutant (ref / svc-ref is kept as the reference)
  --no-mutants               leave the mutants (and so P4) out
  --properties P1,P2,...     which properties (default: all four)
  --core NAME|all            tsv110 (default), neoverse-n1, cortex-a72, or all three
  --mode steady|cold         predictors and caches trained or cold (default: steady)
  --runs N                   random cases per property after the exhaustive sweep (default: 10000)
  --seed N                   fast-check seed (default: ${DEFAULT_SEED})
  --shard i/n                this shard's part of the sweep and of the random cases (1 <= i <= n)
  --reporter text|json|ktap  output format (default: text)
  --reports DIR              where counterexample reports go (default: reports/)
  --budgets FILE             cycle budgets (default: golden/budgets.json)
  --core-param NAME=V        override an assumed core parameter or class latency, e.g.
                             takenBranchBubble=2 or class.load.latency=5 (repeatable)
  --core-file FILE           the same overrides as JSON ({"params": {...}, "classes": {...}})
  --candidate FILE.c|FILE.elf  check your own variant in the place of inline, against ref and the
                             specification (a .c file is compiled with the fixtures' flags: it
                             needs the cross compilers; write it like src/kernel/c/inline.c)
`,
  options: {
    compiler: { type: "string" },
    config: { type: "string" },
    subject: { type: "string" },
    variant: { type: "string" },
    "no-mutants": { type: "boolean" },
    properties: { type: "string" },
    core: { type: "string" },
    mode: { type: "string" },
    runs: { type: "string" },
    seed: { type: "string" },
    shard: { type: "string" },
    reporter: { type: "string" },
    reports: { type: "string" },
    budgets: { type: "string" },
    candidate: { type: "string" },
    "core-param": { type: "string", multiple: true },
    "core-file": { type: "string" },
  },
  async run(values) {
    const reporter = oneOf("reporter", str(values, "reporter"), ["text", "json", "ktap"] as const) ?? "text";
    const domains = domainsOption(values);
    const bar = new ProgressBar(reporter === "text" && process.stderr.isTTY === true);
    // Each subject is independent: with two, each runs in a worker thread, on its own core.
    const parts =
      domains.length > 1
        ? await Promise.all(
            domains.map((domain) => checkSubjectInWorker(values, domain.id, bar.part(domain.id))),
          )
        : [checkSubject(values, domains[0]!, bar.part(domains[0]!.id))];
    const found = parts.filter((p): p is CheckSummary => p !== null);
    if (found.length === 0) return usage("--variant", `no fixture has variant "${str(values, "variant")}"`);
    const summary = mergeSummaries(found);
    if (reporter === "json") process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    else if (reporter === "ktap") process.stdout.write(formatKtap(summary));
    else process.stdout.write(formatSummary(summary));
    return overallStatus(summary.properties) === "fail" ? 1 : 0;
  },
};

/**
 * `exitwork check` for one subject: select its fixtures, run the properties, write a report per
 * failure. Everything comes from the parsed options (plain data), so a worker thread can run it.
 * Returns null when the options select no fixture of this subject.
 */
export function checkSubject(values: OptionValues, domain: Domain, progress?: Progress): CheckSummary | null {
  const properties = propertiesOption(str(values, "properties"));
  const budgets = readBudgets(str(values, "budgets") ?? DEFAULT_BUDGETS);
  const seed = intOption("seed", str(values, "seed"), DEFAULT_SEED);
  const mode = modeOption(str(values, "mode"));
  const cores = coresOption(str(values, "core"));
  const fixtures = selectFixtures(values, domain);
  if (fixtures.length === 0) return null;
  const run = runCheck({
    domain,
    fixtures,
    cores,
    mode,
    seed,
    runs: intOption("runs", str(values, "runs"), 10_000),
    shard: shardOption(str(values, "shard")),
    properties: properties.filter((p) => p !== "P4" || fixtures.some((f) => f.mutant)),
    budgets,
    ...coreOverridesFrom(values),
    ...(progress ? { onProgress: (done: number, total: number) => progress.update(done, total) } : {}),
  });
  const dir = resolve(str(values, "reports") ?? resolve(PACKAGE_ROOT, "reports"));
  const written = new Map<string, string>();
  for (const failure of run.failures) {
    const core = failure.core ?? cores[0]!;
    const file = writeCounterexample(dir, failureToReport(failure, { core, mode, seed }));
    written.set(`${failure.property}:${failure.subject}`, file);
  }
  return {
    ...run.summary,
    properties: run.summary.properties.map((p) => ({
      ...p,
      subjects: p.subjects.map((s) => {
        const report = written.get(`${p.id}:${s.name}`);
        return report ? { ...s, report } : s;
      }),
    })),
  };
}

/** What a check worker posts: progress along the way, then its summary or a coded error. */
export type WorkerMessage =
  | { readonly progress: readonly [number, number] }
  | { readonly summary: CheckSummary | null }
  | { readonly error: ExitworkError };

function checkSubjectInWorker(
  values: OptionValues,
  domain: DomainId,
  progress: Progress,
): Promise<CheckSummary | null> {
  return new Promise((done, failed) => {
    const worker = new Worker(new URL("./check-worker.js", import.meta.url), {
      workerData: { values, domain },
    });
    worker.on("message", (m: WorkerMessage) => {
      if ("progress" in m) progress.update(m.progress[0], m.progress[1]);
      else if ("error" in m) failed(new ExitworkFailure(m.error));
      else done(m.summary);
    });
    worker.once("error", failed);
  });
}

function tracerOption(value: string | undefined): TracerAction {
  if (value === undefined || value === "none") return { kind: "none" };
  const num = (v: string | undefined, what: string): bigint => {
    if (v === undefined || !/^-?(0x[0-9a-f]+|\d+)$/i.test(v))
      usage("--tracer", `${what}: expects a number, got "${v}"`);
    return BigInt.asUintN(64, v.startsWith("-") ? -BigInt(v.slice(1)) : BigInt(v));
  };
  const [kind, arg] = value.split("=");
  if (kind === "x0") return { kind: "write_x0", x0: num(arg, "x0") };
  if (kind === "scratch") return { kind: "write_scratch", scratch: num(arg, "scratch") };
  if (kind === "both") {
    const [x0, scratch] = (arg ?? "").split(",");
    return { kind: "write_both", x0: num(x0, "x0"), scratch: num(scratch, "scratch") };
  }
  return usage("--tracer", `expects none, x0=V, scratch=V or both=V,W, got "${value}"`);
}

function valueOption(name: string, value: string | undefined, fallback: bigint): bigint {
  if (value === undefined) return fallback;
  const m = /^(-?)(0x[0-9a-f]+|\d+)$/i.exec(value);
  if (!m) usage(`--${name}`, `expects a number (decimal or 0x hex, may be negative), got "${value}"`);
  const magnitude = BigInt(m[2]!);
  return BigInt.asUintN(64, m[1] === "-" ? -magnitude : magnitude);
}

const explainCommand: Command = {
  summary: "one input, ref vs inline side by side",
  help: `usage: exitwork explain [options]

  --work LIST        work bits, e.g. TRACE,AUDIT (names of SYSCALL_WORK_*, short or full; default none)
  --compat           an AArch32 task (scratch register r12, return values sign-extended from bit 31)
  --on-dispatch      current->syscall_dispatch.on_dispatch set
  --audit-context    the task has an audit context
  --x0 V, --x7 V, --x12 V   pt_regs values (x0 is the syscall's return value)
  --tracer T         none, x0=V, scratch=V or both=V,W: what the tracer writes at a ptrace stop
  --compiler, --config      the build (default gcc defconfig)
  --left ID, --right ID     any two fixtures instead of ref and inline (e.g. a mutant)
  --core NAME, --mode steady|cold
  --core-param NAME=V, --core-file FILE   overrides of the core's assumed parameters (as for check)
  --why-hot          which work bits make entry and exit work run on every syscall, and their cost
`,
  options: {
    work: { type: "string" },
    compat: { type: "boolean" },
    "on-dispatch": { type: "boolean" },
    "audit-context": { type: "boolean" },
    x0: { type: "string" },
    x7: { type: "string" },
    x12: { type: "string" },
    tracer: { type: "string" },
    compiler: { type: "string" },
    config: { type: "string" },
    left: { type: "string" },
    right: { type: "string" },
    core: { type: "string" },
    mode: { type: "string" },
    "why-hot": { type: "boolean" },
    "core-param": { type: "string", multiple: true },
    "core-file": { type: "string" },
  },
  run(values) {
    const parsed = parseWorkNames(str(values, "work") ?? "");
    if (parsed.unknown.length > 0) usage("--work", `unknown work bits ${parsed.unknown.join(", ")}`);
    const compat = flag(values, "compat");
    const input = defaultInput({
      work: parsed.work,
      compat,
      onDispatch: flag(values, "on-dispatch"),
      auditContext: flag(values, "audit-context"),
      regs: {
        x0: valueOption("x0", str(values, "x0"), 0n),
        x7: valueOption("x7", str(values, "x7"), 0x7777n),
        x12: valueOption("x12", str(values, "x12"), 0x1212n),
        orig_x0: 0n,
        syscallno: 172,
      },
      tracer: tracerOption(str(values, "tracer")),
    });
    const core = coresOption(str(values, "core"))[0]!;
    const mode = modeOption(str(values, "mode"));
    const build = `${compilerOption(str(values, "compiler")) ?? "gcc"}.${configOption(str(values, "config")) ?? "defconfig"}`;
    if (flag(values, "why-hot")) {
      process.stdout.write(
        whyHotText({
          work: input.work,
          auditContext: input.auditContext,
          onDispatch: input.onDispatch,
          compat,
          core,
          build,
        }),
      );
      return 0;
    }
    const left = subjectOf(fixtureInfo(str(values, "left") ?? `ref.${build}`));
    const right = subjectOf(fixtureInfo(str(values, "right") ?? `inline.${build}`));
    const overrides = coreOverridesFrom(values).coreOverrides;
    const timing = { core, mode, ...(overrides ? { overrides } : {}) };
    const l = detailRun(left, input, left.info.variant, timing);
    const r = detailRun(right, input, right.info.variant, timing);
    const rows = observationRows(l.obs, r.obs);
    const out = [
      `input: ${describeInput(input)}`,
      `path: ${exitPath(input)}; core ${core}, ${mode} state`,
      "",
      ...sideBySide(rows, left.info.id, right.info.id),
      "",
      `cycles: ${left.info.id} ${l.cycles ?? "-"}, ${right.info.id} ${r.cycles ?? "-"}`,
    ];
    for (const d of [l, r]) if (d.error) out.push(`error: ${d.error}`);
    const effects = [...new Set([...l.perEffect, ...r.perEffect].map((e) => e.effect))];
    for (const e of effects) {
      const c = (list: typeof l.perEffect) => String(list.find((x) => x.effect === e)?.cycles ?? "-");
      out.push(`  ${e.padEnd(48)} ${c(l.perEffect).padStart(5)} ${c(r.perEffect).padStart(5)}`);
    }
    for (const [subject, d] of [
      [left, l],
      [right, r],
    ] as const) {
      out.push("", `executed: ${subject.info.id} (${d.executed.length} instructions)`, ...d.executed);
      out.push("", `timeline: ${subject.info.id}`, d.timeline);
    }
    process.stdout.write(`${out.join("\n")}\n`);
    return 0;
  },
};

const replayCommand: Command = {
  summary: "run a counterexample report again",
  help: `usage: exitwork replay <report.json> [--budgets FILE]

Runs the report's input on the same fixtures (or specification) without the generator.
Exit 1 when the failure reproduces, 0 when the property holds now.
`,
  options: { budgets: { type: "string" } },
  run(values, positionals) {
    const file = positionals[0] ?? usage("replay", "name a report file (reports/<name>.json)");
    const { report } = readCounterexample(file);
    const result = replayCase(report, readBudgets(str(values, "budgets") ?? DEFAULT_BUDGETS));
    const out = [
      `replay ${report.name} (${report.property}): ${report.headline}`,
      `input: ${report.inputText}`,
    ];
    out.push(...result.notes.map((n) => `note: ${n}`));
    if (result.divergence) {
      out.push("", `${result.divergence.what}`, `rule: ${result.divergence.rule}`, "");
      out.push(...sideBySide(result.divergence.rows, report.left.label, report.right.label));
    }
    if (result.cycles) {
      out.push(
        `cycles: ${report.left.label} ${result.cycles.left}, ${report.right.label} ${result.cycles.right}: ${result.cycles.verdict}`,
      );
    }
    out.push(
      "",
      result.reproduced
        ? "reproduced: the failure happens again"
        : "holds now: the failure no longer happens",
    );
    process.stdout.write(`${out.join("\n")}\n`);
    return result.reproduced ? 1 : 0;
  },
};

const promoteCommand: Command = {
  summary: "keep a report's input as a regression case",
  help: `usage: exitwork promote <report.json>

Writes golden/regressions/<name>.json, which npm test replays: the property must hold on the
input (for a mutant: the input must keep catching it).
`,
  options: {},
  run(_values, positionals) {
    const file = positionals[0] ?? usage("promote", "name a report file (reports/<name>.json)");
    const { json } = readCounterexample(file);
    const subject = json.subject ?? "exit";
    const domain = DOMAINS[subject];
    const mutant = json.right.fixture
      ? domain.fixtureInfo(json.right.fixture.id).mutant !== undefined
      : false;
    const target = writeRegression({
      name: json.name,
      property: json.property,
      subject,
      headline: json.headline,
      expect: mutant ? "caught" : "holds",
      left: json.left,
      right: json.right,
      core: json.core,
      mode: json.mode,
      input: json.input,
    });
    const count = readRegressions().length;
    process.stdout.write(
      `promoted ${json.name} to ${target} (${count} regression case${count === 1 ? "" : "s"})\n`,
    );
    return 0;
  },
};

export const commands: Record<string, Command> = {
  check: checkCommand,
  explain: explainCommand,
  replay: replayCommand,
  promote: promoteCommand,
  golden: goldenCommand,
  bench: benchCommand,
  report: reportCommand,
};
