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
import type { CoreModel, CoreOverrides } from "../timing/core.ts";
import { type AcceptedRegression, type Budgets, budgetFor, judgeCycles } from "./budgets.ts";
import { compareObservations, type Divergence, type Observation } from "./compare.ts";
import { type Domain, type DomainId, exitDomain } from "./domain.ts";
import {
  type Build,
  coreModel,
  groupBuilds,
  layoutName,
  type MachineRun,
  type Mode,
  runSubject,
  type Subject,
  specObservation,
  timeStream,
  timeSubject,
} from "./observe.ts";
import { NO_WORK_PATH } from "./paths.ts";
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
  /** The subject the fixtures are of (default: the exit path). */
  readonly domain?: Domain;
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
  /** The subject: exit path or whole syscall. */
  readonly domain: DomainId;
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

/**
 * The exhaustive inputs this shard sweeps, fewest work bits the subject reads first (then fewest
 * bits at all), so a first failure needs no more bits than any other one of the sweep.
 */
export function sweepInputs(shard: CheckOptions["shard"], domain: Domain = exitDomain): ExitInput[] {
  const all = domain
    .sweep()
    .map((input, index) => ({
      input,
      index,
      relevant: domain.workBits(input).length,
      bits: popcount(input.work | input.workAtEntry),
    }))
    .sort((a, b) => a.relevant - b.relevant || a.bits - b.bits || a.index - b.index);
  return all.filter((_, i) => !shard || i % shard.count === shard.index).map((e) => e.input);
}

/**
 * The runs of one input: P1, P2 and P4 look at the same runs of ref and the specification, so
 * each subject runs once per input.
 */
