import fc from "fast-check";
/**
 * Seeds golden/budgets.json from the exhaustive sweep: a budget for every core, build and path
 * that has none (the most cycles `inline` takes there today), and an UNREVIEWED accepted-regression
 * entry for every path where `inline` is slower than `ref` and none is declared. Existing entries
 * are kept as they are, so seeding never loosens a budget or accepts a regression on its own.
 */
import type { FixtureInfo } from "../kernel/fixtures.ts";
import { acceptedRegressionFor, type Budgets, budgetFor, UNREVIEWED } from "./budgets.ts";
import { type Domain, exitDomain } from "./domain.ts";
import {
  coreModel,
  groupBuilds,
  layoutName,
  type Mode,
  runSubject,
  type Subject,
  timeStream,
} from "./observe.ts";

function cyclesOf(
  subject: Subject,
  input: Parameters<typeof runSubject>[1],
  mode: Mode,
  core: ReturnType<typeof coreModel>,
) {
  const run = runSubject(subject, input, subject.info.variant, true);
  return run.trace ? timeStream(subject, run.trace.insns ?? [], mode, core).totalCycles : Number.NaN;
}

const SAMPLE_SEED = 0xb0d6e7;
const SAMPLE_RUNS = 20_000;
/**
 * A seeded budget is the most cycles seen plus this share, rounded up: a path's cycles vary with
 * inputs no sample draws them all of (a skipped syscall, a work word changed during the syscall),
 * and a budget is a limit to tighten by hand, not a measurement.
 */
export const SEED_HEADROOM = 0.1;

export function seedBudgets(
  existing: Budgets,
  fixtures: readonly FixtureInfo[],
  cores: readonly string[],
  domain: Domain = exitDomain,
  mode: Mode = "steady",
): Budgets {
  const budgets: Budgets = {
    about: existing.about,
    budgets: structuredClone(existing.budgets),
    acceptedRegressions: [...existing.acceptedRegressions],
  };
  // The sweep and a fixed random sample: random inputs reach paths the sweep does not (a work
  // word that changed between entry and exit), and a check's random phase must find budgets there.
  const inputs = [
    ...domain.sweep(),
    ...fc.sample(domain.arbitrary(), { seed: SAMPLE_SEED, numRuns: SAMPLE_RUNS }),
  ];
  for (const build of groupBuilds(fixtures, domain)) {
    const ref = build.ref;
    if (!ref) continue;
    for (const inline of build.inlines) {
      const name = layoutName(build, inline);
      for (const coreName of cores) {
        const core = coreModel(coreName);
        const worst = new Map<string, { inline: number; extra: number }>();
        for (const input of inputs) {
          const refCycles = cyclesOf(ref, input, mode, core);
          const inlineCycles = cyclesOf(inline, input, mode, core);
          const path = domain.path(input);
          const w = worst.get(path) ?? { inline: 0, extra: Number.NEGATIVE_INFINITY };
          worst.set(path, {
            inline: Math.max(w.inline, inlineCycles),
            extra: Math.max(w.extra, inlineCycles - refCycles),
          });
        }
        for (const [path, w] of [...worst.entries()].sort(([a], [b]) => a.localeCompare(b))) {
          if (budgetFor(budgets, coreName, name, path) === undefined) {
            budgets.budgets[coreName] ??= {};
            budgets.budgets[coreName][name] ??= {};
            budgets.budgets[coreName][name]![path] = Math.ceil(w.inline * (1 + SEED_HEADROOM));
          }
          if (w.extra > 0 && !acceptedRegressionFor(budgets, coreName, name, path)) {
            budgets.acceptedRegressions.push({
              core: coreName,
              build: name,
              path,
              maxExtraCycles: w.extra,
              reason: `${UNREVIEWED}: inline is up to ${w.extra} cycles slower than ref here; say why or fix it`,
            });
          }
        }
      }
    }
  }
  return budgets;
}
