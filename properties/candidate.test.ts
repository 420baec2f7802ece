/**
 * `exitwork check --candidate`: a developer's own variant takes the place of inline. A C file is
 * compiled with the fixture flags (skipped, with the reason, where the cross tools are missing);
 * an ELF is taken as it is.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseElf } from "../src/elf/elf.ts";
import { candidateFixture } from "../src/harness/candidate.ts";
import { runCheck } from "../src/harness/check.ts";
import { C_DIR } from "../src/kernel/c/build.ts";
import { fixtureInfo, listFixtures } from "../src/kernel/fixtures.ts";
import { checkOptions } from "./support.ts";

const haveCross = spawnSync("aarch64-linux-gnu-gcc", ["--version"]).status === 0;
if (!haveCross)
  console.warn(
    "skipped: compiling a C candidate needs aarch64-linux-gnu-gcc (apt-get install gcc-aarch64-linux-gnu)",
  );

function check(candidate: ReturnType<typeof candidateFixture>) {
  const ref = listFixtures({ variant: "ref", compiler: candidate.compiler, config: candidate.config });
  return runCheck(checkOptions({ fixtures: [...ref, candidate], properties: ["P1", "P2"], runs: 300 }));
}

describe("check --candidate", () => {
  it.skipIf(!haveCross)(
    "a copy of inline.c compiles to the committed inline fixture's code and holds",
    () => {
      const dir = mkdtempSync(join(tmpdir(), "exitwork-cand-"));
      copyFileSync(join(C_DIR, "inline.c"), join(dir, "mine.c"));
      const candidate = candidateFixture(join(dir, "mine.c"), "gcc", "ftrace");
      // The symbol table names the source file, so compare the loaded code, not the whole ELF.
      const code = (path: string) => {
        const elf = parseElf(new Uint8Array(readFileSync(path)), path);
        if (!elf.ok) throw new Error(elf.error.message);
        return elf.value.segments
          .filter((s) => s.executable)
          .map((s) => Buffer.from(s.bytes).toString("hex"));
      };
      expect(code(candidate.elfPath)).toEqual(code(fixtureInfo("inline.gcc.ftrace").elfPath));
      expect(check(candidate).summary.properties.map((p) => p.status)).toEqual(["pass", "pass"]);
    },
  );

  it("a mutant's ELF given as the candidate fails P1 and P2", () => {
    const mutant = fixtureInfo("inline-mut-tracepoint-after-ptrace.clang.defconfig");
    const run = check(candidateFixture(mutant.elfPath, "clang", "defconfig"));
    expect(run.summary.properties.map((p) => p.status)).toEqual(["fail", "fail"]);
    expect(run.failures[0]?.divergence?.rule).toMatch(/strictly in the order/);
  });
});
