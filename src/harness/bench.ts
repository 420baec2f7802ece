/**
 * End-to-end throughput of a property case as `exitwork check` runs it: generate an input with
 * fast-check, run ref and inline on the simulated core with their streams collected, time both on
 * tsv110, judge the budget and compare the two observations.
 */
import fc from "fast-check";
import { fixtureInfo } from "../kernel/fixtures.ts";
import type { ExitInput } from "../kernel/state.ts";
import { arbExitInput } from "./arbitraries.ts";
import { judgeCycles, readBudgets } from "./budgets.ts";
import { compareObservations } from "./compare.ts";
import { coreModel, runSubject, subjectOf, timeStream } from "./observe.ts";
import { exitPath } from "./paths.ts";

export interface BenchFigure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

export function bench(budgetsFile: string, cases = 20_000): BenchFigure[] {
  const ref = subjectOf(fixtureInfo("ref.gcc.defconfig"));
  const inline = subjectOf(fixtureInfo("inline.gcc.defconfig"));
  const core = coreModel("tsv110");
  const budgets = readBudgets(budgetsFile);
  const arb = arbExitInput();
  const where = { core: "tsv110", build: "gcc.defconfig" };
  const runCase = (input: ExitInput): boolean => {
    const r = runSubject(ref, input, "ref", true);
    const i = runSubject(inline, input, "inline", true);
    const rc = timeStream(ref, r.trace?.insns ?? [], "steady", core).totalCycles;
    const ic = timeStream(inline, i.trace?.insns ?? [], "steady", core).totalCycles;
    const verdict = judgeCycles(budgets, { ...where, path: exitPath(input) }, rc, ic);
    return compareObservations(r.obs, i.obs) === undefined && verdict.ok;
  };
  // A warm-up pass fills the decode cache and lets the JIT settle, as a long check run would.
  for (const input of fc.sample(arb, { seed: 41, numRuns: 2_000 })) runCase(input);
  // Per CPU-second of this process, as the functional figure, so other load on a shared
  // machine does not skew it.
  const start = process.cpuUsage();
  const samples = fc.sample(arb, { seed: 42, numRuns: cases });
  let held = 0;
  for (const input of samples) if (runCase(input)) held++;
  const used = process.cpuUsage(start);
  const seconds = (used.user + used.system) / 1e6;
  return [
    { name: "end-to-end", value: Math.round(cases / seconds), unit: "cases/s" },
    { name: "end-to-end cases that held", value: held, unit: `of ${cases}` },
  ];
}
