import { describe, expect, it, vi } from "vitest";
import { defaultInput } from "../kernel/state.ts";
import { SYSCALL_WORK_SYSCALL_AUDIT, SYSCALL_WORK_SYSCALL_TRACE } from "../kernel/work.ts";
import { benchCommand, whyHotText } from "./upstream.ts";

describe("whyHotText", () => {
  it("names AUDIT as the bit that opens both gates in the audit=1 state", () => {
    const text = whyHotText({ work: "AUDIT", auditContext: true, core: "tsv110" });
    expect(text).toMatch(/SYSCALL_WORK_ENTER: OPEN on every syscall .*opened by AUDIT\n/);
    expect(text).toMatch(/SYSCALL_WORK_EXIT: OPEN on every syscall .*opened by AUDIT\n/);
    expect(text).toMatch(
      /SYSCALL_WORK_SYSCALL_AUDIT \(bit 4, .*\): opens ENTER\+EXIT, alone keeps ENTER\+EXIT open; \+\d+ \/ \+\d+ cycles/,
    );
  });

  it("takes the input `explain --why-hot` builds, with its mode", () => {
    const input = defaultInput({
      work: SYSCALL_WORK_SYSCALL_AUDIT | SYSCALL_WORK_SYSCALL_TRACE,
      auditContext: true,
    });
    const text = whyHotText({ input, core: "cortex-a72", mode: "cold" });
    expect(text).toMatch(
      /^why hot: work=TRACE\|AUDIT \(0x14\) audit_context=1 .*core cortex-a72, build gcc.defconfig, cold state\n/,
    );
    expect(text).toMatch(/SYSCALL_WORK_EXIT: OPEN on every syscall .*opened by TRACE, AUDIT\n/);
    expect(text).toMatch(/SYSCALL_WORK_SYSCALL_TRACE \(bit 2, .*\): opens ENTER\+EXIT; /);
  });

  it("says the fast path runs when no bit is set", () => {
    const text = whyHotText({ work: "none", auditContext: false, core: "tsv110" });
    expect(text).toMatch(/SYSCALL_WORK_ENTER: closed/);
    expect(text).toMatch(/SYSCALL_WORK_EXIT: closed/);
    expect(text).toContain("no work bit set");
  });
});

describe("bench --perf-bench", () => {
  it("prints one seed table per patch and core", () => {
    const out: string[] = [];
    const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
    try {
      expect(benchCommand.run({ "perf-bench": true, core: "all" }, [])).toBe(0);
    } finally {
      spy.mockRestore();
    }
    const text = out.join("");
    expect(text.match(/\| Metric {5}\| W\/O this patch \| With this patch \| Change {4}\|/g)).toHaveLength(6);
    for (const core of ["tsv110", "neoverse-n1", "cortex-a72"]) expect(text).toContain(`on ${core}, 2.6 GHz`);
  });

  it("rejects unknown cores and a missing --perf-bench as usage errors", () => {
    expect(() => benchCommand.run({ "perf-bench": true, core: "m1" }, [])).toThrow(/USAGE: --core/);
    expect(() => benchCommand.run({}, [])).toThrow(/USAGE: bench/);
    expect(() => benchCommand.run({ "perf-bench": true, ghz: "-1" }, [])).toThrow(/USAGE: --ghz/);
  });
});
