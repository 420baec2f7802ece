import { existsSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type Budgets, readBudgets } from "../harness/budgets.ts";
import { seedBudgets } from "../harness/budgets-seed.ts";
import { DOMAINS } from "../harness/domain.ts";
import { describeChanges, GOLDEN_CORES, goldenChanges, writeGolden } from "../harness/golden.ts";
import { type Command, flag } from "./command.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BUDGETS = fileURLToPath(new URL("../../golden/budgets.json", import.meta.url));

const ABOUT =
  "Cycle budgets of the inlined exit path (steady state), per core, build and path: the most cycles `inline` may take. " +
  "acceptedRegressions lists the paths where `inline` may be slower than `ref`, by at most maxExtraCycles, with the reason. " +
  "Seeded by `exitwork golden --seed-budgets` (it never changes an existing entry); the reasons are written by people.";

export const goldenCommand: Command = {
  summary: "regenerate golden/traces",
  help: `usage: exitwork golden [--check] [--seed-budgets]

Renders every fixture's exhaustive sweep (behaviour, and cycles per core) and writes golden/traces,
removing obsolete files. Prints what changed, behaviour changes apart from cycle changes.
  --check          compare only, write nothing; exit 1 on any difference
  --seed-budgets   also add to golden/budgets.json a budget for every path that has none and an
                   UNREVIEWED accepted-regression entry wherever inline is slower than ref
                   (P3 accepts none of those until a person writes the reason)
`,
  options: { check: { type: "boolean" }, "seed-budgets": { type: "boolean" } },
  run(values) {
    if (flag(values, "check")) {
      const { changes } = goldenChanges();
      process.stdout.write(`${describeChanges(changes, ROOT).join("\n")}\n`);
      return changes.length === 0 ? 0 : 1;
    }
    const changes = writeGolden();
    process.stdout.write(`${describeChanges(changes, ROOT).join("\n")}\n`);
    if (flag(values, "seed-budgets")) {
      const existing: Budgets = existsSync(BUDGETS)
        ? readBudgets(BUDGETS)
        : { about: ABOUT, budgets: {}, acceptedRegressions: [] };
      let seeded = existing;
      for (const domain of Object.values(DOMAINS)) {
        seeded = seedBudgets(seeded, domain.fixtures({ mutants: false }), GOLDEN_CORES, domain);
      }
      writeFileSync(BUDGETS, `${JSON.stringify(seeded, null, 2)}\n`);
      const added = seeded.acceptedRegressions.length - existing.acceptedRegressions.length;
      process.stdout.write(`golden/budgets.json: ${added} new regression(s) to review\n`);
    }
    return 0;
  },
};
