import { describe, expect, it } from "vitest";
import { applyOverrides, parseCoreOverrides, parseCoreParams } from "./core.ts";
import { cores } from "./cores/index.ts";
import { simulate } from "./pipeline.ts";
import { repeatStream } from "./synthetic.ts";

describe("core overrides", () => {
  it("--core-param assignments become validated overrides", () => {
    const parsed = parseCoreParams(["robSize=64", "class.load.latency=5", "class.call.uops=2"]);
    expect(parsed).toEqual({
      ok: true,
      value: { params: { robSize: 64 }, classes: { load: { latency: 5 }, call: { uops: 2 } } },
    });
  });

  it("unknown names, bad numbers and syntax are coded errors with a path", () => {
    const unknown = parseCoreParams(["robSzie=64"]);
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) expect(unknown.errors[0]).toMatchObject({ path: "--core-param.params" });
    const negative = parseCoreOverrides({ params: { robSize: -1 } }, "core.json");
    expect(negative.ok).toBe(false);
    if (!negative.ok) expect(negative.errors[0]).toMatchObject({ path: "core.json.params.robSize" });
    const badKind = parseCoreOverrides({ classes: { flux: { latency: 1 } } });
    expect(badKind.ok).toBe(false);
    const syntax = parseCoreParams(["robSize"]);
    expect(syntax).toMatchObject({ ok: false, errors: [{ code: "core_param_syntax" }] });
  });

  it("applying overrides changes the numbers, the timing, and what counts as an assumption", () => {
    const parsed = parseCoreParams(["icacheMissPenalty=40", "class.load.latency=9"]);
    if (!parsed.ok) throw new Error("parse failed");
    const slow = applyOverrides(cores.tsv110, parsed.value);
    expect(slow.params.icacheMissPenalty).toBe(40);
    expect(slow.classes.load.latency).toBe(9);
    expect(slow.classes.load.pipes).toEqual(cores.tsv110.classes.load.pipes);
    const wb = applyOverrides(cores.tsv110, { classes: { load_wb: { latency: 6 } } });
    expect(wb.classes.load_wb.mcaDefLatencies).toEqual([6, 1]);
    expect(slow.assumptions).not.toContain("icacheMissPenalty");
    expect(cores.tsv110.params.icacheMissPenalty).toBe(11);
    const stream = repeatStream(300);
    const options = { mode: "cold", frontEnd: true } as const;
    expect(simulate(slow, stream, options).totalCycles).toBeGreaterThan(
      simulate(cores.tsv110, stream, options).totalCycles,
    );
  });
});
