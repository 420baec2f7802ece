/**
 * The subjects exitwork checks, as data for one engine: the exit path alone (KERNEL.md §3: `ref`
 * v6.18, `inline` v7.0, `legacy` arm64 v6.18) and the whole syscall, el0_svc_common with its entry
 * work too (KERNEL.md §6: `svc-ref` v6.18, `svc-exit-inline` v9 15/16, `svc-inline` v10/v7.0).
 * Each says where its fixtures are, how they run, what specifies them, how inputs are generated,
 * swept, named by path and written as JSON. The check engine, golden traces, budgets and reports
 * read nothing else about a subject.
 *
 * Inputs are typed as ExitInput throughout the engine; the whole-syscall subject's inputs are
 * SyscallInputs (which extend it), and only ever come from its own arbitrary, sweep or JSON.
 */
import type fc from "fast-check";
import { arbSyscallInput, syscallSweep } from "../kernel/entry/arbitraries.ts";
import { svcFixtureInfo, svcFixtures } from "../kernel/entry/fixtures.ts";
import { syscallInputFromJson, syscallInputToJson } from "../kernel/entry/input-json.ts";
import { specSyscall } from "../kernel/entry/spec.ts";
import { describeSyscallInput, type SyscallEffect, type SyscallInput } from "../kernel/entry/types.ts";
import { type FixtureFilter, type FixtureInfo, fixtureInfo, listFixtures } from "../kernel/fixtures.ts";
import { inputFromJson, inputToJson } from "../kernel/input-json.ts";
import { specGeneric } from "../kernel/spec-generic.ts";
import { specLegacy } from "../kernel/spec-legacy.ts";
import type { ExitFinalState, ExitInput } from "../kernel/state.ts";
import { EXIT_RELEVANT_SHORT, SYSCALL_WORK_BITS } from "../kernel/work.ts";
import { arbExitInput, describeInput, exhaustiveInputs } from "./arbitraries.ts";
import { exitPath } from "./paths.ts";
import {
  HOOKS,
  type Program,
  programFromElf,
  type RunError,
  type RunOptions,
  type RunTrace,
  runExit,
} from "./run.ts";
import { runSyscall, SVC_HOOKS } from "./run-syscall.ts";

export type DomainId = "exit" | "syscall";

export type DomainTrace = Omit<RunTrace, "effects"> & { readonly effects: readonly SyscallEffect[] };

export interface Domain {
  readonly id: DomainId;
  /** What a reader calls it: "exit path", "whole syscall". */
  readonly title: string;
  /** The reference variant and the layouts checked against it (P1, P3), and the legacy one (P2 only). */
  readonly ref: string;
  readonly inlines: readonly string[];
  readonly legacy: string | null;
  fixtures(filter?: FixtureFilter): FixtureInfo[];
  fixtureInfo(id: string): FixtureInfo;
  load(bytes: Uint8Array, label: string): Program | RunError;
  run(program: Program, input: ExitInput, opts: RunOptions): DomainTrace | RunError;
  /** The specification of a variant: the generic one, or the legacy one for `legacy`. */
  spec(
    kind: "generic" | "legacy",
    input: ExitInput,
  ): { effects: readonly SyscallEffect[]; final: ExitFinalState };
  arbitrary(): fc.Arbitrary<ExitInput>;
  /** The exhaustive part of a run, in a fixed order. */
  sweep(): ExitInput[];
  /** The path an input takes, for budgets and reports: which effects the specification says run. */
  path(input: ExitInput): string;
  describe(input: ExitInput): string;
  toJson(input: ExitInput): unknown;
  fromJson(json: unknown): ExitInput;
  /** The work bits (short names) an input sets that the subject's work looks at: P4 counts them. */
  workBits(input: ExitInput): string[];
}

function setBits(word: bigint, names: readonly string[]): string[] {
  return names.filter((short) => {
    const bit = SYSCALL_WORK_BITS.find((b) => b.short === short)?.bit ?? 0;
    return ((word >> BigInt(bit)) & 1n) === 1n;
  });
}

