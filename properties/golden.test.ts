/**
 * Golden traces pin behaviour and cycles: every fixture's exhaustive sweep, rendered now, equals
 * the committed file, and golden/traces holds no file that no fixture renders. Never writes.
 */
import { statSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import {
  GOLDEN_TRACES_DIR,
  type GoldenChange,
  goldenChanges,
  goldenFixtures,
} from "../src/harness/golden.ts";

describe("golden traces", () => {
  let changes: GoldenChange[] = [];
  let rendered = new Map<string, string>();
  beforeAll(() => {
    ({ changes, rendered } = goldenChanges());
  });

  it("every fixture's trace equals golden/traces (npm run golden regenerates them)", () => {
    const changed = changes.filter((c) => c.kind !== "obsolete");
    expect(changed.map((c) => `${c.kind} ${c.file}\n${c.lines.slice(0, 12).join("\n")}`)).toEqual([]);
    // Every fixture's file, and the whole syscall's shared behaviour file.
    expect(rendered.size).toBe(goldenFixtures().length + 1);
  });

  it("golden/traces holds no obsolete file", () => {
    expect(changes.filter((c) => c.kind === "obsolete").map((c) => c.file)).toEqual([]);
  });

  it("all golden trace files together stay under 5 MB", () => {
    const total = [...rendered.keys()].reduce((sum, f) => sum + statSync(f).size, 0);
    expect(total).toBeLessThan(5 * 1024 * 1024);
    expect(GOLDEN_TRACES_DIR).toMatch(/golden\/traces\/$/);
  });
});
