/**
 * Seeds golden/budgets.json from the exhaustive sweep: a budget for every core, build and path
 * that has none (the most cycles `inline` takes there today), and an UNREVIEWED accepted-regression
 * entry for every path where `inline` is slower than `ref` and none is declared. Existing entries
 * are kept as they are, so seeding never loosens a budget or accepts a regression on its own.
 */
import type { FixtureInfo } from "../kernel/fixtures.ts";
import { exhaustiveInputs } from "./arbitraries.ts";
import { acceptedRegressionFor, type Budgets, budgetFor, UNREVIEWED } from "./budgets.ts";
import { coreModel, groupBuilds, type Mode, runSubject, type Subject, timeStream } from "./observe.ts";
import { exitPath } from "./paths.ts";

function cyclesOf(
  subject: Subject,
  input: Parameters<typeof runSubject>[1],
  mode: Mode,
  core: ReturnType<typeof coreModel>,
) {
  const run = runSubject(subject, input, subject.info.variant, true);
  return run.trace ? timeStream(subject, run.trace.insns ?? [], mode, core).totalCycles : Number.NaN;
}

export function seedBudgets(
  existing: Budgets,
  fixtures: readonly FixtureInfo[],
  cores: readonly string[],
  mode: Mode = "steady",
): Budgets {
  const budgets: Budgets = {
    about: existing.about,
    budgets: structuredClone(existing.budgets),
    acceptedRegressions: [...existing.acceptedRegressions],
  };
  const inputs = [...exhaustiveInputs()];
  for (const build of groupBuilds(fixtures)) {
    if (!build.ref || !build.inline) continue;
    for (const coreName of cores) {
      const core = coreModel(coreName);
      const worst = new Map<string, { inline: number; extra: number }>();
      for (const input of inputs) {
        const ref = cyclesOf(build.ref, input, mode, core);
        const inline = cyclesOf(build.inline, input, mode, core);
        const path = exitPath(input);
        const w = worst.get(path) ?? { inline: 0, extra: Number.NEGATIVE_INFINITY };
        worst.set(path, { inline: Math.max(w.inline, inline), extra: Math.max(w.extra, inline - ref) });
      }
      for (const [path, w] of [...worst.entries()].sort(([a], [b]) => a.localeCompare(b))) {
        if (budgetFor(budgets, coreName, build.name, path) === undefined) {
          budgets.budgets[coreName] ??= {};
          budgets.budgets[coreName][build.name] ??= {};
          budgets.budgets[coreName][build.name]![path] = w.inline;
        }
        if (w.extra > 0 && !acceptedRegressionFor(budgets, coreName, build.name, path)) {
          budgets.acceptedRegressions.push({
            core: coreName,
            build: build.name,
            path,
            maxExtraCycles: w.extra,
            reason: `${UNREVIEWED}: inline is up to ${w.extra} cycles slower than ref here; say why or fix it`,
          });
        }
      }
    }
  }
  return budgets;
}