export const exitDomain: Domain = {
  id: "exit",
  title: "exit path",
  ref: "ref",
  inlines: ["inline"],
  legacy: "legacy",
  fixtures: (filter) => listFixtures(filter),
  fixtureInfo: (id) => fixtureInfo(id),
  load: (bytes, label) => programFromElf(bytes, label, HOOKS),
  run: (program, input, opts) => runExit(program, input, opts),
  spec: (kind, input) => (kind === "generic" ? specGeneric(input) : specLegacy(input)),
  arbitrary: () => arbExitInput(),
  sweep: () => [...exhaustiveInputs()],
  path: exitPath,
  describe: describeInput,
  toJson: inputToJson,
  fromJson: inputFromJson,
  workBits: (input) => setBits(input.work, EXIT_RELEVANT_SHORT),
};

const asSyscall = (input: ExitInput): SyscallInput => input as SyscallInput;

/** Short names of the whole syscall's effects in a path: entry side, then the exit path's. */
function syscallStep(effect: SyscallEffect): string | undefined {
  switch (effect.kind) {
    case "sud_dispatch":
      return effect.outcome === "allow" ? "sud-allow" : `sud-${effect.outcome}`;
    case "rseq_slice_enter":
      return "rseq-slice";
    case "ptrace_entry":
      return "ptrace-entry";
    case "seccomp":
      return "seccomp";
    case "sys_enter":
      return "sys-enter";
    case "audit_entry":
      return "audit-entry";
    case "syscall_skipped":
      return "skipped";
    case "syscall_body":
    case "rseq_check":
      return undefined;
    case "audit_exit":
      return "audit";
    case "sys_exit":
      return "tracepoint";
    case "ptrace_exit":
      return effect.step ? "ptrace-step" : "ptrace";
    case "on_dispatch_cleared":
      return "sud-cleared";
  }
}

/**
 * The whole syscall's path, coarse enough to budget: how the entry side ended (no entry work,
 * entry work, entry work that skipped the syscall, an SUD verdict that dispatched or killed),
 * then the exit path's effects as the exit subject names them; "no-work" when neither side did
 * anything.
 */
export function syscallPath(effects: readonly SyscallEffect[]): string {
  const steps = effects.map(syscallStep).filter((s): s is string => s !== undefined);
  const sud = steps.find((s) => s === "sud-dispatch" || s === "sud-kill");
  const entryKinds = new Set([
    "sud-allow",
    "rseq-slice",
    "ptrace-entry",
    "seccomp",
    "sys-enter",
    "audit-entry",
  ]);
  const entryWork = steps.some((s) => entryKinds.has(s));
  const skipped = steps.includes("skipped");
  const exit = steps.filter((s) => EXIT_STEPS.has(s));
  const entry = sud ?? (entryWork ? (skipped ? "entry-skipped" : "entry") : skipped ? "skipped" : "");
  if (entry === "" && exit.length === 0) return "no-work";
  return `${entry || "no-entry-work"}|${exit.join("+") || "no-exit-effect"}`;
}

const EXIT_STEPS = new Set(["audit", "tracepoint", "ptrace", "ptrace-step", "sud-cleared"]);

/** Every entry bit and every exit bit the whole syscall reads, in work-bit order. */
const SYSCALL_RELEVANT = SYSCALL_WORK_BITS.filter((b) => b.enter || b.exit).map((b) => b.short);

export const syscallDomain: Domain = {
  id: "syscall",
  title: "whole syscall",
  ref: "svc-ref",
  inlines: ["svc-exit-inline", "svc-inline"],
  legacy: null,
  fixtures: (filter) => svcFixtures(filter),
  fixtureInfo: (id) => svcFixtureInfo(id),
  load: (bytes, label) => programFromElf(bytes, label, SVC_HOOKS),
  run: (program, input, opts) => runSyscall(program, asSyscall(input), opts),
  spec: (_kind, input) => specSyscall(asSyscall(input)),
  arbitrary: () => arbSyscallInput(arbExitInput()),
  sweep: () => [...syscallSweep()],
  path: (input) => syscallPath(specSyscall(asSyscall(input)).effects),
  describe: (input) => describeSyscallInput(asSyscall(input)),
  toJson: (input) => syscallInputToJson(asSyscall(input)),
  fromJson: syscallInputFromJson,
  workBits: (input) => setBits(input.workAtEntry | input.work, SYSCALL_RELEVANT),
};

export const DOMAINS: Readonly<Record<DomainId, Domain>> = { exit: exitDomain, syscall: syscallDomain };
