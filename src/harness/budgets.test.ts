import { describe, expect, it } from "vitest";
import { ExitworkFailure } from "../errors.ts";
import { type Budgets, judgeCycles, matchesPattern, parseBudgets } from "./budgets.ts";

const where = { core: "tsv110", build: "gcc.defconfig", path: "no-work" };
const base: Budgets = {
  about: "test",
  budgets: { tsv110: { "gcc.defconfig": { "no-work": 20 } } },
  acceptedRegressions: [],
};

describe("judgeCycles (P3 for one input)", () => {
  it("holds when inline is as fast as ref and within budget", () => {
    expect(judgeCycles(base, where, 18, 18)).toEqual({ ok: true });
  });

  it("fails when inline is slower than ref and no regression is accepted", () => {
    expect(judgeCycles(base, where, 17, 18)).toMatchObject({ ok: false, reason: "slower_than_ref" });
  });

  it("accepts a declared regression up to its limit, and fails again past it", () => {
    const accepted: Budgets = {
      ...base,
      acceptedRegressions: [{ ...where, maxExtraCycles: 2, reason: "the merge note trades the fast path" }],
    };
    expect(judgeCycles(accepted, where, 16, 18)).toMatchObject({ ok: true, accepted: { maxExtraCycles: 2 } });
    expect(judgeCycles(accepted, where, 15, 18)).toMatchObject({
      ok: false,
      reason: "accepted_regression_exceeded",
    });
  });

  it("fails over budget even when faster than ref", () => {
    expect(judgeCycles(base, where, 30, 21)).toMatchObject({ ok: false, reason: "over_budget" });
  });

  it("fails on a path without a budget rather than passing it", () => {
    expect(judgeCycles(base, { ...where, path: "audit" }, 1, 1)).toMatchObject({
      ok: false,
      reason: "no_budget",
    });
  });
});

describe("parseBudgets", () => {
  it("names the field of a bad entry", () => {
    const bad = {
      ...base,
      acceptedRegressions: [{ ...where, maxExtraCycles: -1, reason: "long enough reason" }],
    };
    try {
      parseBudgets(bad, "golden/budgets.json");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ExitworkFailure);
      expect((e as ExitworkFailure).error).toMatchObject({
        code: "BUDGETS_INVALID",
        path: "golden/budgets.json:acceptedRegressions.0.maxExtraCycles",
      });
    }
  });
});

describe("seeded regressions", () => {
  it("are not accepted until someone writes the reason", () => {
    const seeded: Budgets = {
      ...base,
      acceptedRegressions: [{ ...where, maxExtraCycles: 2, reason: "UNREVIEWED: seeded by exitwork golden" }],
    };
    expect(judgeCycles(seeded, where, 17, 18)).toMatchObject({
      ok: false,
      reason: "accepted_regression_unreviewed",
    });
  });
});

describe("accepted regressions with wildcards", () => {
  const wild: Budgets = {
    ...base,
    budgets: { tsv110: { "svc-inline.gcc.defconfig": { "entry|tracepoint+ptrace": 60, "entry|audit": 60 } } },
    acceptedRegressions: [
      {
        core: "*",
        build: "svc-*.gcc.*",
        path: "*tracepoint+ptrace*",
        maxExtraCycles: 3,
        reason: "GCC's layout of the ptrace report",
      },
    ],
  };
  const at = (path: string) => ({ core: "tsv110", build: "svc-inline.gcc.defconfig", path });

  it("cover every path they match, each up to the limit", () => {
    expect(judgeCycles(wild, at("entry|tracepoint+ptrace"), 50, 53)).toMatchObject({ ok: true });
    expect(judgeCycles(wild, at("entry|tracepoint+ptrace"), 50, 54)).toMatchObject({
      ok: false,
      reason: "accepted_regression_exceeded",
    });
  });

  it("do not cover a path they do not match", () => {
    expect(judgeCycles(wild, at("entry|audit"), 50, 51)).toMatchObject({
      ok: false,
      reason: "slower_than_ref",
    });
  });

  it("treat regex characters in a pattern literally", () => {
    expect(matchesPattern("a+b*", "a+bc")).toBe(true);
    expect(matchesPattern("a+b*", "aab")).toBe(false);
  });
});
