import { describe, expect, it } from "vitest";
import { type CheckSummary, NOT_CHECKED, PROPERTY_TITLES } from "../harness/results.ts";
import { formatKtap } from "./ktap.ts";
import { countLine, formatSummary } from "./summary.ts";

const summary: CheckSummary = {
  settings: {
    core: "tsv110",
    mode: "steady",
    seed: 42,
    runs: 100,
    shard: null,
    builds: ["gcc.defconfig", "clang.defconfig"],
    fixtures: 6,
    mutants: 2,
  },
  coverage: [{ domain: "exit", exhaustive: 8192, random: 100 }],
  properties: [
    {
      id: "P1",
      domain: "exit",
      title: PROPERTY_TITLES.P1,
      status: "pass",
      subjects: [
        { name: "gcc.defconfig", status: "pass", cases: 8292 },
        { name: "clang.defconfig", status: "pass", cases: 8292 },
      ],
      notes: [],
    },
    {
      id: "P3",
      domain: "exit",
      title: PROPERTY_TITLES.P3,
      status: "fail",
      subjects: [
        {
          name: "gcc.defconfig",
          status: "fail",
          cases: 1,
          detail: "no-work: inline 15 cycles, ref 14",
          report: "reports/P3-gcc.json",
        },
        { name: "clang.defconfig", status: "skip", cases: 0, detail: "llvm-mca missing" },
      ],
      notes: ["no-work fast path: gcc.defconfig ref 14, inline 15 cycles"],
    },
  ],
  notChecked: NOT_CHECKED,
};

describe("text summary", () => {
  const text = formatSummary(summary);

  it("marks a failing subject with * and names its report", () => {
    expect(text).toMatch(/\* gcc\.defconfig: no-work: inline 15 cycles, ref 14 -> reports\/P3-gcc\.json/);
  });

  it("shows the fast-path note and what was not checked", () => {
    expect(text).toContain("no-work fast path");
    expect(text).toContain("SMP interleavings");
  });

  it("closes with the count line CI reads", () => {
    expect(countLine(summary)).toBe("1 passed, 1 failed, 0 skipped");
    expect(text.trimEnd().endsWith("1 passed, 1 failed, 0 skipped")).toBe(true);
  });
});

describe("KTAP", () => {
  const lines = formatKtap(summary).trimEnd().split("\n");

  it("starts with the version line and a plan matching the top-level results", () => {
    expect(lines[0]).toBe("KTAP version 1");
    const plan = lines.find((l) => /^1\.\.\d+$/.test(l));
    const results = lines.filter((l) => /^(ok|not ok) \d+ /.test(l));
    expect(plan).toBe(`1..${results.length}`);
  });

  it("nests one document per property, indented four spaces, with a SKIP directive", () => {
    expect(lines).toContain("    KTAP version 1");
    expect(lines).toContain("    not ok 1 gcc.defconfig");
    expect(lines).toContain("    ok 2 clang.defconfig # SKIP llvm-mca missing");
    expect(lines.some((l) => l.startsWith("not ok 2 P3_"))).toBe(true);
  });
});
