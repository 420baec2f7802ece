import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ALL_PATHS, exitPath } from "../harness/paths.ts";
import { benchTable, INSN_CATEGORIES, type InsnCategory, type VariantRun } from "../harness/perfbench.ts";
import { listFixtures } from "../kernel/fixtures.ts";
import { SYSCALL_WORK_SYSCALL_AUDIT } from "../kernel/work.ts";
import {
  formatBenchTable,
  formatChange,
  formatPp,
  gainLines,
  groupThousands,
  mdTable,
  pathInputs,
  writeUpstreamReport,
} from "./upstream.ts";

describe("the seed's table", () => {
  it("reproduces the v9 cover letter rows from its cycles (14.9 of 564.7 cycles saved at 2.6 GHz: 2.6e9 / 549.8 ops/sec)", () => {
    const lines = formatBenchTable(benchTable(564.7, 579.6, 564.7, 2.6));
    expect(lines).toEqual([
      "| Metric     | W/O this patch | With this patch | Change    |",
      "| ---------- | -------------- | --------------- | --------- |",
      "| Total time | 2.172 [sec]    | 2.115 [sec]     |  ↓2.6%    |",
      "| usecs/op   | 0.217192       | 0.211462        |  ↓2.6%    |",
      "| ops/sec    | 4,604,215      | 4,728,992       |  ↑2.7%    |",
    ]);
  });

  it("spells changes and differences as the thread does", () => {
    expect(formatChange(-2.64)).toBe("↓2.6%");
    expect(formatChange(2.71)).toBe("↑2.7%");
    expect(formatChange(-0.04)).toBe("0.0%");
    expect(formatPp(1.94)).toBe("+1.9 pp");
    expect(formatPp(-0.36)).toBe("-0.4 pp");
    expect(groupThousands(4604225.4)).toBe("4,604,225");
    expect(groupThousands(999)).toBe("999");
  });
});

function run(
  variant: string,
  cycles: Partial<Record<InsnCategory, number>>,
  mnemonics: Record<string, number>,
): VariantRun {
  const categories = INSN_CATEGORIES.map((category) => ({
    category,
    instructions: cycles[category] === undefined ? 0 : 1,
    cycles: cycles[category] ?? 0,
  }));
  return {
    variant,
    fixtureId: `${variant}.gcc.defconfig`,
    sha256: "0".repeat(64),
    cycles: categories.reduce((s, c) => s + c.cycles, 0),
    instructions: categories.reduce((s, c) => s + c.instructions, 0),
    effects: [],
    perEffect: [{ effect: "return", cycles: categories.reduce((s, c) => s + c.cycles, 0) }],
    categories,
    mnemonics,
  };
}

describe("gainLines", () => {
  it("names the classes that got cheaper first, and the instructions that went away", () => {
    const before = run(
      "svc-ref",
      { "call/ret": 4, "frame save/restore": 15, compute: 10 },
      { bl: 5, mov: 18, ret: 6 },
    );
    const after = run(
      "svc-inline",
      { "call/ret": 3, "frame save/restore": 9, compute: 11 },
      { bl: 3, mov: 18, ret: 4 },
    );
    const lines = gainLines(before, after);
    expect(lines[0]).toBe(
      "  in short: frame save/restore -6, call/ret -1, compute +1 (cycles, svc-ref -> svc-inline)",
    );
    expect(lines).toContain("  executed instructions that changed in number: bl 5->3, ret 6->4");
    expect(
      lines.some((l) => /^ {2}total +3 insns +29 cycles -> +3 insns +23 cycles {2}\(-6\)$/.test(l)),
    ).toBe(true);
  });
});

describe("mdTable", () => {
  it("keeps a work word with | in one cell", () => {
    expect(mdTable(["path", "input"], [["audit+ptrace", "work=TRACE|AUDIT"]])).toEqual([
      "| path | input |",
      "| --- | --- |",
      "| audit+ptrace | work=TRACE\\|AUDIT |",
    ]);
  });
});

describe("pathInputs", () => {
  it("finds an input for every path name, each taking that path", () => {
    const found = pathInputs();
    expect(found.map((p) => p.path)).toEqual([...ALL_PATHS]);
    for (const { path, input } of found) expect(exitPath(input)).toBe(path);
    // audit=1 gives the AUDIT bit and the audit context together: the audit paths use both.
    const audit = found.find((p) => p.path === "audit")!.input;
    expect([audit.work, audit.auditContext]).toEqual([SYSCALL_WORK_SYSCALL_AUDIT, true]);
  });
});

describe("exitwork report", () => {
  const dirs = [
    mkdtempSync(join(tmpdir(), "exitwork-report-")),
    mkdtempSync(join(tmpdir(), "exitwork-report-")),
  ];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it("writes the same bytes twice, every chart it links, and names its inputs", () => {
    const first = writeUpstreamReport(dirs[0]!);
    const second = writeUpstreamReport(dirs[1]!);
    const names = (paths: string[]) => paths.map((p) => p.slice(p.lastIndexOf("/") + 1));
    expect(names(first)).toEqual(names(second));
    expect(readdirSync(dirs[0]!).sort()).toEqual(names(first).sort());
    for (const name of names(first))
      expect(readFileSync(join(dirs[1]!, name)).equals(readFileSync(join(dirs[0]!, name))), name).toBe(true);

    const md = readFileSync(join(dirs[0]!, "upstream.md"), "utf8");
    const linked = [...md.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]);
    expect(linked.sort()).toEqual(
      names(first)
        .filter((n) => n.endsWith(".svg"))
        .sort(),
    );
    for (const variant of ["ref", "inline"]) {
      const info = listFixtures({ variant, compiler: "gcc", config: "defconfig", mutants: false })[0]!;
      expect(md).toContain(info.sha256);
    }
    expect(md).toContain("564.7 cycles per syscall");
    expect(md).toMatch(/Modelled and measured/);
    expect(md).not.toMatch(/20\d\d-\d\d-\d\d/);
  });
});
