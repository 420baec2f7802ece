/**
 * A property written the way a user of the package writes one (README.md shows this file's first
 * test): fast-check inputs, two fixtures on the simulated core, the comparison, the timing.
 */
import { test } from "@fast-check/vitest";
import {
  arbExitInput,
  compareObservations,
  fixtureInfo,
  runSubject,
  SYSCALL_WORK_SYSCALL_AUDIT,
  subjectOf,
  timeSubject,
} from "exitwork";
import { describe, expect } from "vitest";

const ref = subjectOf(fixtureInfo("ref.clang.hardened"));
const inline = subjectOf(fixtureInfo("inline.clang.hardened"));

describe("a user's own properties", () => {
  test.prop([arbExitInput()], { numRuns: 2_000 })(
    "inline behaves as ref on clang hardened builds",
    (input) => {
      const divergence = compareObservations(
        runSubject(ref, input, "ref").obs,
        runSubject(inline, input, "inline").obs,
      );
      expect(divergence?.what).toBeUndefined();
    },
  );

  test.prop([arbExitInput().filter((i) => (i.work & SYSCALL_WORK_SYSCALL_AUDIT) !== 0n && i.auditContext)])(
    "with audit on, inlining saves cycles on tsv110",
    (input) => {
      const before = timeSubject(ref, input, "tsv110", "steady").cycles;
      const after = timeSubject(inline, input, "tsv110", "steady").cycles;
      expect(after).toBeLessThan(before);
    },
  );
});
