/**
 * The cycle model against llvm-mca on real dynamic traces (issue 5, item 4): every distinct
 * dynamic trace of the exhaustive sweep over the committed fixtures, timed in the mca-compatible
 * mode, within 10% of `llvm-mca -mtriple=aarch64 -mcpu=<core> -iterations=1` on the same trace.
 * One llvm-mca process per core, each trace a `# LLVM-MCA-BEGIN` region.
 *
 * The tracer's action changes register values, never the path, so the sweep runs the inputs with
 * no tracer action; identical instruction sequences are timed once.
 */
import { describe, expect, it } from "vitest";
import { disassemble } from "../src/a64/decode.ts";
import type { ExecutedInsn } from "../src/a64/stream.ts";
import { exhaustiveInputs } from "../src/harness/arbitraries.ts";
import { isRunError, loadProgram, runExit } from "../src/harness/run.ts";
import { listFixtures } from "../src/kernel/fixtures.ts";
import { cores, findMca, mcaSpelling, runMca, simulate } from "../src/timing/index.ts";

function distinctTraces(): Map<string, ExecutedInsn[]> {
  const traces = new Map<string, ExecutedInsn[]>();
  for (const fixture of listFixtures({ mutants: false })) {
    const program = loadProgram(fixture.id);
    if (isRunError(program)) throw new Error(`${program.code}: ${program.message}`);
    const seen = new Set<string>();
    for (const input of exhaustiveInputs()) {
      if (input.tracer.kind !== "none") continue;
      const insns: ExecutedInsn[] = [];
      const trace = runExit(program, input, { onInsn: (insn) => insns.push(insn) });
      if (isRunError(trace)) throw new Error(`${trace.code}: ${trace.message}`);
      const key = insns.map((insn) => insn.pc).join(",");
      if (seen.has(key)) continue;
      seen.add(key);
      traces.set(`${fixture.id}.${seen.size}`, insns);
    }
  }
  return traces;
}

let traces: Map<string, ExecutedInsn[]> | undefined;
const allTraces = (): Map<string, ExecutedInsn[]> => {
  traces ??= distinctTraces();
  return traces;
};

describe("cycle model vs llvm-mca on the fixtures' dynamic traces", () => {
  for (const core of Object.values(cores)) {
    const mca = findMca(core.mcaTools);
    const label = mca.available ? mca.tool : `skipped: ${mca.reason}`;
    it.skipIf(!mca.available)(`${core.name}: every trace within 10% (${label})`, () => {
      if (!mca.available) return;
      const all = allTraces();
      const regions = [...all].map(([name, insns]) => ({
        name,
        lines: insns.map((insn) => mcaSpelling(disassemble(insn.word, insn.pc))),
      }));
      const totals = runMca(core.name, regions, mca.tool);
      if (!totals.ok)
        throw new Error(`${totals.error.code} at ${totals.error.path}: ${totals.error.message}`);
      expect(totals.totals.size).toBe(all.size);
      const off: string[] = [];
      for (const [name, insns] of all) {
        const ours = simulate(core, insns, { mode: "steady", frontEnd: false }).totalCycles;
        const theirs = totals.totals.get(name)!;
        if (Math.abs(ours - theirs) > 0.1 * theirs) off.push(`${name}: model ${ours}, ${mca.tool} ${theirs}`);
      }
      expect(off).toEqual([]);
    });
  }
});
