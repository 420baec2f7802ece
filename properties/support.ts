/**
 * Shared setup of the system-wide properties: the committed budgets and the same defaults as
 * `exitwork check`, so `npm test` checks what a user's check run checks.
 */
import { fileURLToPath } from "node:url";
import { readBudgets } from "../src/harness/budgets.ts";
import type { CheckOptions, CheckRun } from "../src/harness/check.ts";
import { listFixtures } from "../src/kernel/fixtures.ts";
import { formatSummary } from "../src/report/summary.ts";

export const BUDGETS_FILE = fileURLToPath(new URL("../golden/budgets.json", import.meta.url));
/** 10,000 random cases per property after the exhaustive sweep (issue 6). */
export const RANDOM_RUNS = 10_000;
export const SEED = 0x5eed;

export function checkOptions(overrides: Partial<CheckOptions> = {}): CheckOptions {
  return {
    fixtures: listFixtures(),
    cores: ["tsv110"],
    mode: "steady",
    seed: SEED,
    runs: RANDOM_RUNS,
    shard: null,
    properties: ["P1", "P2", "P3", "P4"],
    budgets: readBudgets(BUDGETS_FILE),
    ...overrides,
  };
}

/** The summary as a user would read it, for assertion messages. */
export function explain(run: CheckRun): string {
  return formatSummary(run.summary);
}
