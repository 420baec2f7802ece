/**
 * Timing invariants as properties over random streams (issue 5, item 5).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ExecutedInsn } from "../a64/stream.ts";
import type { CoreModel } from "./core.ts";
import { type CoreName, cores } from "./cores/index.ts";
import { kindOf } from "./kinds.ts";
import { simulate } from "./pipeline.ts";
import { arbitraryStream, callPair, FORMS } from "./synthetic.ts";

const coreNames = Object.keys(cores) as CoreName[];
const arbCore = fc.constantFrom(...coreNames);
const arbMode = fc.constantFrom("steady" as const, "cold" as const);
const arbFrontEnd = fc.boolean();
/** Random streams with a call somewhere, so calls and returns are covered. */
const arbStream = fc
  .tuple(arbitraryStream(50), arbitraryStream(20), fc.boolean())
  .map(([a, b, call]) => [...a, ...(call ? callPair(0x9000, 0xa000) : []), ...b].map((s) => s.insn));

function classOf(core: CoreModel, insn: ExecutedInsn) {
  return core.classes[kindOf(insn.name, insn.word)!];
}

describe("timing invariants", () => {
  it("instructions retire in program order, each after it completes, and complete after issue after dispatch", () => {
    fc.assert(
      fc.property(arbCore, arbStream, arbMode, arbFrontEnd, (name, stream, mode, frontEnd) => {
        const r = simulate(cores[name], stream, { mode, frontEnd, keepPerInsn: true });
        const p = r.perInsn!;
        for (let i = 0; i < stream.length; i++) {
          if (i > 0) expect(r.retire[i]).toBeGreaterThanOrEqual(r.retire[i - 1]!);
          if (i > 0) expect(p.dispatch[i]).toBeGreaterThanOrEqual(p.dispatch[i - 1]!);
          expect(p.issue[i]).toBeGreaterThan(p.dispatch[i]!);
          expect(p.complete[i]).toBeGreaterThan(p.issue[i]!);
          expect(r.retire[i]).toBeGreaterThan(p.complete[i]!);
        }
        expect(r.totalCycles).toBe(r.retire[stream.length - 1]! + 1);
      }),
      { numRuns: 150 },
    );
  });

  it("reorder-buffer occupancy never exceeds its size", () => {
    fc.assert(
      fc.property(
        arbCore,
        arbStream,
        fc.integer({ min: 4, max: 24 }),
        arbFrontEnd,
        (name, stream, robSize, frontEnd) => {
          const core = { ...cores[name], params: { ...cores[name].params, robSize } };
          const r = simulate(core, stream, { mode: "steady", frontEnd, keepPerInsn: true });
          const uops = stream.map((insn) => classOf(core, insn).uops);
          for (let i = 0; i < stream.length; i++) {
            const at = r.perInsn!.dispatch[i]!;
            let occupied = 0;
            for (let j = 0; j <= i; j++) if (r.retire[j]! > at) occupied += uops[j]!;
            expect(occupied).toBeLessThanOrEqual(robSize);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it("no instruction issues before its register and flag operands are ready", () => {
    fc.assert(
      fc.property(arbCore, arbStream, arbMode, (name, stream, mode) => {
        const core = cores[name];
        const r = simulate(core, stream, { mode, frontEnd: true, keepPerInsn: true });
        const lastWriter = new Map<number, number>();
        stream.forEach((insn, i) => {
          for (const reg of insn.reads) {
            const j = lastWriter.get(reg);
            if (j === undefined) continue;
            const producer = stream[j]!;
            const isBase = producer.reads.includes(reg) && /_(pre|post)$/.test(producer.name);
            const latency = isBase ? core.params.writebackLatency : classOf(core, producer).latency;
            expect(r.perInsn!.issue[i]).toBeGreaterThanOrEqual(r.perInsn!.issue[j]! + latency);
          }
          for (const reg of insn.writes) lastWriter.set(reg, i);
        });
      }),
      { numRuns: 150 },
    );
  });

  it("inserting a NOP never makes a run faster in mca-compatible mode", () => {
    const nop = FORMS.find((f) => f.name === "nop")!;
    fc.assert(
      fc.property(arbCore, arbStream, fc.nat(), (name, stream, at) => {
        const position = at % (stream.length + 1);
        const pc = position < stream.length ? stream[position]!.pc : 0x9ff0;
        const padded = [...stream.slice(0, position), nop.build(0, 0, 0, pc).insn, ...stream.slice(position)];
        const options = { mode: "steady", frontEnd: false } as const;
        const before = simulate(cores[name], stream, options).totalCycles;
        expect(simulate(cores[name], padded, options).totalCycles).toBeGreaterThanOrEqual(before);
      }),
      { numRuns: 300 },
    );
  });

  it("steady state is never slower than a cold run", () => {
    fc.assert(
      fc.property(arbCore, arbStream, (name, stream) => {
        const steady = simulate(cores[name], stream, { mode: "steady", frontEnd: true });
        const cold = simulate(cores[name], stream, { mode: "cold", frontEnd: true });
        expect(steady.totalCycles).toBeLessThanOrEqual(cold.totalCycles);
      }),
      { numRuns: 300 },
    );
  });
});
