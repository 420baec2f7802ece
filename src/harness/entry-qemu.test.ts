/**
 * The svc fixtures' user-mode builds under qemu-aarch64 (user/svc_driver.c) against the simulator:
 * the same machine code, a second opinion on the simulated core, over the whole entry sweep.
 */
import { describe, expect, it } from "vitest";
import { formatFinalState } from "../kernel/effects.ts";
import { syscallSweep } from "../kernel/entry/arbitraries.ts";
import { minimalSyscallInputOf, SVC_VARIANTS, svcFixtures } from "../kernel/entry/fixtures.ts";
import { specSyscall } from "../kernel/entry/spec.ts";
import { describeSyscallInput, formatSyscallEffects, type SyscallOutcome } from "../kernel/entry/types.ts";
import { FIXTURE_COMPILERS } from "../kernel/fixtures.ts";
import { QEMU, qemuAvailable } from "./qemu.ts";
import { isRunError } from "./run.ts";
import { loadSyscallProgram, runSyscall, runSyscallQemu } from "./run-syscall.ts";

const qemu = qemuAvailable();
if (!qemu)
  console.warn(`entry-qemu.test: ${QEMU} not found (apt-get install qemu-user); qemu cross-checks skipped`);

const sweep = [...syscallSweep()];
const text = (o: SyscallOutcome) =>
  [...formatSyscallEffects(o.effects), formatFinalState(o.final)].join(" | ");

describe("qemu-aarch64 vs the simulator over the entry sweep (defconfig user-mode builds)", () => {
  for (const variant of SVC_VARIANTS)
    for (const compiler of FIXTURE_COMPILERS) {
      const id = `${variant}.${compiler}.defconfig`;
      it.skipIf(!qemu)(`${id}: ${sweep.length} cases in one qemu process`, () => {
        const p = loadSyscallProgram(id);
        if (isRunError(p)) throw new Error(p.message);
        const real = runSyscallQemu(id, sweep);
        expect(real).toHaveLength(sweep.length);
        sweep.forEach((input, i) => {
          const sim = runSyscall(p, input);
          if (isRunError(sim)) throw new Error(`${sim.code}: ${sim.message}`);
          if (text(sim) !== text(real[i]!))
            expect(text(real[i]!), describeSyscallInput(input)).toBe(text(sim));
        });
      });
    }
});

describe("qemu-aarch64: every mutant differs from the specification on its own minimal input", () => {
  for (const compiler of FIXTURE_COMPILERS)
    it.skipIf(!qemu)(`${compiler} defconfig`, () => {
      for (const f of svcFixtures({ mutants: true, compiler, config: "defconfig" })) {
        const input = minimalSyscallInputOf(f.mutant!);
        expect(text(runSyscallQemu(f.id, [input])[0]!), f.id).not.toBe(text(specSyscall(input)));
      }
    });
});
