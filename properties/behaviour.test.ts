/**
 * P1 and P2 over every build: inline behaves as ref (effects with arguments and order, task and
 * pt_regs memory, AAPCS64 state), and ref, inline and legacy match their specifications.
 * Exhaustive sweep of 8192 inputs, then 10,000 fast-check cases per property.
 */
import { describe, expect, it } from "vitest";
import { runCheck } from "../src/harness/check.ts";
import { checkOptions, explain } from "./support.ts";

describe("behaviour", () => {
  it("P1 inline vs ref: identical observable side effects on every build", () => {
    const run = runCheck(checkOptions({ properties: ["P1"] }));
    const p1 = run.summary.properties[0]!;
    expect(p1.subjects.map((s) => s.name)).toHaveLength(6);
    expect(p1.status, explain(run)).toBe("pass");
    expect(run.summary.coverage).toEqual([{ domain: "exit", exhaustive: 8192, random: 10_000 }]);
  });

  it("P2 ref, inline and legacy machine code match the specifications", () => {
    const run = runCheck(checkOptions({ properties: ["P2"] }));
    const p2 = run.summary.properties[0]!;
    expect(p2.subjects).toHaveLength(18);
    expect(p2.status, explain(run)).toBe("pass");
  });
});
