import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cores } from "./cores/index.ts";
import { mcaAvailability, mcaLine, mcaSource, mcaSpelling, parseMcaTotals, runMca } from "./mca.ts";
import { simulate } from "./pipeline.ts";
import { arbitraryStream, callPair } from "./synthetic.ts";

describe("llvm-mca oracle plumbing", () => {
  it("gives each direct branch a label of its own and keeps other lines", () => {
    expect(mcaLine("b.ne\t10044 <exitwork_el0_svc+0x44>", 3)).toBe("b.ne .Ltrace3\n.Ltrace3:");
    expect(mcaLine("tbnz\tw1, #5, 101a0 <syscall_exit_work+0x140>", 0)).toBe(
      "tbnz w1, #5, .Ltrace0\n.Ltrace0:",
    );
    expect(mcaLine("ret", 1)).toBe("ret");
    expect(mcaLine("ldr\tx1, [x20]", 1)).toBe("ldr\tx1, [x20]");
    expect(mcaSource([{ name: "a", lines: ["nop"] }])).toBe("# LLVM-MCA-BEGIN a\nnop\n# LLVM-MCA-END a\n");
  });

  it("spells PAC and BTI as hints and drops objdump comments", () => {
    expect(mcaSpelling("paciasp")).toBe("hint #25");
    expect(mcaSpelling("autiasp")).toBe("hint #29");
    expect(mcaSpelling("bti\tc")).toBe("hint #34");
    expect(mcaSpelling("mov\tx0, #0x76                  \t// #118")).toBe("mov x0, #0x76");
  });

  it("reads Total Cycles per code region", () => {
    const report = [
      "[0] Code Region - first",
      "Iterations:        1",
      "Total Cycles:      104",
      "",
      "[1] Code Region - second",
      "Total Cycles:      7",
    ].join("\n");
    expect([...parseMcaTotals(report)]).toEqual([
      ["first", 104],
      ["second", 7],
    ]);
  });
});

const mca = mcaAvailability();
const skipped = mca.available ? "" : ` (skipped: ${mca.reason})`;

describe("mca-compatible mode against llvm-mca-16 on synthetic streams", () => {
  // Neoverse N1 is checked on the fixtures' traces against an LLVM with an N1 model
  // (properties/timing-mca.test.ts): LLVM 16 times -mcpu=neoverse-n1 with the Cortex-A57 model.
  it.skipIf(!mca.available)(`tsv110 and cortex-a72 agree within 10% on every stream${skipped}`, () => {
    const streams = fc
      .sample(fc.tuple(arbitraryStream(30), arbitraryStream(30), fc.boolean()), { numRuns: 60, seed: 5 })
      .map(([a, b, call]) => [...a, ...(call ? callPair(0x9000, 0xa000) : []), ...b]);
    const regions = streams.map((s, i) => ({ name: `s${i}`, lines: s.map((x) => x.text) }));
    for (const cpu of ["tsv110", "cortex-a72"] as const) {
      const totals = runMca(cpu, regions);
      if (!totals.ok) throw new Error(totals.error.message);
      expect(totals.totals.size).toBe(streams.length);
      const off = streams.flatMap((s, i) => {
        const ours = simulate(
          cores[cpu],
          s.map((x) => x.insn),
          { mode: "steady", frontEnd: false },
        ).totalCycles;
        const theirs = totals.totals.get(`s${i}`)!;
        return Math.abs(ours - theirs) > 0.1 * theirs ? [`${cpu} s${i}: ${ours} vs ${theirs}`] : [];
      });
      expect(off).toEqual([]);
    }
  });
});
