/**
 * The whole syscall (el0_svc_common with its entry work) through the same engine as the exit path:
 * svc-exit-inline (v9 15/16) and svc-inline (v10 / v7.0) against svc-ref (v6.18), and all three
 * against specSyscall, on the whole-syscall sweep and 10,000 random cases per property; the
 * cycle budget on every core; every entry mutant caught with a minimal counterexample.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCheck } from "../src/harness/check.ts";
import { syscallDomain } from "../src/harness/domain.ts";
import { replayCase } from "../src/harness/replay.ts";
import { readCounterexample, writeCounterexample } from "../src/report/counterexample.ts";
import { failureToReport } from "../src/report/failure-report.ts";
import { checkOptions, explain } from "./support.ts";

const options = (over: Parameters<typeof checkOptions>[0]) =>
  checkOptions({ domain: syscallDomain, fixtures: syscallDomain.fixtures(), ...over });

describe("whole syscall", () => {
  it("P1 and P2: both inlined layouts behave as svc-ref, and all three as the specification", () => {
    const run = runCheck(options({ properties: ["P1", "P2"] }));
    const [p1, p2] = run.summary.properties;
    expect(p1!.subjects).toHaveLength(12);
    expect(p2!.subjects).toHaveLength(18);
    expect(
      run.summary.properties.map((p) => p.status),
      explain(run),
    ).toEqual(["pass", "pass"]);
    expect(run.summary.coverage).toEqual([{ domain: "syscall", exhaustive: 8248, random: 10_000 }]);
  });

  it("P3 holds on every core, with the no-work fast path on its own lines", () => {
    const run = runCheck(options({ properties: ["P3"], cores: ["tsv110", "neoverse-n1", "cortex-a72"] }));
    const p3 = run.summary.properties[0]!;
    expect(p3.subjects).toHaveLength(3 * 12);
    expect(p3.status, explain(run)).toBe("pass");
    expect(p3.notes.filter((n) => n.startsWith("no-work fast path"))).toHaveLength(3 * 12);
  });

  it("P4 catches every mutant of svc-inline's entry work with a minimal counterexample", () => {
    const run = runCheck(options({ properties: ["P4"] }));
    const p4 = run.summary.properties[0]!;
    expect(p4.subjects.length).toBeGreaterThanOrEqual(6 * 6);
    expect(p4.status, explain(run)).toBe("pass");
  });

  it("P3 fails for the whole syscall too once its declared regressions are removed", () => {
    const base = options({
      fixtures: syscallDomain.fixtures({ compiler: "gcc", config: "defconfig" }),
      properties: ["P3"],
      runs: 500,
    });
    const run = runCheck({ ...base, budgets: { ...base.budgets, acceptedRegressions: [] } });
    expect(run.summary.properties[0]!.status).toBe("fail");
    const failure = run.failures[0]!;
    expect(failure.detail).toMatch(/more than ref/);

    // Its report carries the whole-syscall input, reads back with the entry decisions, and replays.
    const dir = mkdtempSync(join(tmpdir(), "exitwork-svc-report-"));
    const file = writeCounterexample(
      dir,
      failureToReport(failure, { core: "tsv110", mode: "steady", seed: 1 }),
    );
    const { report } = readCounterexample(file);
    expect(report.subject).toBe("syscall");
    expect(report.input).toEqual(failure.found.input);
    expect(replayCase(report, { ...base.budgets, acceptedRegressions: [] }).reproduced).toBe(true);
    expect(replayCase(report, base.budgets).reproduced).toBe(false);
  });
});
