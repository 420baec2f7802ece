import type { DomainId } from "./domain.ts";
/**
 * What a check run found: per property, per subject (a build or a mutant), with the counts of what
 * was covered and a list of what was not checked. The report writers only format this.
 */
export type PropertyId = "P1" | "P2" | "P3" | "P4";
export type Status = "pass" | "fail" | "skip";

export const PROPERTY_TITLES: Record<PropertyId, string> = {
  P1: "inline vs ref: identical observable side effects",
  P2: "machine code matches the specification",
  P3: "cycle budget: inline not slower than ref, within golden/budgets.json",
  P4: "every mutant is killed by P1 or P2 with a minimal counterexample",
};

export interface SubjectResult {
  /** A build (`gcc.defconfig`), a fixture (`legacy.gcc.defconfig`) or a mutant fixture id. */
  readonly name: string;
  readonly status: Status;
  /** Inputs this subject was checked on. */
  readonly cases: number;
  /** One line: the first divergence, the budget verdict, or the reason for a skip. */
  readonly detail?: string;
  /** The counterexample report written for a failure (reports/<name>.json). */
  readonly report?: string;
}

export interface PropertyResult {
  readonly id: PropertyId;
  /** The subject: the exit path, or the whole syscall with its entry work. */
  readonly domain: DomainId;
  readonly title: string;
  readonly status: Status;
  readonly subjects: readonly SubjectResult[];
  /** Lines every summary shows under the property (the fast path, accepted regressions). */
  readonly notes: readonly string[];
}

export interface CheckSettings {
  readonly core: string;
  readonly mode: "steady" | "cold";
  readonly seed: number;
  /** Random cases per property after the sweep. */
  readonly runs: number;
  readonly shard: { readonly index: number; readonly count: number } | null;
  readonly builds: readonly string[];
  readonly fixtures: number;
  readonly mutants: number;
}

export interface CheckSummary {
  readonly settings: CheckSettings;
  readonly properties: readonly PropertyResult[];
  /** Per subject: inputs swept exhaustively and drawn at random per property, in this shard. */
  readonly coverage: readonly {
    readonly domain: DomainId;
    readonly exhaustive: number;
    readonly random: number;
  }[];
  readonly notChecked: readonly string[];
}

/** One summary of several runs (one per subject), in order. */
export function mergeSummaries(parts: readonly CheckSummary[]): CheckSummary {
  const first = parts[0];
  if (!first) throw new Error("mergeSummaries: nothing to merge");
  return {
    settings: {
      ...first.settings,
      builds: [...new Set(parts.flatMap((p) => p.settings.builds))],
      fixtures: parts.reduce((n, p) => n + p.settings.fixtures, 0),
      mutants: parts.reduce((n, p) => n + p.settings.mutants, 0),
    },
    properties: parts.flatMap((p) => p.properties),
    coverage: parts.flatMap((p) => p.coverage),
    notChecked: first.notChecked,
  };
}

export function overallStatus(properties: readonly { status: Status }[]): Status {
  if (properties.some((p) => p.status === "fail")) return "fail";
  if (properties.length > 0 && properties.every((p) => p.status === "skip")) return "skip";
  return "pass";
}

/** What no property here checks, shown at the end of every summary so a pass is not over-read. */
export const NOT_CHECKED: readonly string[] = [
  "SMP interleavings (another CPU writing the work word or on_dispatch during the exit path)",
  "FP/SIMD state (the fixtures are built with -mgeneral-regs-only, as the kernel is)",
  "the syscall path outside el0_svc_common: exception entry and return, the syscall table, exit_to_user_mode_loop, signals",
  "the hooks' own work (audit, tracepoint, ptrace stop, seccomp filters): stubs record their calls",
  "CONFIG_DEBUG_RSEQ builds (the fixtures are built without it; the specification models it)",
  "work bits above bit 7 beyond the random draws (the sweep covers the 256 low words)",
];
