/**
 * Every mutant of svc-inline's syscall_trace_enter is caught, in every build: the sweep, walked
 * fewest work bits first, finds a counterexample that needs no more bits than the mutant's head
 * comment declares, and the declared minimal input tells it from svc-inline by itself.
 */
import { describe, expect, it } from "vitest";
import { formatFinalState } from "../kernel/effects.ts";
import { syscallSweep } from "../kernel/entry/arbitraries.ts";
import { minimalSyscallInputOf, svcFixtures } from "../kernel/entry/fixtures.ts";
import { specSyscall } from "../kernel/entry/spec.ts";
import { describeSyscallInput, formatSyscallEffects, type SyscallInput } from "../kernel/entry/types.ts";
import { isRunError, type Program } from "./run.ts";
import { loadSyscallProgram, runSyscall } from "./run-syscall.ts";

function popcount(word: bigint): number {
  let n = 0;
  for (let w = word; w !== 0n; w &= w - 1n) n++;
  return n;
}

/** The sweep, fewest set bits in the entry word first (stable within a count). */
const byBits = [...syscallSweep()]
  .map((input, i) => ({ input, i, bits: popcount(input.workAtEntry) }))
  .sort((a, b) => a.bits - b.bits || a.i - b.i)
  .map((x) => x.input);

function load(id: string): Program {
  const p = loadSyscallProgram(id);
  if (isRunError(p)) throw new Error(`${p.code}: ${p.path}: ${p.message}`);
  return p;
}

function observe(p: Program, input: SyscallInput): string {
  const t = runSyscall(p, input);
  if (isRunError(t)) return `${t.code}: ${t.message}`;
  return [...formatSyscallEffects(t.effects), formatFinalState(t.final)].join(" | ");
}

function expected(input: SyscallInput): string {
  const out = specSyscall(input);
  return [...formatSyscallEffects(out.effects), formatFinalState(out.final)].join(" | ");
}

const mutants = svcFixtures({ mutants: true });

describe("svc-inline mutants", () => {
  it("there are at least six, in every build", () => {
    expect(new Set(mutants.map((f) => f.variant)).size).toBeGreaterThanOrEqual(6);
    expect(mutants.length % 6).toBe(0);
  });

  for (const f of mutants) {
    const m = f.mutant!;
    it(`${f.id}: caught with at most ${m.bits.length} work bit(s) (${m.bits.join(", ")})`, () => {
      const p = load(f.id);
      const found = byBits.find((input) => observe(p, input) !== expected(input));
      expect(found, "no counterexample in the sweep").toBeDefined();
      expect(popcount(found!.workAtEntry), describeSyscallInput(found!)).toBeLessThanOrEqual(m.bits.length);

      const minimal = minimalSyscallInputOf(m);
      const inline = load(`svc-inline.${f.compiler}.${f.config}`);
      expect(observe(inline, minimal)).toBe(expected(minimal));
      expect(observe(p, minimal), `${m.slug} on its minimal input`).not.toBe(expected(minimal));
    });
  }
});
