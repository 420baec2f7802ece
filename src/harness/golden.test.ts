import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { exitDomain } from "./domain.ts";
import { describeChanges, goldenChanges, goldenFile, writeGolden } from "./golden.ts";

describe("golden traces: what changed", () => {
  const fixtures = [{ info: exitDomain.fixtureInfo("inline.clang.defconfig"), domain: exitDomain }];
  const dir = mkdtempSync(join(tmpdir(), "exitwork-golden-"));
  writeGolden(fixtures, dir);
  const file = goldenFile(fixtures[0]!.info, dir);
  const original = readFileSync(file, "utf8");

  it("finds nothing when the file is as the fixture renders it", () => {
    expect(goldenChanges(fixtures, dir).changes).toEqual([]);
  });

  it("tells a cycle change apart from a behaviour change", () => {
    writeFileSync(
      file,
      original.replace(/^ {2}no-work: (\d+)/m, (_m, n) => `  no-work: ${Number(n) + 1}`),
    );
    const [cycles] = goldenChanges(fixtures, dir).changes;
    expect(cycles).toMatchObject({ kind: "changed", behaviour: false, cycles: true });
    expect(describeChanges([cycles!], dir).join("\n")).toMatch(/cycles changed \(behaviour unchanged\)/);

    writeFileSync(file, original.replace("sys_exit ret=", "sys_exit ret=1"));
    const [behaviour] = goldenChanges(fixtures, dir).changes;
    expect(behaviour).toMatchObject({ kind: "changed", behaviour: true, cycles: false });
    expect(describeChanges([behaviour!], dir).join("\n")).toMatch(/BEHAVIOUR changed/);
  });

  it("reports a file no fixture renders as obsolete", () => {
    writeFileSync(file, original);
    writeFileSync(join(dir, "gone.gcc.defconfig.txt"), "old\n");
    expect(goldenChanges(fixtures, dir).changes.map((c) => c.kind)).toEqual(["obsolete"]);
  });
});