class InputRuns {
  private readonly runs = new Map<Subject, MachineRun>();
  private readonly specs = new Map<"generic" | "legacy", Observation>();
  /** `timed`: the subjects P3 times; their runs keep the instruction stream, so P3 times the very runs P1 and P2 compared. */
  constructor(
    readonly input: ExitInput,
    private readonly timed: ReadonlySet<Subject>,
    private readonly domain: Domain,
  ) {}
  run(subject: Subject, label: string): MachineRun {
    let r = this.runs.get(subject);
    if (!r) {
      r = runSubject(subject, this.input, label, this.timed.has(subject));
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
  private pathName?: string;
  /** The input's path, as the subject names it (computed once: every P3 check asks). */
  path(): string {
    this.pathName ??= this.domain.path(this.input);
    return this.pathName;
  }
  spec(kind: "generic" | "legacy"): Observation {
    let o = this.specs.get(kind);
    if (!o) {
      o = specObservation(kind, this.input, this.domain);
      this.specs.set(kind, o);
    }
    return o;
  }
}

const NOTHING_TIMED: ReadonlySet<Subject> = new Set();

type Verdict = { divergence?: Divergence; budget?: Failure["budget"]; detail: string };
type Judge = (runs: InputRuns) => Verdict | undefined;

interface Check {
  readonly property: PropertyId;
  readonly domain: DomainId;
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
  inline: Subject,
  core: string,
  options: CheckOptions,
  seen: RegressionsSeen,
): Check | undefined {
  const { ref } = b;
  if (!ref) return undefined;
  const model = coreModel(core, options.coreOverrides);
  const domain = options.domain ?? exitDomain;
  const name = layoutName(b, inline);
  return {
    property: "P3",
    domain: domain.id,
    subject: options.cores.length > 1 ? `${core} ${name}` : name,
    left: ref,
    right: inline,
    core,
    judge: (runs) => {
      const path = runs.path();
      const refCycles = runs.cycles(ref, model, options.mode);
      const inlineCycles = runs.cycles(inline, model, options.mode);
      const verdict = judgeCycles(options.budgets, { core, build: name, path }, refCycles, inlineCycles);
      if (verdict.ok) {
        if (verdict.accepted) {
          seen.set(verdict.accepted, Math.max(seen.get(verdict.accepted) ?? 0, inlineCycles - refCycles));
        }
        return undefined;
      }
      const budget = budgetFor(options.budgets, core, name, path) ?? null;
      return {
        budget: { refCycles, inlineCycles, budget, verdict: verdict.message },
        detail: `path ${path}: ${verdict.message}`,
      };
    },
  };
}

function buildChecks(builds: readonly Build[], options: CheckOptions, seen: RegressionsSeen): Check[] {
  const wanted = new Set(options.properties);
  const domainId = (options.domain ?? exitDomain).id;
  const checks: Check[] = [];
  for (const b of builds) {
    const { ref, legacy } = b;
    for (const inline of b.inlines) {
      if (wanted.has("P1") && ref) {
        checks.push({
          property: "P1",
          domain: domainId,
          subject: layoutName(b, inline),
          left: ref,
          right: inline,
          judge: (runs) => behaviour(runs.run(ref, "ref").obs, runs.run(inline, "inline").obs),
        });
      }
      if (wanted.has("P3")) {
        for (const core of options.cores) {
          const check = budgetCheck(b, inline, core, options, seen);
          if (check) checks.push(check);
        }
      }
    }
    if (wanted.has("P2")) {
      const specified: [Subject | undefined, "generic" | "legacy"][] = [
        [ref, "generic"],
        ...b.inlines.map((i): [Subject, "generic"] => [i, "generic"]),
        [legacy, "legacy"],
      ];
      for (const [subject, spec] of specified) {
        if (!subject) continue;
        checks.push({
          property: "P2",
          domain: domainId,
          subject: subject.info.id,
          left: subject,
          right: spec,
          judge: (runs) => behaviour(runs.run(subject, subject.info.variant).obs, runs.spec(spec)),
        });
      }
    }
    if (wanted.has("P4")) {
      for (const mutant of b.mutants) {
        checks.push({
          property: "P4",
          domain: domainId,
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
    domain: check.domain,
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

/** The subjects P3 times: their runs keep the stream; the other properties need none. */
function timedSubjects(checks: readonly Check[]): ReadonlySet<Subject> {
  const timed = new Set<Subject>();
  for (const c of checks) {
    if (c.property !== "P3") continue;
    if (typeof c.left !== "string") timed.add(c.left);
    if (typeof c.right !== "string") timed.add(c.right);
  }
  return timed;
}

/** The sweep: every check on every input of this shard, fewest work bits first. */
function sweep(
  checks: readonly Check[],
  inputs: readonly ExitInput[],
  domain: Domain,
  progress: (n: number) => void,
) {
  const tallies = new Map<Check, Tally>(checks.map((c) => [c, { cases: 0 }]));
  const timed = timedSubjects(checks);
  inputs.forEach((input, n) => {
    const runs = new InputRuns(input, timed, domain);
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

function failingChecks(
  checks: readonly Check[],
  input: ExitInput,
  domain: Domain,
): { check: Check; verdict: Verdict }[] {
  const runs = new InputRuns(input, timedSubjects(checks), domain);
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
  const domain = options.domain ?? exitDomain;
  let drawn = 0;
  let evaluated = 0;
  let shrinking = false;
  const result = fc.check(
    fc.property(domain.arbitrary(), (input) => {
      const k = drawn++;
      if (!shrinking && options.shard && k % options.shard.count !== options.shard.index) return true;
      if (!shrinking) evaluated++;
      const ok = failingChecks(checks, input, domain).length === 0;
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
    failures: failingChecks(checks, input, domain).map(({ check, verdict }) =>
      failureOf(check, found, verdict),
    ),
  };
}

/**
 * The random phases of P1-P3, shared: each input drawn is judged by every property's checks, so
 * the runs of ref and the inline layouts serve all three (each property still gets `runs` cases).
 * When a property fails, fast-check shrinks on that failure; the properties that did not fail on
 * the shrunk input then get a phase of their own, so one failure never hides another.
 */
function sharedRandomPhases(
  checks: readonly Check[],
  options: CheckOptions,
): Map<PropertyId, { cases: number; failures: Failure[] }> {
  const results = new Map<PropertyId, { cases: number; failures: Failure[] }>();
  let remaining = [...new Set(checks.map((c) => c.property))];
  while (remaining.length > 0) {
    const pending = remaining;
    const phase = randomPhase(
      checks.filter((c) => pending.includes(c.property)),
      options,
    );
    const failed = new Set(phase.failures.map((f) => f.property));
    for (const id of pending) {
      if (phase.failures.length === 0 || failed.has(id)) {
        results.set(id, { cases: phase.cases, failures: phase.failures.filter((f) => f.property === id) });
      }
    }
    remaining = phase.failures.length === 0 ? [] : pending.filter((id) => !failed.has(id));
  }
  return results;
}

/** fast-check's shrunk kill of a mutant: the smallest input it finds on which the mutant is caught. */
function huntMutant(check: Check, options: CheckOptions): Failure | undefined {
  const domain = options.domain ?? exitDomain;
  const result = fc.check(
    fc.property(
      domain.arbitrary(),
      (input) => check.judge(new InputRuns(input, NOTHING_TIMED, domain)) === undefined,
    ),
    { seed: options.seed, numRuns: Math.max(options.runs, MUTANT_HUNT_RUNS) },
  );
  if (!result.failed || !result.counterexample) return undefined;
  const [input] = result.counterexample;
  const verdict = check.judge(new InputRuns(input, NOTHING_TIMED, domain));
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
  const needed = (options.domain ?? exitDomain).workBits(kill.found.input);
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
  const domain = options.domain ?? exitDomain;
  const noWork = inputs.find((i) => domain.path(i) === NO_WORK_PATH);
  if (!noWork) return [];
  return options.cores.flatMap((core) =>
    builds.flatMap((b) =>
      b.inlines.flatMap((inline) => {
        if (!b.ref) return [];
        const model = coreModel(core, options.coreOverrides);
        const ref = timeSubject(b.ref, noWork, core, options.mode, model).cycles;
        const cycles = timeSubject(inline, noWork, core, options.mode, model).cycles;
        const delta = cycles - ref;
        const sign = delta > 0 ? "+" : "";
        const name = layoutName(b, inline);
        return [
          `no-work fast path, ${core} ${name}: ${b.ref.info.variant} ${ref}, ${inline.info.variant} ${cycles} cycles (${sign}${delta})`,
        ];
      }),
    ),
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
  const domain = options.domain ?? exitDomain;
  const builds = groupBuilds(options.fixtures, domain);
  const seen: RegressionsSeen = new Map();
  const checks = buildChecks(builds, options, seen);
  const inputs = sweepInputs(options.shard, domain);
  const tallies = sweep(checks, inputs, domain, (n) => options.onProgress?.(n, inputs.length));

  const failures: Failure[] = [];
  const properties: PropertyResult[] = [];
  let randomCases = 0;
  const random = sharedRandomPhases(
    checks.filter((c) => c.property !== "P4"),
    options,
  );
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
      const phase = random.get(id) ?? { cases: 0, failures: [] };
      randomCases = Math.max(randomCases, phase.cases);
      for (const check of mine) {
        const tally = tallies.get(check)!;
        const failure = phase.failures.find((f) => f.subject === check.subject) ?? tally.first;
        const cases = tally.cases + phase.cases;
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
    properties.push({ id, domain: domain.id, title: PROPERTY_TITLES[id], status, subjects, notes });
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
      coverage: [{ domain: domain.id, exhaustive: inputs.length, random: randomCases }],
      notChecked: NOT_CHECKED,
    },
    failures,
  };
}
