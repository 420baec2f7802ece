/**
 * The check engine behind `exitwork check` and the vitest properties: P1-P4 over the compiled
 * fixtures, first on the whole exhaustive space, then on random inputs from fast-check.
 *
 * The sweep goes through inputs with the fewest work bits first, so the first failure it meets
 * for a subject needs no more work bits than any other failure in the exhaustive space: it is
 * minimal in that space. The random phase then looks beyond it (64-bit work words, random return
 * values, tracer writes) and fast-check shrinks what it finds; a report uses the shrunk input
 * where there is one and the sweep's otherwise.
 */
import fc from "fast-check";
import { fail, formatError } from "../errors.ts";
import type { FixtureInfo } from "../kernel/fixtures.ts";
import type { ExitInput } from "../kernel/state.ts";
import { EXIT_RELEVANT_SHORT, SYSCALL_WORK_BITS } from "../kernel/work.ts";
import type { CoreModel, CoreOverrides } from "../timing/core.ts";
import { arbExitInput, exhaustiveInputs } from "./arbitraries.ts";
import { type AcceptedRegression, type Budgets, budgetFor, judgeCycles } from "./budgets.ts";
import { compareObservations, type Divergence, type Observation } from "./compare.ts";
import {
  type Build,
  coreModel,
  groupBuilds,
  type MachineRun,
  type Mode,
  runSubject,
  type Subject,
  specObservation,
  timeStream,
  timeSubject,
} from "./observe.ts";
import { exitPath, NO_WORK_PATH } from "./paths.ts";
import {
  type CheckSummary,
  NOT_CHECKED,
  PROPERTY_TITLES,
  type PropertyId,
  type PropertyResult,
  type SubjectResult,
} from "./results.ts";

/** Random cases P4 may spend hunting one mutant (it stops at the first kill). */
const MUTANT_HUNT_RUNS = 20_000;

export interface CheckOptions {
  readonly fixtures: readonly FixtureInfo[];
  /** Cores P3 times on (P1, P2 and P4 do not depend on a core). */
  readonly cores: readonly string[];
  readonly mode: Mode;
  readonly seed: number;
  /** Random cases per property after the sweep. */
  readonly runs: number;
  readonly shard: { readonly index: number; readonly count: number } | null;
  readonly properties: readonly PropertyId[];
  readonly budgets: Budgets;
  /** The user's overrides of the cores' assumed parameters, for what-if runs. */
  readonly coreOverrides?: CoreOverrides;
  readonly onProgress?: (done: number, total: number) => void;
}

/** How a failing input was found. */
export interface Found {
  readonly source: "sweep" | "random";
  readonly input: ExitInput;
  /** Cases run before it was found. */
  readonly runs: number;
  readonly path: string | null;
  readonly shrinks: number | null;
}

/** A failing input for one property and subject, with what the comparison or the budget said. */
export interface Failure {
  readonly property: PropertyId;
  /** The subject the property is about: a build, a fixture or a mutant. */
  readonly subject: string;
  readonly left: Subject | "generic" | "legacy";
  readonly right: Subject | "generic" | "legacy";
  /** The core of a budget failure. */
  readonly core?: string;
  readonly found: Found;
  readonly divergence?: Divergence;
  readonly budget?: {
    readonly refCycles: number;
    readonly inlineCycles: number;
    /** The path's budget in golden/budgets.json, when it has one. */
    readonly budget: number | null;
    readonly verdict: string;
  };
  readonly detail: string;
}

export interface CheckRun {
  readonly summary: CheckSummary;
  readonly failures: readonly Failure[];
}

function popcount(x: bigint): number {
  let n = 0;
  for (let v = x; v > 0n; v >>= 1n) n += Number(v & 1n);
  return n;
}

/** The exhaustive inputs this shard sweeps, fewest work bits first. */
export function sweepInputs(shard: CheckOptions["shard"]): ExitInput[] {
  const all = [...exhaustiveInputs()]
    .map((input, index) => ({ input, index, bits: popcount(input.work) }))
    .sort((a, b) => a.bits - b.bits || a.index - b.index);
  return all.filter((_, i) => !shard || i % shard.count === shard.index).map((e) => e.input);
}

/** The short names of the exit-relevant work bits an input sets (for P4's minimality check). */
export function exitBitsOf(input: ExitInput): string[] {
  return EXIT_RELEVANT_SHORT.filter((short) => {
    const bit = SYSCALL_WORK_BITS.find((b) => b.short === short)?.bit ?? 0;
    return ((input.work >> BigInt(bit)) & 1n) === 1n;
  });
}

/**
 * The runs of one input: P1, P2 and P4 look at the same runs of ref and the specification, so
 * each subject runs once per input.
 */
