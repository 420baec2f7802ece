/**
 * Runs subjects (compiled fixtures) and the specifications on one input and turns each run into
 * an Observation the comparison reads; times runs on a core model.
 *
 * Timing is memoised by the dynamic stream: the cycle model is a deterministic function of the
 * executed instructions (pcs, memory addresses, branch outcomes) and the core, so two inputs that
 * drive a fixture down the same instructions share one timing run. Behaviour is never memoised.
 */

import { readFileSync } from "node:fs";
import type { ExecutedInsn } from "../a64/stream.ts";
import { fail, formatError } from "../errors.ts";
import type { FixtureInfo } from "../kernel/fixtures.ts";
import type { ExitInput } from "../kernel/state.ts";
import { applyOverrides, type CoreModel, type CoreOverrides } from "../timing/core.ts";
import { type CoreName, cores } from "../timing/cores/index.ts";
import { simulate, type TimingResult } from "../timing/pipeline.ts";
import type { Observation } from "./compare.ts";
import { type Domain, type DomainTrace, exitDomain } from "./domain.ts";
import { isRunError, type Program, type RunError } from "./run.ts";

export interface Subject {
  readonly info: FixtureInfo;
  readonly program: Program;
  /** What the fixture is of: the exit path or the whole syscall. */
  readonly domain: Domain;
}

/** The fixtures of one compiler and configuration: `gcc.defconfig` and so on. */
export interface Build {
  readonly name: string;
  readonly ref?: Subject;
  /** The layouts checked against ref (the domain's `inlines`, or a user's candidate). */
  readonly inlines: readonly Subject[];
  readonly legacy?: Subject;
  readonly mutants: readonly Subject[];
}

export interface MachineRun {
  readonly obs: Observation;
  readonly trace?: DomainTrace;
  readonly error?: RunError;
}

export type Mode = "steady" | "cold";

const programs = new Map<string, Program>();

/**
 * Loads a fixture's program once per process (its decode cache is shared by every run), from the
 * ELF the info names: a committed fixture or a user's candidate.
 */
export function subjectOf(info: FixtureInfo, domain: Domain = exitDomain): Subject {
  const key = `${info.elfPath}\0${info.sha256}`;
  let program = programs.get(key);
  if (!program) {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(readFileSync(info.elfPath));
    } catch {
      return fail("FIXTURE_MISSING", info.elfPath, "cannot read the ELF");
    }
    const loaded = domain.load(bytes, info.id);
    if (isRunError(loaded)) fail(loaded.code, loaded.path, loaded.message);
    program = loaded;
    programs.set(key, program);
  }
  return { info, program, domain };
}

export function buildName(info: FixtureInfo): string {
  return `${info.compiler}.${info.config}`;
}

/**
 * How a build's inline layout is named in results and budgets: the build (`gcc.defconfig`), or
 * the fixture (`svc-inline.gcc.defconfig`) where a build has several layouts checked against ref.
 */
export function layoutName(b: Build, inline: Subject): string {
  return b.inlines.length > 1 ? inline.info.id : b.name;
}

export function groupBuilds(fixtures: readonly FixtureInfo[], domain: Domain = exitDomain): Build[] {
  const builds = new Map<
    string,
    { ref?: Subject; inlines: Subject[]; legacy?: Subject; mutants: Subject[] }
  >();
  for (const info of fixtures) {
    const name = buildName(info);
    let b = builds.get(name);
    if (!b) {
      b = { inlines: [], mutants: [] };
      builds.set(name, b);
    }
    const subject = subjectOf(info, domain);
    if (info.mutant) b.mutants.push(subject);
    else if (info.variant === domain.ref) b.ref = subject;
    else if (info.variant === domain.legacy) b.legacy = subject;
    else if (domain.inlines.includes(info.variant)) b.inlines.push(subject);
    else fail("FIXTURE_VARIANT", info.id, `not a variant of the ${domain.title}: ${info.variant}`);
  }
  return [...builds.entries()].map(([name, b]) => ({ name, ...b }));
}

