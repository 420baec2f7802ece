/**
 * P4: every mutant fixture is caught by P1 or P2, with a shrunk counterexample that needs no more
 * work bits than the mutant's source declares.
 */
import { describe, expect, it } from "vitest";
import { runCheck } from "../src/harness/check.ts";
import { listFixtures } from "../src/kernel/fixtures.ts";
import { checkOptions, explain } from "./support.ts";

describe("mutants", () => {
  it("P4 kills every mutant of inline on every build, minimally", () => {
    const run = runCheck(checkOptions({ properties: ["P4"] }));
    const p4 = run.summary.properties[0]!;
    expect(p4.subjects).toHaveLength(listFixtures({ mutants: true }).length);
    expect(p4.subjects.length).toBeGreaterThanOrEqual(8 * 6);
    expect(p4.status, explain(run)).toBe("pass");
  });

  it("a mutant passed off as inline fails P1, so P1 can fail", () => {
    const fixtures = listFixtures({ compiler: "gcc", config: "defconfig", mutants: false })
      .filter((f) => f.variant === "ref")
      .concat(
        listFixtures({ variant: "inline-mut-step-ignores-emu", compiler: "gcc", config: "defconfig" }).map(
          (f) => ({
            ...f,
            variant: "inline",
            mutant: undefined,
          }),
        ),
      );
    const run = runCheck(checkOptions({ fixtures, properties: ["P1"], runs: 200 }));
    const failure = run.failures[0];
    expect(run.summary.properties[0]!.status).toBe("fail");
    expect(failure?.divergence?.rule).toMatch(/report_single_step/);
  });
});