class InputRuns {
  private readonly runs = new Map<Subject, MachineRun>();
  private readonly specs = new Map<"generic" | "legacy", Observation>();
  /** `collect`: keep each run's instruction stream, so P3 times the very runs P1 and P2 compared. */
  constructor(
    readonly input: ExitInput,
    private readonly collect: boolean,
  ) {}
  run(subject: Subject, label: string): MachineRun {
    let r = this.runs.get(subject);
    if (!r) {
      r = runSubject(subject, this.input, label, this.collect);
      this.runs.set(subject, r);
    }
    return r;
  }
  cycles(subject: Subject, core: CoreModel, mode: Mode): number {
    const run = this.run(subject, subject.info.variant);
    if (!run.trace?.insns)
      return fail("RUN_FAILED", subject.info.id, run.error ? formatError(run.error) : "no stream");
    return timeStream(subject, run.trace.insns, mode, core).totalCycles;
  }
  spec(kind: "generic" | "legacy"): Observation {
    let o = this.specs.get(kind);
    if (!o) {
      o = specObservation(kind, this.input);
      this.specs.set(kind, o);
    }
    return o;
  }
}

type Verdict = { divergence?: Divergence; budget?: Failure["budget"]; detail: string };
type Judge = (runs: InputRuns) => Verdict | undefined;

interface Check {
  readonly property: PropertyId;
  readonly subject: string;
  readonly left: Failure["left"];
  readonly right: Failure["right"];
  readonly core?: string;
  readonly judge: Judge;
}

function behaviour(a: Observation, b: Observation): Verdict | undefined {
  const divergence = compareObservations(a, b);
  return divergence
    ? { divergence, detail: `${divergence.what} (${divergence.rule.split(":")[0]})` }
    : undefined;
}

/** What P3 saw of the accepted regressions: the most extra cycles per declared path. */
type RegressionsSeen = Map<AcceptedRegression, number>;

function budgetCheck(
  b: Build,
  core: string,
  options: CheckOptions,
  seen: RegressionsSeen,
): Check | undefined {
  const { ref, inline } = b;
  if (!ref || !inline) return undefined;
  const model = coreModel(core, options.coreOverrides);
  return {
    property: "P3",
    subject: options.cores.length > 1 ? `${core} ${b.name}` : b.name,
    left: ref,
    right: inline,
    core,
    judge: (runs) => {
      const path = exitPath(runs.input);
      const refCycles = runs.cycles(ref, model, options.mode);
      const inlineCycles = runs.cycles(inline, model, options.mode);
      const verdict = judgeCycles(options.budgets, { core, build: b.name, path }, refCycles, inlineCycles);
      if (verdict.ok) {
        if (verdict.accepted) {
          seen.set(verdict.accepted, Math.max(seen.get(verdict.accepted) ?? 0, inlineCycles - refCycles));
        }
        return undefined;
      }
      const budget = budgetFor(options.budgets, core, b.name, path) ?? null;
      return {
        budget: { refCycles, inlineCycles, budget, verdict: verdict.message },
        detail: `path ${path}: ${verdict.message}`,
      };
    },
  };
}

function buildChecks(builds: readonly Build[], options: CheckOptions, seen: RegressionsSeen): Check[] {
  const wanted = new Set(options.properties);
  const checks: Check[] = [];
  for (const b of builds) {
    const { ref, inline, legacy } = b;
    if (wanted.has("P1") && ref && inline) {
      checks.push({
        property: "P1",
        subject: b.name,
        left: ref,
        right: inline,
        judge: (runs) => behaviour(runs.run(ref, "ref").obs, runs.run(inline, "inline").obs),
      });
    }
    if (wanted.has("P2")) {
      for (const [subject, spec] of [
        [ref, "generic"],
        [inline, "generic"],
        [legacy, "legacy"],
      ] as const) {
        if (!subject) continue;
        checks.push({
          property: "P2",
          subject: subject.info.id,
          left: subject,
          right: spec,
          judge: (runs) => behaviour(runs.run(subject, subject.info.variant).obs, runs.spec(spec)),
        });
      }
    }
    if (wanted.has("P3")) {
      for (const core of options.cores) {
        const check = budgetCheck(b, core, options, seen);
        if (check) checks.push(check);
      }
    }
    if (wanted.has("P4")) {
      for (const mutant of b.mutants) {
        checks.push({
          property: "P4",
          subject: mutant.info.id,
          left: ref ?? "generic",
          right: mutant,
          judge: (runs) => {
            const m = runs.run(mutant, "mutant").obs;
            return (
              (ref ? behaviour(runs.run(ref, "ref").obs, m) : undefined) ?? behaviour(runs.spec("generic"), m)
            );
          },
        });
      }
    }
  }
  return checks;
}

