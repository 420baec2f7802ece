import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ExitworkFailure } from "../errors.ts";
import { inputToJson } from "../kernel/input-json.ts";
import { defaultInput } from "../kernel/state.ts";
import {
  COUNTEREXAMPLE_FORMAT,
  type CounterexampleJson,
  readCounterexample,
  writeCounterexample,
} from "./counterexample.ts";

const report: CounterexampleJson = {
  format: COUNTEREXAMPLE_FORMAT,
  name: "P1-inline-mut-audit-gated.gcc.defconfig",
  property: "P1",
  kind: "behaviour",
  headline: "ref has audit_exit",
  left: { label: "ref", fixture: { id: "ref.gcc.defconfig", sha256: "a".repeat(64) }, spec: null },
  right: {
    label: "inline",
    fixture: { id: "inline-mut-audit-gated.gcc.defconfig", sha256: "b".repeat(64) },
    spec: null,
  },
  core: null,
  mode: null,
  input: inputToJson(defaultInput({ auditContext: true, work: 4n })),
  inputText: "work=TRACE audit_context=1",
  path: "audit+ptrace",
  divergence: {
    what: "ref has audit_exit instead of ptrace_exit",
    rule: "KERNEL.md §3.2",
    firstRow: 0,
    rows: [
      {
        section: "effect",
        name: "effect 1",
        left: "audit_exit success=1 code=0",
        right: "ptrace_exit",
        differs: true,
      },
      { section: "final", name: "x0", left: "0x0", right: "0x0", differs: false },
    ],
  },
  budget: null,
  executed: { left: ["10000: d503233f  paciasp"], right: [] },
  search: { source: "sweep", seed: 1, path: null, shrinks: null, runs: 17 },
  tools: { node: "v20" },
};

describe("counterexample reports", () => {
  const dir = mkdtempSync(join(tmpdir(), "exitwork-report-"));

  it("writes JSON that reads back to the same input, and Markdown with * on differing rows", () => {
    const file = writeCounterexample(dir, report);
    const { report: back } = readCounterexample(file);
    expect(back.input.auditContext).toBe(true);
    expect(back.input.work).toBe(4n);
    const md = readFileSync(join(dir, `${report.name}.md`), "utf8");
    expect(md).toMatch(/^\* effect 1 +audit_exit success=1 code=0 +ptrace_exit$/m);
    expect(md).toMatch(/^ {2}x0 +0x0 +0x0$/m);
    expect(md).toContain("Rule: KERNEL.md §3.2");
  });

  it("rejects a file that is not a report, naming the field", () => {
    const bad = join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify({ ...report, property: "P9" }));
    try {
      readCounterexample(bad);
      expect.unreachable();
    } catch (e) {
      expect((e as ExitworkFailure).error).toMatchObject({ code: "REPORT_INVALID", path: `${bad}:property` });
    }
  });
});
