/**
 * Speed of the timing model: timed simulation of a realistic stream (the synthetic exit-path-like
 * mix with a call every ~16 instructions), front end on, steady state. Target >= 2,000,000 instr/s.
 */
import { cores } from "./cores/index.ts";
import { simulate } from "./pipeline.ts";
import { repeatStream } from "./synthetic.ts";

export function bench(): { name: string; value: number; unit: string }[] {
  const stream = repeatStream(200_000);
  simulate(cores.tsv110, stream, { mode: "steady", frontEnd: true });
  const rounds = 5;
  const start = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++) simulate(cores.tsv110, stream, { mode: "steady", frontEnd: true });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return [
    { name: "timed simulation", value: Math.round((stream.length * rounds) / seconds), unit: "instr/s" },
  ];
}
