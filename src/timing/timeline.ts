/**
 * The timeline view in llvm-mca's notation (llvm/lib/MCA/Views/TimelineView.cpp): one row per
 * instruction, one column per cycle; D dispatch, = waiting to issue, e executing, E complete,
 * - retired-waiting, R retire, `.` every fifth idle cycle. Formatting only: it reads a result.
 */
import type { ExecutedInsn } from "../a64/stream.ts";
import type { TimingResult } from "./pipeline.ts";

export interface TimelineOptions {
  /** Rows from this instruction index (default 0). */
  readonly from?: number;
  /** At most this many rows (default: all). */
  readonly rows?: number;
  /** Iteration number shown in `[iteration,index]` (default 0). */
  readonly iteration?: number;
}

const INDEX_COLUMN = 10;

function header(lastCycle: number): string[] {
  const cycles = lastCycle + 1;
  const lines: string[] = [];
  if (cycles >= 10) {
    let tens = " ".repeat(INDEX_COLUMN);
    for (let c = 0; c < cycles; c++) tens += Math.floor(c / 10) % 2 === 0 ? " " : String(c % 10);
    lines.push(tens.trimEnd());
  }
  let units = "Index".padEnd(INDEX_COLUMN);
  for (let c = 0; c < cycles; c++) units += Math.floor(c / 10) % 2 === 0 ? String(c % 10) : " ";
  lines.push(units.trimEnd());
  return lines;
}

/**
 * Renders the timeline of a result simulated with `keepPerInsn`; `textOf(i)` gives the text of
 * instruction i (the disassembler's). Returns an error line when per-instruction cycles were not kept.
 */
export function renderTimeline(
  result: TimingResult,
  stream: readonly ExecutedInsn[],
  textOf: (index: number) => string,
  options: TimelineOptions = {},
): string {
  const per = result.perInsn;
  if (per === undefined) return "timeline: simulate with keepPerInsn: true to keep per-instruction cycles";
  const from = Math.max(0, options.from ?? 0);
  const to = Math.min(result.instructions, stream.length, from + (options.rows ?? result.instructions));
  if (to <= from) return "Timeline view:\n(no instructions)";
  let lastCycle = 0;
  for (let i = from; i < to; i++) lastCycle = Math.max(lastCycle, result.retire[i]!);
  const iteration = options.iteration ?? 0;
  const out = ["Timeline view:", ...header(lastCycle), ""];
  for (let i = from; i < to; i++) {
    const dispatch = per.dispatch[i]!;
    const issue = per.issue[i]!;
    const complete = per.complete[i]!;
    const retire = result.retire[i]!;
    let row = `[${iteration},${i}]`.padEnd(INDEX_COLUMN);
    for (let c = 0; c <= lastCycle; c++) {
      if (c === dispatch) row += "D";
      else if (c > dispatch && c < issue) row += "=";
      else if (c >= issue && c < complete && c > dispatch) row += "e";
      else if (c === complete) row += "E";
      else if (c > complete && c < retire) row += "-";
      else if (c === retire) row += "R";
      else row += c % 5 === 0 || c === lastCycle ? "." : " ";
    }
    out.push(`${row}   ${textOf(i)}`);
  }
  return out.join("\n");
}