interface Tally {
  cases: number;
  first?: Failure;
}

function failureOf(check: Check, found: Found, verdict: Verdict): Failure {
  return {
    property: check.property,
    subject: check.subject,
    left: check.left,
    right: check.right,
    ...(check.core ? { core: check.core } : {}),
    found,
    ...(verdict.divergence ? { divergence: verdict.divergence } : {}),
    ...(verdict.budget ? { budget: verdict.budget } : {}),
    detail: verdict.detail,
  };
}

/** The sweep: every check on every input of this shard, fewest work bits first. */
/** P3 times runs, so it needs their streams; the other properties do not. */
function needsStreams(checks: readonly Check[]): boolean {
  return checks.some((c) => c.property === "P3");
}

function sweep(checks: readonly Check[], inputs: readonly ExitInput[], progress: (n: number) => void) {
  const tallies = new Map<Check, Tally>(checks.map((c) => [c, { cases: 0 }]));
  const collect = needsStreams(checks);
  inputs.forEach((input, n) => {
    const runs = new InputRuns(input, collect);
    for (const check of checks) {
      const tally = tallies.get(check)!;
      // A mutant needs only its first (minimal) kill; every other check counts every input.
      if (check.property === "P4" && tally.first) continue;
      tally.cases++;
      if (tally.first) continue;
      const verdict = check.judge(runs);
      if (verdict) {
        const found: Found = { source: "sweep", input, runs: n + 1, path: null, shrinks: null };
        tally.first = failureOf(check, found, verdict);
      }
    }
    progress(n + 1);
  });
  return tallies;
}

function failingChecks(checks: readonly Check[], input: ExitInput): { check: Check; verdict: Verdict }[] {
  const runs = new InputRuns(input, needsStreams(checks));
  return checks.flatMap((check) => {
    const verdict = check.judge(runs);
    return verdict ? [{ check, verdict }] : [];
  });
}

/**
 * The random phase for one property's checks: fast-check draws `runs` inputs (this shard
 * evaluates every count-th of them, so the shards' union is the whole run) and shrinks the first
 * failure on all of them.
 */
function randomPhase(
  checks: readonly Check[],
  options: CheckOptions,
): { cases: number; failures: Failure[] } {
  if (checks.length === 0 || options.runs === 0) return { cases: 0, failures: [] };
  let drawn = 0;
  let evaluated = 0;
  let shrinking = false;
  const result = fc.check(
    fc.property(arbExitInput(), (input) => {
      const k = drawn++;
      if (!shrinking && options.shard && k % options.shard.count !== options.shard.index) return true;
      if (!shrinking) evaluated++;
      const ok = failingChecks(checks, input).length === 0;
      if (!ok) shrinking = true;
      return ok;
    }),
    { seed: options.seed, numRuns: options.runs },
  );
  if (!result.failed || !result.counterexample) return { cases: evaluated, failures: [] };
  const [input] = result.counterexample;
  const found: Found = {
    source: "random",
    input,
    runs: evaluated,
    path: result.counterexamplePath,
    shrinks: result.numShrinks,
  };
  return {
    cases: evaluated,
    failures: failingChecks(checks, input).map(({ check, verdict }) => failureOf(check, found, verdict)),
  };
}

/** fast-check's shrunk kill of a mutant: the smallest input it finds on which the mutant is caught. */
function huntMutant(check: Check, options: CheckOptions): Failure | undefined {
  const result = fc.check(
    fc.property(arbExitInput(), (input) => check.judge(new InputRuns(input, false)) === undefined),
    { seed: options.seed, numRuns: Math.max(options.runs, MUTANT_HUNT_RUNS) },
  );
  if (!result.failed || !result.counterexample) return undefined;
  const [input] = result.counterexample;
  const verdict = check.judge(new InputRuns(input, false));
  if (!verdict) return undefined;
  const found: Found = {
    source: "random",
    input,
    runs: result.numRuns,
    path: result.counterexamplePath,
    shrinks: result.numShrinks,
  };
  return failureOf(check, found, verdict);
}

/**
 * P4 for one mutant: it must be caught (by P1 against ref or P2 against the specification), and
 * the shrunk counterexample must need no more work bits than the mutant's source declares. The
 * count is what is compared, not the names: a slip such as "audit gated on the wrong bit" shows
 * with any one bit that opens the exit path, and fast-check may shrink to another one than the
 * declared example.
 */
