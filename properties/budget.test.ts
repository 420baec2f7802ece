/**
 * P3, the cycle budget, on every build and core: steady-state cycles of inline never exceed ref's
 * unless golden/budgets.json accepts the regression with a reason, and never exceed the path's
 * budget. And the proof that P3 can fail: without the accepted regressions, the no-work fast path
 * that inlining made slower is reported with a shrunk counterexample.
 */
import { describe, expect, it } from "vitest";
import { runCheck } from "../src/harness/check.ts";
import { NO_WORK_PATH } from "../src/harness/paths.ts";
import { listFixtures } from "../src/kernel/fixtures.ts";
import { checkOptions, explain } from "./support.ts";

describe("cycle budget", () => {
  it("P3 holds on every core for every build, reporting the fast path and the accepted regressions", () => {
    const run = runCheck(
      checkOptions({ properties: ["P3"], cores: ["tsv110", "neoverse-n1", "cortex-a72"] }),
    );
    const p3 = run.summary.properties[0]!;
    expect(p3.subjects).toHaveLength(3 * 6);
    expect(p3.status, explain(run)).toBe("pass");
    expect(p3.notes.filter((n) => n.startsWith("no-work fast path"))).toHaveLength(3 * 6);
    expect(p3.notes.some((n) => n.startsWith("accepted regression"))).toBe(true);
  });

  it("P3 fails without the declared regressions: the inlined no-work path is slower than ref", () => {
    const options = checkOptions({
      fixtures: listFixtures({ compiler: "gcc", config: "defconfig", mutants: false }),
      properties: ["P3"],
      runs: 1_000,
    });
    const run = runCheck({ ...options, budgets: { ...options.budgets, acceptedRegressions: [] } });
    expect(run.summary.properties[0]!.status).toBe("fail");
    const failure = run.failures[0]!;
    expect(failure.budget!.inlineCycles).toBeGreaterThan(failure.budget!.refCycles);
    expect(failure.detail).toMatch(/more than ref/);
    // fast-check shrinks towards no work bits at all: the fast path itself.
    expect(failure.found.source).toBe("random");
    expect(failure.detail).toContain(`path ${NO_WORK_PATH}`);
  });

  it("P3 fails when a budget is tightened below what inline takes", () => {
    const options = checkOptions({
      fixtures: listFixtures({ compiler: "clang", config: "defconfig", mutants: false }),
      properties: ["P3"],
      runs: 200,
    });
    const budgets = structuredClone(options.budgets);
    const audit = budgets.budgets.tsv110!["clang.defconfig"]!;
    audit.audit = audit.audit! - 1;
    const run = runCheck({ ...options, budgets });
    expect(run.failures[0]?.detail).toMatch(/path audit: .*over the budget/);
  });

  it("overriding an assumed core parameter (a costlier taken branch) breaks the budgets", () => {
    const options = checkOptions({
      fixtures: listFixtures({ compiler: "gcc", config: "defconfig", mutants: false }),
      properties: ["P3"],
      runs: 100,
    });
    expect(runCheck(options).summary.properties[0]!.status).toBe("pass");
    const slower = runCheck({ ...options, coreOverrides: { params: { takenBranchBubble: 3 } } });
    expect(slower.summary.properties[0]!.status).toBe("fail");
    expect(slower.failures[0]?.detail).toMatch(/over the budget/);
  });
});
