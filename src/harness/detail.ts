/**
 * One run in full detail, for explain, counterexample reports and golden files: the executed
 * instructions with their disassembly, and on a core the timeline and the cycles per effect.
 */
import { disassemble } from "../a64/decode.ts";
import { formatError } from "../errors.ts";
import { formatSyscallEffect, type SyscallEffect } from "../kernel/entry/types.ts";
import type { ExitInput } from "../kernel/state.ts";
import { attributeCycles } from "../timing/attribute.ts";
import type { CoreOverrides } from "../timing/core.ts";
import { simulate } from "../timing/pipeline.ts";
import { renderTimeline } from "../timing/timeline.ts";
import type { Observation } from "./compare.ts";
import { coreModel, type Mode, runSubject, type Subject } from "./observe.ts";

export interface EffectCycles {
  readonly effect: string;
  readonly cycles: number;
}

export interface RunDetail {
  readonly obs: Observation;
  /** `   10000: d503233f  paciasp` per executed instruction. */
  readonly executed: readonly string[];
  readonly cycles: number | null;
  readonly perEffect: readonly EffectCycles[];
  readonly timeline: string;
  /** Set when the run did not complete. */
  readonly error: string | null;
}

function effectName(effects: readonly SyscallEffect[], share: number | "return"): string {
  if (share === "return") return "return";
  const effect = effects[share];
  return effect ? formatSyscallEffect(effect) : `effect ${share}`;
}

/** Runs `subject` on `input` with the stream collected, and times it when a core is given. */
export function detailRun(
  subject: Subject,
  input: ExitInput,
  label: string,
  timing?: { core: string; mode: Mode; overrides?: CoreOverrides },
): RunDetail {
  const run = runSubject(subject, input, label, true);
  const insns = run.trace?.insns ?? [];
  const text = insns.map((i) => disassemble(i.word, i.pc, subject.program.symbolizer));
  const executed = insns.map(
    (i, n) => `${i.pc.toString(16).padStart(8)}: ${(i.word >>> 0).toString(16).padStart(8, "0")}  ${text[n]}`,
  );
  const error = run.error ? formatError(run.error) : null;
  if (!timing || !run.trace)
    return { obs: run.obs, executed, cycles: null, perEffect: [], timeline: "", error };
  const result = simulate(coreModel(timing.core, timing.overrides), insns, {
    mode: timing.mode,
    frontEnd: true,
    keepPerInsn: true,
  });
  const effects = run.trace.effects;
  const perEffect = attributeCycles(result, run.trace.effectIndex).map((share) => ({
    effect: effectName(effects, share.effect),
    cycles: share.cycles,
  }));
  const timeline = renderTimeline(result, insns, (n) => (text[n] ?? "").replace(/\t/g, " "));
  return { obs: run.obs, executed, cycles: result.totalCycles, perEffect, timeline, error };
}
