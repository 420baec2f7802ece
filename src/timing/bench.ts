/**
 * Speed of the timing model: timed simulation of a realistic stream (the synthetic exit-path-like
 * mix with a call every ~16 instructions), front end on, steady state (so the predictor's training
 * pass is included). Target >= 2,000,000 instr/s. Best of several rounds, so a busy machine's
 * other work counts as little as possible.
 */
import { cores } from "./cores/index.ts";
import { simulate } from "./pipeline.ts";
import { repeatStream } from "./synthetic.ts";

export function bench(): { name: string; value: number; unit: string }[] {
  const stream = repeatStream(200_000);
  simulate(cores.tsv110, stream, { mode: "steady", frontEnd: true });
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 7; round++) {
    const start = process.hrtime.bigint();
    simulate(cores.tsv110, stream, { mode: "steady", frontEnd: true });
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e9);
  }
  return [{ name: "timed simulation", value: Math.round(stream.length / best), unit: "instr/s" }];
}