/** A run that failed to complete (fault, step limit, undecodable word) shows as a broken ABI row. */
function errorObservation(label: string, input: ExitInput, error: RunError): Observation {
  return {
    label,
    effects: [],
    final: { regs: input.regs, onDispatch: input.onDispatch },
    abi: { ok: false, problems: [formatError(error)] },
  };
}

export function runSubject(subject: Subject, input: ExitInput, label: string, collect = false): MachineRun {
  const trace = subject.domain.run(subject.program, input, { collect });
  if (isRunError(trace)) return { obs: errorObservation(label, input, trace), error: trace };
  return {
    obs: {
      label,
      effects: trace.effects,
      final: trace.final,
      task: trace.task,
      ptRegs: trace.ptRegs,
      abi: trace.abi,
    },
    trace,
  };
}

/** The specification's outcome as an observation; it has no memory image and keeps the ABI by definition. */
export function specObservation(
  kind: "generic" | "legacy",
  input: ExitInput,
  domain: Domain = exitDomain,
): Observation {
  return { label: `spec (${kind})`, ...domain.spec(kind, input), abi: { ok: true, problems: [] } };
}

const models = new Map<string, CoreModel>();

/**
 * A core by name, with the user's overrides of its assumptions applied (`--core-param`,
 * `--core-file`); one object per distinct (name, overrides), so the timing memo never mixes them.
 */
export function coreModel(name: string, overrides?: CoreOverrides): CoreModel {
  const base = cores[name as CoreName];
  if (!base) fail("USAGE", "--core", `unknown core "${name}" (${Object.keys(cores).join(", ")})`);
  if (!overrides) return base;
  const key = `${name}\0${JSON.stringify(overrides)}`;
  let model = models.get(key);
  if (!model) {
    model = applyOverrides(base, overrides);
    models.set(key, model);
  }
  return model;
}

/**
 * The timing memo's key: every pc and memory address of the stream, as UTF-16 code units (two per
 * value, so any address below 2^32 fits). Exact, not a hash: two streams share a key only when
 * they are the same instructions on the same addresses.
 */
function streamKey(stream: readonly ExecutedInsn[]): string {
  const units: number[] = [];
  for (const insn of stream) {
    units.push(insn.pc & 0xffff, insn.pc >>> 16);
    for (const m of insn.mem) units.push(m.addr & 0xffff, (m.addr >>> 16) | 0x8000);
  }
  let key = "";
  for (let i = 0; i < units.length; i += 4096) key += String.fromCharCode(...units.slice(i, i + 4096));
  return key;
}

export interface Timed {
  readonly cycles: number;
  readonly stream: readonly ExecutedInsn[];
  readonly trace: DomainTrace;
  readonly timing: TimingResult;
}

/** Per core object (overridden cores are other objects), per stream. */
const timingCache = new WeakMap<CoreModel, Map<string, TimingResult>>();

/** Times a collected stream of `subject` on a core, memoised by the stream (see the file comment). */
export function timeStream(
  subject: Subject,
  stream: readonly ExecutedInsn[],
  mode: Mode,
  core: CoreModel,
): TimingResult {
  let perCore = timingCache.get(core);
  if (!perCore) {
    perCore = new Map();
    timingCache.set(core, perCore);
  }
  const key = `${mode}|${subject.info.sha256}|${streamKey(stream)}`;
  let timing = perCore.get(key);
  if (!timing) {
    timing = simulate(core, stream, { mode, frontEnd: true });
    perCore.set(key, timing);
  }
  return timing;
}

/**
 * Runs a subject with the instruction stream collected and times it on a core. A run that does not
 * complete cannot be timed: that is a RUN_FAILED error.
 */
export function timeSubject(
  subject: Subject,
  input: ExitInput,
  coreName: string,
  mode: Mode,
  core: CoreModel = coreModel(coreName),
): Timed {
  const trace = subject.domain.run(subject.program, input, { collect: true });
  if (isRunError(trace)) return fail("RUN_FAILED", subject.info.id, formatError(trace));
  const stream = trace.insns ?? [];
  const timing = timeStream(subject, stream, mode, core);
  return { cycles: timing.totalCycles, stream, trace, timing };
}
