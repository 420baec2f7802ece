/**
 * The command line as a user and CI meet it: exit codes, one-line errors without a stack trace,
 * the KTAP and JSON reporters, and sharding whose shards add up to the whole run.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCheck, sweepInputs } from "../src/harness/check.ts";
import { listFixtures } from "../src/kernel/fixtures.ts";
import { readCounterexample } from "../src/report/counterexample.ts";
import { BUDGETS_FILE, checkOptions } from "./support.ts";

const BIN = fileURLToPath(new URL("../bin/exitwork.js", import.meta.url));

function exitwork(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("exitwork command line", () => {
  it("check on one build prints KTAP for both subjects and exits 0 when every property holds", () => {
    const r = exitwork(
      "check",
      "--compiler",
      "clang",
      "--config",
      "ftrace",
      "--runs",
      "200",
      "--reporter",
      "ktap",
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("KTAP version 1");
    expect(lines).toContain("1..8");
    expect(lines.filter((l) => /^ok \d+ P\d_/.test(l))).toHaveLength(8);
    expect(lines.filter((l) => /^ok \d+ P\d_syscall_/.test(l))).toHaveLength(4);
  });

  it("check exits 1 and writes a replayable report when a property fails", () => {
    const dir = mkdtempSync(join(tmpdir(), "exitwork-cli-"));
    const budgets = JSON.parse(readFileSync(BUDGETS_FILE, "utf8"));
    writeFileSync(join(dir, "budgets.json"), JSON.stringify({ ...budgets, acceptedRegressions: [] }));
    const args = [
      "--compiler",
      "gcc",
      "--config",
      "defconfig",
      "--no-mutants",
      "--properties",
      "P3",
      "--runs",
      "100",
    ];
    const r = exitwork("check", ...args, "--budgets", join(dir, "budgets.json"), "--reports", dir);
    expect(r.code).toBe(1);
    const report = join(dir, "P3-gcc.defconfig.json");
    expect(r.stdout).toContain(report);
    expect(existsSync(report.replace(/json$/, "md"))).toBe(true);
    expect(readCounterexample(report).report.budget?.timeline.left).toMatch(/Timeline view/);
    expect(exitwork("replay", report, "--budgets", join(dir, "budgets.json")).code).toBe(1);
    expect(exitwork("replay", report).code).toBe(0);
  });

  it("an unknown property is a usage error, exit 2", () => {
    const r = exitwork(
      "check",
      "--variant",
      "legacy",
      "--compiler",
      "gcc",
      "--config",
      "defconfig",
      "--properties",
      "P9",
    );
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toEqual([
      'exitwork: USAGE: --properties: unknown property "P9" (P1..P4)',
    ]);
  });

  it("the JSON reporter gives the summary as data", () => {
    const r = exitwork(
      "check",
      "--compiler",
      "gcc",
      "--config",
      "hardened",
      "--no-mutants",
      "--properties",
      "P1",
      "--runs",
      "50",
      "--reporter",
      "json",
    );
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.properties[0]).toMatchObject({ id: "P1", status: "pass" });
    expect(summary.coverage[0].exhaustive).toBe(8192);
  });

  it("bad input is one line with a code and exit 2, never a stack trace", () => {
    for (const args of [
      ["check", "--core", "m1"],
      ["replay", "nope.json"],
      ["explain", "--work", "BOGUS"],
      ["nonsense"],
    ]) {
      const r = exitwork(...args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(/^exitwork: [A-Z_]+: .+\n$/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});

describe("sharding", () => {
  it("the shards' sweeps are disjoint and together the whole exhaustive space", () => {
    const shards = [0, 1, 2].map((index) => sweepInputs({ index, count: 3 }));
    const all = sweepInputs(null);
    expect(shards.reduce((n, s) => n + s.length, 0)).toBe(all.length);
    expect(new Set(shards.flat()).size).toBe(all.length);
  });

  it("the shards' random cases add up to the whole random budget", () => {
    const fixtures = listFixtures({ compiler: "gcc", config: "defconfig", mutants: false });
    const base = checkOptions({ fixtures, properties: ["P1"], runs: 300 });
    const counts = [0, 1, 2].map(
      (index) => runCheck({ ...base, shard: { index, count: 3 } }).summary.coverage,
    );
    expect(counts.reduce((n, c) => n + c[0]!.random, 0)).toBe(300);
    expect(counts.reduce((n, c) => n + c[0]!.exhaustive, 0)).toBe(8192);
  });
});
