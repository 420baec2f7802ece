/**
 * Promoted counterexamples (golden/regressions/, written by `exitwork promote`): each replays
 * without the generator. "holds" cases must hold on today's fixtures; "caught" cases must still
 * catch their mutant.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readBudgets } from "../src/harness/budgets.ts";
import { readRegressions, replayCase, writeRegression } from "../src/harness/replay.ts";
import { fixtureInfo } from "../src/kernel/fixtures.ts";
import { inputToJson } from "../src/kernel/input-json.ts";
import { defaultInput } from "../src/kernel/state.ts";
import { SYSCALL_WORK_SYSCALL_EMU, SYSCALL_WORK_SYSCALL_EXIT_TRAP } from "../src/kernel/work.ts";
import { BUDGETS_FILE } from "./support.ts";

const budgets = readBudgets(BUDGETS_FILE);
const regressions = readRegressions();

describe("promoted regression cases", () => {
  it("there is at least one, so this replay is not vacuous", () => {
    expect(regressions.length).toBeGreaterThan(0);
  });

  for (const { file, regression } of regressions) {
    it(`${regression.name}: ${regression.expect === "holds" ? "holds" : "still catches its mutant"}`, () => {
      const result = replayCase(regression, budgets);
      expect(result.reproduced, `${file}: ${result.notes.join("; ")}`).toBe(regression.expect === "caught");
    });
  }

  it("a caught case replays a mutant and reports its divergence", () => {
    const dir = mkdtempSync(join(tmpdir(), "exitwork-regressions-"));
    const side = (id: string, label: string) => ({
      label,
      fixture: { id, sha256: fixtureInfo(id).sha256 },
      spec: null,
    });
    writeRegression(
      {
        name: "P1-step-ignores-emu",
        property: "P1",
        headline: "PTRACE_SYSEMU_SINGLESTEP gets an exit report",
        expect: "caught",
        left: side("ref.gcc.defconfig", "ref"),
        right: side("inline-mut-step-ignores-emu.gcc.defconfig", "mutant"),
        core: null,
        mode: null,
        input: inputToJson(defaultInput({ work: SYSCALL_WORK_SYSCALL_EMU | SYSCALL_WORK_SYSCALL_EXIT_TRAP })),
      },
      dir,
    );
    const [{ regression }] = readRegressions(dir) as [ReturnType<typeof readRegressions>[number]];
    const result = replayCase(regression, budgets);
    expect(result.reproduced).toBe(true);
    expect(result.divergence?.rule).toMatch(/report_single_step/);
  });
});
