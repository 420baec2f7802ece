import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { PT_REGS, regOffset, TASK } from "./layout.ts";

const SHIM = fileURLToPath(new URL("./c/shim.h", import.meta.url));
const shim = readFileSync(SHIM, "utf8");

/** shim.h member path -> layout.ts name, for every offset the shim pins. */
function layoutName(type: string, member: string): string {
  if (type === "struct pt_regs") return `PT_REGS.${member}`;
  return `TASK.${member.replaceAll(".", "_")}`;
}

function headerChecks(): Map<string, number> {
  const checks = new Map<string, number>();
  for (const m of shim.matchAll(/^EXITWORK_CHECK_OFFSET\((struct \w+), ([\w.]+), (0x[0-9a-f]+|\d+)\);$/gm)) {
    checks.set(layoutName(m[1]!, m[2]!), Number(m[3]!));
  }
  for (const m of shim.matchAll(/^EXITWORK_CHECK_SIZE\((struct \w+), (0x[0-9a-f]+|\d+)\);$/gm)) {
    checks.set(`${m[1] === "struct pt_regs" ? "PT_REGS" : "TASK"}.size`, Number(m[2]!));
  }
  return checks;
}

function layoutEntries(): Map<string, number> {
  const entries = new Map<string, number>();
  for (const [k, v] of Object.entries(PT_REGS)) entries.set(`PT_REGS.${k}`, v);
  for (const [k, v] of Object.entries(TASK)) entries.set(`TASK.${k}`, v);
  return entries;
}

describe("shim.h layout against layout.ts", () => {
  it("pins every layout.ts offset and size, with the same numbers", () => {
    expect(Object.fromEntries(headerChecks())).toEqual(Object.fromEntries(layoutEntries()));
  });

  it("uses one regs[] slot per register, so x7 and x12 sit where the hooks look", () => {
    expect(shim).toMatch(/^\tu64 regs\[31\];$/m);
    expect(regOffset(7)).toBe(56);
    expect(regOffset(12)).toBe(96);
  });

  const gcc = spawnSync("aarch64-linux-gnu-gcc", ["--version"]).status === 0;
  it.skipIf(!gcc)("compiles: the _Static_asserts of shim.h hold for the arm64 ABI", () => {
    const result = spawnSync(
      "aarch64-linux-gnu-gcc",
      ["-fsyntax-only", "-ffreestanding", "-nostdinc", "-x", "c", "-"],
      { input: `#include "${SHIM}"\n`, encoding: "utf8" },
    );
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
  });
  if (!gcc)
    console.warn(
      "layout.test: aarch64-linux-gnu-gcc missing (apt-get install gcc-aarch64-linux-gnu); compile check skipped",
    );
});
