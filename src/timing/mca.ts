/**
 * llvm-mca as an oracle: dynamic traces written as assembly regions, one llvm-mca process per
 * core for all of them, and its per-region "Total Cycles" read back.
 *
 * Branches stay as text (mca does not follow them; a label right after each keeps them
 * assemblable), PAC and BTI are written as `hint #n` because LLVM 16's tsv110/A57 models reject
 * the PAuth mnemonics (shared/TIMING.md).
 */
import { spawnSync } from "node:child_process";
import type { TimingError } from "./core.ts";

export const LLVM_MCA = "llvm-mca-16";

export interface McaRegion {
  /** Region name: letters, digits, `-`, `_`, `.` only. */
  readonly name: string;
  /** One assembly line per executed instruction. */
  readonly lines: readonly string[];
}

/** Whether an llvm-mca binary (default llvm-mca-16) runs here; the reason when it does not. */
export function mcaAvailability(
  tool: string = LLVM_MCA,
): { available: true; tool: string } | { available: false; reason: string } {
  const probe = spawnSync(tool, ["--version"], { encoding: "utf8" });
  if (probe.error !== undefined || probe.status !== 0) {
    return {
      available: false,
      reason: `${tool} not found on PATH (apt-get install ${tool.replace("-mca", "")})`,
    };
  }
  return { available: true, tool };
}

/** The first of `tools` that runs here (a core's `mcaTools`), or why none does. */
export function findMca(
  tools: readonly string[],
): { available: true; tool: string } | { available: false; reason: string } {
  for (const tool of tools) {
    const found = mcaAvailability(tool);
    if (found.available) return found;
  }
  return { available: false, reason: `none of ${tools.join(", ")} found on PATH` };
}

/**
 * Turns a direct branch's text into one mca can assemble wherever it sits: the target becomes a
 * fresh local label on the next line (mca ignores where branches go).
 */
export function mcaLine(text: string, index: number): string {
  const bare = text
    .replace(/\s*\/\/.*$/, "")
    .replace(/\s*<[^>]*>$/, "")
    .trim();
  const branch = /^(b\.\w+|b|bl|cbz|cbnz|tbz|tbnz)\s+(.*?)([^,\s]+)$/.exec(bare);
  if (branch === null) return text;
  const [, mnemonic, operands] = branch;
  return `${mnemonic} ${operands}.Ltrace${index}\n.Ltrace${index}:`;
}

/** Hint-space mnemonics LLVM 16's tsv110/A57 models reject, as the hints they are (Arm ARM C6.2 HINT). */
const HINT_SPELLING: Readonly<Record<string, string>> = {
  paciasp: "hint #25",
  pacibsp: "hint #27",
  autiasp: "hint #29",
  autibsp: "hint #31",
  bti: "hint #32",
  "bti c": "hint #34",
  "bti j": "hint #36",
  "bti jc": "hint #38",
};

/** A disassembler line (objdump's spelling) as llvm-mca-16 accepts it. */
export function mcaSpelling(text: string): string {
  const bare = text
    .replace(/\s*\/\/.*$/, "")
    .replace(/\s+/g, " ")
    .trim();
  return HINT_SPELLING[bare] ?? bare;
}

export function mcaSource(regions: readonly McaRegion[]): string {
  const out: string[] = [];
  let label = 0;
  for (const region of regions) {
    out.push(`# LLVM-MCA-BEGIN ${region.name}`);
    for (const line of region.lines) out.push(mcaLine(line, label++));
    out.push(`# LLVM-MCA-END ${region.name}`);
  }
  return `${out.join("\n")}\n`;
}

/** "Total Cycles" per region, in order, from llvm-mca's default report. */
export function parseMcaTotals(report: string): Map<string, number> {
  const totals = new Map<string, number>();
  const sections = report.split(/^\[\d+\] Code Region - /m).slice(1);
  for (const section of sections) {
    const name = section.slice(0, section.indexOf("\n")).trim();
    const cycles = /^Total Cycles:\s+(\d+)/m.exec(section);
    if (cycles !== null) totals.set(name, Number(cycles[1]));
  }
  return totals;
}

/** Runs llvm-mca once over all regions for one `-mcpu`; cycles per region or an error value. */
export function runMca(
  cpu: string,
  regions: readonly McaRegion[],
  tool: string = LLVM_MCA,
): { ok: true; totals: Map<string, number> } | { ok: false; error: TimingError } {
  const run = spawnSync(tool, ["-mtriple=aarch64", `-mcpu=${cpu}`, "-iterations=1", "-"], {
    input: mcaSource(regions),
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  if (run.error !== undefined || run.status !== 0) {
    return {
      ok: false,
      error: {
        code: "mca_failed",
        path: `${tool} -mcpu=${cpu}`,
        message: (run.stderr || String(run.error)).split("\n").slice(0, 3).join(" "),
      },
    };
  }
  return { ok: true, totals: parseMcaTotals(run.stdout) };
}
