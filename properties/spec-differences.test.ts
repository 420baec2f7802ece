/**
 * Legacy vs generic (KERNEL.md §5): on every coherent input, the two specifications' outcomes are
 * equal exactly when no declared difference applies (src/kernel/differences.ts). The exhaustive
 * space is widened for this comparison with CONFIG_DEBUG_RSEQ and entry-time work words, because
 * several declarations are about the entry snapshot and the rseq check.
 */
import { test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { arbExitInput, describeInput, exhaustiveInputs } from "../src/harness/arbitraries.ts";
import {
  coherent,
  type DifferenceId,
  differencesFor,
  LEGACY_DIFFERENCES,
  withLegacyFlags,
} from "../src/kernel/differences.ts";
import { type ExitOutcome, formatEffects, formatFinalState } from "../src/kernel/effects.ts";
import { specGeneric } from "../src/kernel/spec-generic.ts";
import { specLegacy } from "../src/kernel/spec-legacy.ts";
import type { ExitInput } from "../src/kernel/state.ts";
import { parseWorkNames } from "../src/kernel/work.ts";

const RANDOM_RUNS = 5000;

function show(out: ExitOutcome): string {
  return [...formatEffects(out.effects), formatFinalState(out.final)].join("\n");
}

/** The comparison as one value, so a failure prints both sides and the declarations. */
function compare(input: ExitInput) {
  const generic = show(specGeneric(input));
  const legacy = show(specLegacy(input));
  return { declared: differencesFor(input).map((d) => d.id), equal: generic === legacy, generic, legacy };
}

const ENTRY_WORDS = ["SAME", "", "TRACE", "SECCOMP", "AUDIT,EXIT_TRAP"] as const;

function* widenedInputs(): Generator<ExitInput> {
  for (const base of exhaustiveInputs()) {
    for (const debugRseq of [false, true]) {
      for (const entry of ENTRY_WORDS) {
        const workAtEntry = entry === "SAME" ? base.work : parseWorkNames(entry).work;
        yield withLegacyFlags({ ...base, debugRseq, workAtEntry });
      }
    }
  }
}

describe("legacy vs generic specification (KERNEL.md §5)", () => {
  it("exhaustive: equal outcomes exactly where no declared difference applies, and each declaration alone changes some outcome", () => {
    const mismatches: (ReturnType<typeof compare> & { input: string })[] = [];
    const aloneAndDiffering = new Map<DifferenceId, number>(LEGACY_DIFFERENCES.map((d) => [d.id, 0]));
    let count = 0;
    for (const input of widenedInputs()) {
      count++;
      const c = compare(input);
      if (c.equal !== (c.declared.length === 0) && mismatches.length < 5)
        mismatches.push({ input: describeInput(input), ...c });
      const only = c.declared.length === 1 ? c.declared[0] : undefined;
      if (only !== undefined && !c.equal) aloneAndDiffering.set(only, (aloneAndDiffering.get(only) ?? 0) + 1);
    }
    expect(count).toBe(8192 * 2 * ENTRY_WORDS.length);
    expect(mismatches).toEqual([]);
    // A declaration that never applies alone would not be needed: removing it would break nothing.
    expect([...aloneAndDiffering].filter(([, n]) => n === 0).map(([id]) => id)).toEqual([]);
  });

  test.prop([arbExitInput({ debugRseq: "any" })], { numRuns: RANDOM_RUNS })(
    "random coherent inputs: equal outcomes exactly where no declared difference applies",
    (input) => {
      expect(coherent(input)).toBe(true);
      const c = { input: describeInput(input), ...compare(input) };
      expect({ ...c, equal: c.declared.length === 0 }).toEqual(c);
    },
  );
});
