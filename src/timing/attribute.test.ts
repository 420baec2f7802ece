import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { attributeCycles } from "./attribute.ts";
import { cores } from "./cores/index.ts";
import { simulate } from "./pipeline.ts";
import { arbitraryStream, callPair, repeatStream } from "./synthetic.ts";

describe("attributeCycles", () => {
  it("splits at the effects' instructions, the tail going to return", () => {
    const stream = repeatStream(40);
    const result = simulate(cores.tsv110, stream, { mode: "steady", frontEnd: true });
    const shares = attributeCycles(result, [9, 19]);
    expect(shares.map((s) => [s.effect, s.first, s.last, s.instructions])).toEqual([
      [0, 0, 9, 10],
      [1, 10, 19, 10],
      ["return", 20, 39, 20],
    ]);
    expect(shares[0]!.cycles).toBe(result.retire[9]! + 1);
    expect(shares[1]!.cycles).toBe(result.retire[19]! - result.retire[9]!);
    expect(shares[2]!.cycles).toBe(result.totalCycles - result.retire[19]! - 1);
  });

  it("shares add up to the total for any effect positions, and repeated positions get nothing", () => {
    fc.assert(
      fc.property(
        arbitraryStream(40),
        fc.array(fc.nat(45), { maxLength: 5 }).map((a) => a.sort((x, y) => x - y)),
        (built, positions) => {
          const stream = [...built.map((s) => s.insn), ...callPair(0x9000, 0xa000).map((s) => s.insn)];
          const result = simulate(cores["neoverse-n1"], stream, { mode: "cold", frontEnd: true });
          const shares = attributeCycles(result, positions);
          expect(shares).toHaveLength(positions.length + 1);
          expect(shares.reduce((sum, s) => sum + s.cycles, 0)).toBe(result.totalCycles);
          expect(shares.reduce((sum, s) => sum + s.instructions, 0)).toBe(stream.length);
          for (const s of shares) expect(s.cycles).toBeGreaterThanOrEqual(0);
        },
      ),
      { numRuns: 100 },
    );
  });
});