function judgeMutant(
  check: Check,
  tally: Tally,
  options: CheckOptions,
): { result: SubjectResult; failure?: Failure } {
  const declared = (check.right as Subject).info.mutant?.bits ?? [];
  const kill = huntMutant(check, options) ?? tally.first;
  if (!kill) {
    const detail = "survived: no input tells it from ref and the specification";
    return { result: { name: check.subject, status: "fail", cases: tally.cases, detail } };
  }
  const needed = exitBitsOf(kill.found.input);
  const how = `killed (${kill.found.source}) by: ${kill.divergence?.what ?? kill.detail}; work=${needed.join("|") || "0"}`;
  if (needed.length <= declared.length) {
    return { result: { name: check.subject, status: "pass", cases: tally.cases, detail: how } };
  }
  const detail = `${how}: needs ${needed.length} work bits, the mutant declares ${declared.length} (${declared.join("|") || "none"})`;
  return {
    result: { name: check.subject, status: "fail", cases: tally.cases, detail },
    failure: { ...kill, property: "P4", detail },
  };
}

function fastPathNotes(
  builds: readonly Build[],
  options: CheckOptions,
  inputs: readonly ExitInput[],
): string[] {
  const noWork = inputs.find((i) => exitPath(i) === NO_WORK_PATH);
  if (!noWork) return [];
  return options.cores.flatMap((core) =>
    builds.flatMap((b) => {
      if (!b.ref || !b.inline) return [];
      const model = coreModel(core, options.coreOverrides);
      const ref = timeSubject(b.ref, noWork, core, options.mode, model).cycles;
      const inline = timeSubject(b.inline, noWork, core, options.mode, model).cycles;
      const delta = inline - ref;
      return [
        `no-work fast path, ${core} ${b.name}: ref ${ref}, inline ${inline} cycles (${delta > 0 ? "+" : ""}${delta})`,
      ];
    }),
  );
}

/** One line per accepted regression P3 met, with what it measured; each reason once, numbered. */
function acceptedNotes(seen: RegressionsSeen): string[] {
  const reasons: string[] = [];
  const lines = [...seen.entries()].map(([r, extra]) => {
    let n = reasons.indexOf(r.reason);
    if (n < 0) n = reasons.push(r.reason) - 1;
    return `accepted regression [${n + 1}]: ${r.core} ${r.build} ${r.path}: +${extra} cycles (allowed +${r.maxExtraCycles})`;
  });
  return [...lines, ...reasons.map((reason, i) => `[${i + 1}] ${reason}`)];
}

export function runCheck(options: CheckOptions): CheckRun {
  const builds = groupBuilds(options.fixtures);
  const seen: RegressionsSeen = new Map();
  const checks = buildChecks(builds, options, seen);
  const inputs = sweepInputs(options.shard);
  const tallies = sweep(checks, inputs, (n) => options.onProgress?.(n, inputs.length));

  const failures: Failure[] = [];
  const properties: PropertyResult[] = [];
  let randomCases = 0;
  for (const id of options.properties) {
    const mine = checks.filter((c) => c.property === id);
    const subjects: SubjectResult[] = [];
    if (id === "P4") {
      for (const check of mine) {
        const verdict = judgeMutant(check, tallies.get(check)!, options);
        subjects.push(verdict.result);
        if (verdict.failure) failures.push(verdict.failure);
      }
    } else {
      const random = randomPhase(mine, options);
      randomCases = Math.max(randomCases, random.cases);
      for (const check of mine) {
        const tally = tallies.get(check)!;
        const failure = random.failures.find((f) => f.subject === check.subject) ?? tally.first;
        const cases = tally.cases + random.cases;
        subjects.push(
          failure
            ? { name: check.subject, status: "fail", cases, detail: failure.detail }
            : { name: check.subject, status: "pass", cases },
        );
        if (failure) failures.push(failure);
      }
    }
    const notes = id === "P3" ? [...fastPathNotes(builds, options, inputs), ...acceptedNotes(seen)] : [];
    const status =
      subjects.length === 0 ? "skip" : subjects.some((s) => s.status === "fail") ? "fail" : "pass";
    properties.push({ id, title: PROPERTY_TITLES[id], status, subjects, notes });
  }
  return {
    summary: {
      settings: {
        core: options.cores.join(", "),
        mode: options.mode,
        seed: options.seed,
        runs: options.runs,
        shard: options.shard,
        builds: builds.map((b) => b.name),
        fixtures: options.fixtures.filter((f) => !f.mutant).length,
        mutants: options.fixtures.filter((f) => f.mutant).length,
      },
      properties,
      coverage: { exhaustive: inputs.length, random: randomCases },
      notChecked: NOT_CHECKED,
    },
    failures,
  };
}
