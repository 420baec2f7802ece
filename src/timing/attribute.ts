/**
 * Cycles per effect: a view over a timing result and the trace's effect positions. Instructions
 * up to and including the one at which an effect happened belong to that effect (the work that
 * led to it); the instructions after the last effect are the "return". Cycles are measured at
 * retirement, so the parts add up to the run's total cycles.
 */
import type { TimingResult } from "./pipeline.ts";

export interface CycleShare {
  /** Index into the trace's effects, or "return" for the tail. */
  readonly effect: number | "return";
  /** First and last instruction index of the share (last < first when it has none). */
  readonly first: number;
  readonly last: number;
  readonly instructions: number;
  readonly cycles: number;
}

export function attributeCycles(result: TimingResult, effectIndex: readonly number[]): CycleShare[] {
  const n = result.instructions;
  const shares: CycleShare[] = [];
  let first = 0;
  let endCycle = 0;
  const close = (effect: number | "return", last: number, end: number): void => {
    shares.push({ effect, first, last, instructions: Math.max(0, last - first + 1), cycles: end - endCycle });
    first = Math.max(first, last + 1);
    endCycle = end;
  };
  effectIndex.forEach((at, effect) => {
    const last = Math.min(Math.max(at, first - 1), n - 1);
    const end = last >= 0 ? Math.max(endCycle, result.retire[last]! + 1) : endCycle;
    close(effect, last, end);
  });
  close("return", n - 1, Math.max(endCycle, result.totalCycles));
  return shares;
}
