/**
 * Functional-simulation speed: simulated instructions per second and exit-path runs per second
 * over the committed fixtures and the exhaustive input sweep (no listener, no timing model).
 */

import { listFixtures } from "../kernel/fixtures.ts";
import { exhaustiveInputs } from "./arbitraries.ts";
import { isRunError, loadProgram, type Program, runExit } from "./run.ts";

export interface BenchResult {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

/**
 * Runs every non-mutant fixture over every 7th input of the sweep for at least `minMillis` of
 * CPU time, after one warm-up pass. Rates are per CPU-second of this process, so other load on a
 * shared machine does not skew them.
 */
export function bench(minMillis = 2000): BenchResult[] {
  const programs: Program[] = [];
  for (const f of listFixtures({ mutants: false })) {
    const p = loadProgram(f.id);
    if (!isRunError(p)) programs.push(p);
  }
  const inputs = [...exhaustiveInputs()];
  const pass = (): { runs: number; steps: number } => {
    let runs = 0;
    let steps = 0;
    for (const p of programs) {
      for (let i = 0; i < inputs.length; i += 7) {
        const trace = runExit(p, inputs[i]!);
        if (isRunError(trace)) throw new Error(`${trace.code}: ${trace.path}: ${trace.message}`);
        runs++;
        steps += trace.steps;
      }
    }
    return { runs, steps };
  };
  pass();
  let runs = 0;
  let steps = 0;
  const start = process.cpuUsage();
  let micros = 0;
  do {
    const r = pass();
    runs += r.runs;
    steps += r.steps;
    const used = process.cpuUsage(start);
    micros = used.user + used.system;
  } while (micros < minMillis * 1000);
  const seconds = micros / 1e6;
  return [
    { name: "functional simulation", value: Math.round(steps / seconds), unit: "instr/s" },
    { name: "exit path runs", value: Math.round(runs / seconds), unit: "runs/s" },
  ];
}
