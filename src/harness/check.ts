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
import type { FixtureInfo } from "../kernel/fixtures.ts";
import { specGeneric } from "../kernel/spec-generic.ts";
import { specLegacy } from "../kernel/spec-legacy.ts";
import type { ExitInput } from "../kernel/state.ts";
import { EXIT_RELEVANT_SHORT, SYSCALL_WORK_BITS } from "../kernel/work.ts";
import { arbExitInput, exhaustiveInputs } from "./arbitraries.ts";
import { type Budgets, judgeCycles } from "./budgets.ts";
import { compareObservations, type Divergence, type Observation } from "./compare.ts";
import {
  type Build,
  groupBuilds,
  type MachineRun,
  runSubject,
  type Subject,
  specObservation,
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

export type Mode = "steady" | "cold";

/** Random cases P4 may spend hunting one mutant (it stops at the first kill). */
const MUTANT_HUNT_RUNS = 20_000;

export interface CheckOptions {
  readonly fixtures: readonly FixtureInfo[];
  readonly core: string;
  readonly mode: Mode;
  readonly seed: number;
  /** Random cases per property after the sweep. */
  readonly runs: number;
  readonly shard: { readonly index: number; readonly count: number } | null;
  readonly properties: readonly PropertyId[];
  readonly budgets: Budgets;
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
  readonly found: Found;
  readonly divergence?: Divergence;
  readonly budget?: { readonly refCycles: number; readonly inlineCycles: number; readonly verdict: string };
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

/** One behaviour check: a machine run against a reference observation. */
type Judge = (
  input: ExitInput,
) => { divergence?: Divergence; budget?: Failure["budget"]; detail?: string } | undefined;

interface Check {
  readonly property: PropertyId;
  readonly subject: string;
  readonly left: Failure["left"];
  readonly right: Failure["right"];
  readonly judge: Judge;
}

function behaviour(a: Observation, b: Observation): ReturnType<Judge> {
  const divergence = compareObservations(a, b);
  return divergence
    ? { divergence, detail: `${divergence.what} (${divergence.rule.split(":")[0]})` }
    : undefined;
}

/**
 * A memo of machine runs for one input: P1, P2 and P4 look at the same runs of ref and the spec,
 * so each subject runs once per input.
 */
class InputRuns {
  private readonly runs = new Map<Subject, MachineRun>();
  private generic?: Observation;
  private legacy?: Observation;
  constructor(readonly input: ExitInput) {}
  run(subject: Subject, label: string): MachineRun {
    let r = this.runs.get(subject);
    if (!r) {
      r = runSubject(subject, this.input, label);
      this.runs.set(subject, r);
    }
    return r;
  }
  spec(kind: "generic" | "legacy"): Observation {
    if (kind === "generic") {
      this.generic ??= specObservation("generic", this.input);
      return this.generic;
    }
    this.legacy ??= specObservation("legacy", this.input);
    return this.legacy;
  }
}

function buildChecks(builds: readonly Build[], options: CheckOptions, memo: () => InputRuns): Check[] {
  const checks: Check[] = [];
  const wanted = new Set(options.properties);
  for (const b of builds) {
    if (wanted.has("P1") && b.ref && b.inline) {
      const ref = b.ref;
      const inline = b.inline;
      checks.push({
        property: "P1",
        subject: b.name,
        left: ref,
        right: inline,
        judge: () => behaviour(memo().run(ref, "ref").obs, memo().run(inline, "inline").obs),
      });
    }
    if (wanted.has("P2")) {
      for (const [subject, spec] of [
        [b.ref, "generic"],
        [b.inline, "generic"],
        [b.legacy, "legacy"],
      ] as const) {
        if (!subject) continue;
        checks.push({
          property: "P2",
          subject: subject.info.id,
          left: subject,
          right: spec,
          judge: () => behaviour(memo().run(subject, subject.info.variant).obs, memo().spec(spec)),
        });
      }
    }
    if (wanted.has("P3") && b.ref && b.inline) {
      const ref = b.ref;
      const inline = b.inline;
      checks.push({
        property: "P3",
        subject: b.name,
        left: ref,
        right: inline,
        judge: (input) => {
          const path = exitPath(input);
          const refCycles = timeSubject(ref, input, options.core, options.mode).cycles;
          const inlineCycles = timeSubject(inline, input, options.core, options.mode).cycles;
          const verdict = judgeCycles(
            options.budgets,
            { core: options.core, build: b.name, path },
            refCycles,
            inlineCycles,
          );
          if (verdict.ok) return undefined;
          return {
            budget: { refCycles, inlineCycles, verdict: verdict.message },
            detail: `path ${path}: ${verdict.message}`,
          };
        },
      });
    }
  }
  return checks;
}

function mutantChecks(builds: readonly Build[], memo: () => InputRuns): Check[] {
  return builds.flatMap((b) =>
    b.mutants.map((mutant) => ({
      property: "P4" as const,
      subject: mutant.info.id,
      left: b.ref ?? "generic",
      right: mutant,
      judge: (input: ExitInput) => {
        const m = memo().run(mutant, "mutant").obs;
        const vsRef = b.ref ? behaviour(memo().run(b.ref, "ref").obs, m) : undefined;
        return vsRef ?? behaviour(memo().spec("generic"), m);
      },
    })),
  );
}

interface Tally {
  cases: number;
  first?: Failure;
}

function failureOf(check: Check, found: Found, verdict: NonNullable<ReturnType<Judge>>): Failure {
  return {
    property: check.property,
    subject: check.subject,
    left: check.left,
    right: check.right,
    found,
    ...(verdict.divergence ? { divergence: verdict.divergence } : {}),
    ...(verdict.budget ? { budget: verdict.budget } : {}),
    detail: verdict.detail ?? "",
  };
}

/** The sweep: every check on every input of this shard, fewest work bits first. */
function sweep(
  checks: readonly Check[],
  inputs: readonly ExitInput[],
  setInput: (i: ExitInput) => void,
  progress: (n: number) => void,
) {
  const tallies = new Map<Check, Tally>(checks.map((c) => [c, { cases: 0 }]));
  inputs.forEach((input, n) => {
    setInput(input);
    for (const check of checks) {
      const tally = tallies.get(check)!;
      // A mutant needs only its first (minimal) kill; the others keep counting every input.
      if (check.property === "P4" && tally.first) continue;
      tally.cases++;
      if (tally.first) continue;
      const verdict = check.judge(input);
      if (verdict)
        tally.first = failureOf(
          check,
          { source: "sweep", input, runs: n + 1, path: null, shrinks: null },
          verdict,
        );
    }
    progress(n + 1);
  });
  return tallies;
}

/**
 * The random phase for a group of checks: fast-check draws `runs` inputs (this shard evaluates
 * every count-th of them, so the shards' union is the whole run) and shrinks the first failure.
 */
function randomPhase(
  checks: readonly Check[],
  options: CheckOptions,
  setInput: (i: ExitInput) => void,
): { cases: number; found?: { input: ExitInput; failures: Failure[] } } {
  if (checks.length === 0 || options.runs === 0) return { cases: 0 };
  let drawn = 0;
  let evaluated = 0;
  let shrinking = false;
  const failing = (input: ExitInput) =>
    checks.flatMap((check) => {
      const verdict = check.judge(input);
      return verdict ? [{ check, verdict }] : [];
    });
  const result = fc.check(
    fc.property(arbExitInput(), (input) => {
      const k = drawn++;
      if (!shrinking && options.shard && k % options.shard.count !== options.shard.index) return true;
      if (!shrinking) evaluated++;
      setInput(input);
      const bad = failing(input);
      if (bad.length > 0) shrinking = true;
      return bad.length === 0;
    }),
    { seed: options.seed, numRuns: options.runs },
  );
  if (!result.failed || !result.counterexample) return { cases: evaluated };
  const [input] = result.counterexample;
  setInput(input);
  const found: Found = {
    source: "random",
    input,
    runs: evaluated,
    path: result.counterexamplePath,
    shrinks: result.numShrinks,
  };
  return {
    cases: evaluated,
    found: { input, failures: failing(input).map(({ check, verdict }) => failureOf(check, found, verdict)) },
  };
}

function fastPathNotes(
  builds: readonly Build[],
  options: CheckOptions,
  inputs: readonly ExitInput[],
): string[] {
  const noWork = inputs.find((i) => exitPath(i) === NO_WORK_PATH);
  if (!noWork) return [];
  return builds.flatMap((b) => {
    if (!b.ref || !b.inline) return [];
    const ref = timeSubject(b.ref, noWork, options.core, options.mode).cycles;
    const inline = timeSubject(b.inline, noWork, options.core, options.mode).cycles;
    const delta = inline - ref;
    return [
      `no-work fast path, ${b.name}: ref ${ref}, inline ${inline} cycles (${delta > 0 ? "+" : ""}${delta})`,
    ];
  });
}

function acceptedNotes(options: CheckOptions, builds: readonly Build[]): string[] {
  const names = new Set(builds.map((b) => b.name));
  return options.budgets.acceptedRegressions
    .filter((r) => r.core === options.core && names.has(r.build))
    .map(
      (r) => `accepted regression: ${r.build} path ${r.path} up to +${r.maxExtraCycles} cycles: ${r.reason}`,
    );
}

export function runCheck(options: CheckOptions): CheckRun {
  const builds = groupBuilds(options.fixtures);
  let current = new InputRuns(exhaustiveInputs().next().value as ExitInput);
  const memo = () => current;
  const setInput = (input: ExitInput) => {
    if (current.input !== input) current = new InputRuns(input);
  };
  const checks = [
    ...buildChecks(builds, options, memo),
    ...(options.properties.includes("P4") ? mutantChecks(builds, memo) : []),
  ];
  const inputs = sweepInputs(options.shard);
  const tallies = sweep(checks, inputs, setInput, (n) => options.onProgress?.(n, inputs.length));

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
      const random = randomPhase(mine, options, setInput);
      randomCases = Math.max(randomCases, random.cases);
      for (const check of mine) {
        const tally = tallies.get(check)!;
        const failure = random.found?.failures.find((f) => f.subject === check.subject) ?? tally.first;
        subjects.push(judgeSubject(check, tally.cases + random.cases, failure));
        if (failure) failures.push(failure);
      }
    }
    const notes =
      id === "P3" ? [...fastPathNotes(builds, options, inputs), ...acceptedNotes(options, builds)] : [];
    properties.push({
      id,
      title: PROPERTY_TITLES[id],
      status: subjects.length === 0 ? "skip" : subjects.some((s) => s.status === "fail") ? "fail" : "pass",
      subjects,
      notes,
    });
  }
  return {
    summary: {
      settings: {
        core: options.core,
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

function judgeSubject(check: Check, cases: number, failure: Failure | undefined): SubjectResult {
  if (!failure) return { name: check.subject, status: "pass", cases };
  return { name: check.subject, status: "fail", cases, detail: failure.detail };
}

/** fast-check's shrunk kill of a mutant: the smallest input it finds on which the mutant is caught. */
function shrinkMutant(check: Check, options: CheckOptions): Failure | undefined {
  const result = fc.check(
    fc.property(arbExitInput(), (input) => check.judge(input) === undefined),
    { seed: options.seed, numRuns: Math.max(options.runs, MUTANT_HUNT_RUNS) },
  );
  if (!result.failed || !result.counterexample) return undefined;
  const [input] = result.counterexample;
  const verdict = check.judge(input);
  if (!verdict) return undefined;
  return failureOf(
    check,
    {
      source: "random",
      input,
      runs: result.numRuns,
      path: result.counterexamplePath,
      shrinks: result.numShrinks,
    },
    verdict,
  );
}

/**
 * P4 for one mutant: it must be caught (by P1 against ref or P2 against the spec), and the
 * counterexample must need no work bit beyond those the mutant's source declares.
 */
function judgeMutant(
  check: Check,
  tally: Tally,
  options: CheckOptions,
): { result: SubjectResult; failure?: Failure } {
  const mutant = check.right as Subject;
  const declared = mutant.info.mutant?.bits ?? [];
  const kill = shrinkMutant(check, options) ?? tally.first;
  if (!kill) {
    return {
      result: {
        name: check.subject,
        status: "fail",
        cases: tally.cases,
        detail: "survived: no input tells it from ref and the specification",
      },
    };
  }
  const needed = exitBitsOf(kill.found.input);
  const extra = needed.filter((b) => !declared.includes(b));
  const how = `killed (${kill.found.source}) by: ${kill.divergence?.what ?? kill.detail}; work=${needed.join("|") || "0"}`;
  if (extra.length === 0)
    return { result: { name: check.subject, status: "pass", cases: tally.cases, detail: how } };
  const detail = `${how}: needs ${extra.join("|")} beyond the declared ${declared.join("|") || "none"}`;
  return {
    result: { name: check.subject, status: "fail", cases: tally.cases, detail },
    failure: { ...kill, property: "P4", detail },
  };
}
