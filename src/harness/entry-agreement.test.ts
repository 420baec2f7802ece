/**
 * svc-ref (v6.18), svc-exit-inline (v9 15/16) and svc-inline (v7.0) agree with each other and with
 * specSyscall, for every compiler x config: on the whole entry sweep, then on random inputs.
 * The claim of the series for the entry side: inlining syscall_trace_enter moves code, not effects.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatFinalState } from "../kernel/effects.ts";
import { arbSyscallInput, syscallSweep } from "../kernel/entry/arbitraries.ts";
import { SVC_VARIANTS } from "../kernel/entry/fixtures.ts";
import { specSyscall } from "../kernel/entry/spec.ts";
import { describeSyscallInput, formatSyscallEffects, type SyscallInput } from "../kernel/entry/types.ts";
import { FIXTURE_COMPILERS, FIXTURE_CONFIGS } from "../kernel/fixtures.ts";
import { arbExitInput } from "./arbitraries.ts";
import { isRunError, type Program } from "./run.ts";
import { loadSyscallProgram, runSyscall } from "./run-syscall.ts";

const sweep = [...syscallSweep()];
const RANDOM_RUNS = 600;

function load(id: string): Program {
  const p = loadSyscallProgram(id);
  if (isRunError(p)) throw new Error(`${p.code}: ${p.path}: ${p.message}`);
  return p;
}

/** Effects and final state as text lines, the ABI check as one more; a run error as its code. */
function observe(p: Program, input: SyscallInput): string[] {
  const t = runSyscall(p, input);
  if (isRunError(t)) return [`${t.code}: ${t.message}`];
  return [
    ...formatSyscallEffects(t.effects),
    formatFinalState(t.final),
    `abi ${t.abi.problems.join("; ") || "ok"}`,
  ];
}

function expected(input: SyscallInput): string[] {
  const out = specSyscall(input);
  return [...formatSyscallEffects(out.effects), formatFinalState(out.final), "abi ok"];
}

for (const compiler of FIXTURE_COMPILERS) {
  for (const config of FIXTURE_CONFIGS) {
    describe(`${compiler}.${config}: ${SVC_VARIANTS.join(", ")}`, () => {
      const programs = SVC_VARIANTS.map((v) => load(`${v}.${compiler}.${config}`));

      it(`agree with specSyscall and with each other on the sweep (${sweep.length} cases)`, () => {
        for (const input of sweep) {
          const spec = expected(input);
          const seen = programs.map((p) => observe(p, input));
          // One assertion per differing case, with the input named: the first one fails the test.
          seen.forEach((lines, v) => {
            if (lines.join("\n") !== spec.join("\n"))
              expect(lines, `${SVC_VARIANTS[v]}: ${describeSyscallInput(input)}`).toEqual(spec);
          });
        }
      });

      it(`agree with specSyscall on ${RANDOM_RUNS} random inputs`, () => {
        fc.assert(
          fc.property(arbSyscallInput(arbExitInput()), (input) => {
            const spec = expected(input);
            for (const p of programs) expect(observe(p, input), p.name).toEqual(spec);
          }),
          { numRuns: RANDOM_RUNS, seed: 20260 + compiler.length * 10 + config.length },
        );
      });
    });
  }
}
