import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { basename, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ExitworkFailure } from "../errors.ts";
import {
  buildOneInto,
  COMPILERS,
  CONFIGS,
  currentFlags,
  sha256,
  sourceHashes,
  TOOLS,
  USER_CONFIGS,
  variantPlans,
} from "./c/build.ts";
import {
  FIXTURE_ROOT,
  fixtureInfo,
  type ListingFunction,
  listFixtures,
  minimalInputOf,
  parseListing,
  readFixture,
  readManifest,
} from "./fixtures.ts";
import { SYSCALL_WORK_BITS } from "./work.ts";

const HOOKS = [
  "exitwork_syscall_body",
  "__audit_syscall_exit",
  "trace_sys_exit",
  "ptrace_report_syscall_exit",
  "rseq_syscall",
];

function hasTool(tool: string): boolean {
  return spawnSync(tool, ["--version"]).status === 0;
}
const objdump = hasTool(TOOLS.objdump);
const nm = hasTool(TOOLS.nm);
const compilers = hasTool(TOOLS.gcc) && hasTool(TOOLS.clang) && hasTool(TOOLS.ld) && objdump;
for (const [present, what] of [
  [
    objdump && nm,
    "aarch64-linux-gnu-objdump/nm missing (apt-get install binutils-aarch64-linux-gnu): listing checks skipped",
  ],
  [
    compilers,
    "cross compilers missing (apt-get install gcc-aarch64-linux-gnu clang-16): rebuild check skipped",
  ],
] as const) {
  if (!present) console.warn(`fixtures.test: ${what}`);
}

function listing(id: string): ListingFunction[] {
  return parseListing(readFileSync(fixtureInfo(id).listingPath, "utf8"));
}

function functionNames(id: string): string[] {
  return listing(id).map((f) => f.name);
}

/** Instruction text with absolute addresses dropped, trailing alignment padding removed. */
function normalised(fn: ListingFunction): string[] {
  const lines = fn.insns.map((i) => i.text.replace(/\b[0-9a-f]+ </g, "<"));
  while (lines.length > 0 && /^(udf\t#0|nop)$/.test(lines[lines.length - 1]!)) lines.pop();
  return lines;
}

describe("manifest", () => {
  const manifest = readManifest();
  const variants = [...new Set(manifest.fixtures.map((f) => f.variant))];

  it("holds the whole matrix: every variant with both compilers and all three configs", () => {
    expect(variants.slice(0, 3)).toEqual(["ref", "inline", "legacy"]);
    expect(variants.filter((v) => v.startsWith("inline-mut-")).length).toBeGreaterThanOrEqual(8);
    for (const variant of variants) {
      for (const compiler of COMPILERS) {
        for (const config of CONFIGS) {
          expect(listFixtures({ variant, compiler, config }).map((f) => f.id)).toEqual([
            `${variant}.${compiler}.${config}`,
          ]);
        }
      }
    }
  });

  it("is not stale: C sources, build script and flags hash as when the fixtures were built", () => {
    expect(sourceHashes()).toEqual(manifest.sources);
    expect(JSON.parse(JSON.stringify(currentFlags()))).toEqual(manifest.flags);
    expect(variantPlans().map((p) => p.name)).toEqual(variants);
  });

  it("records the sha256 of every ELF, listing and user-mode ELF on disk", () => {
    for (const f of manifest.fixtures) {
      expect(sha256(readFileSync(`${FIXTURE_ROOT}/${f.elf}`)), f.id).toBe(f.sha256.elf);
      expect(sha256(readFileSync(`${FIXTURE_ROOT}/${f.listing}`)), f.id).toBe(f.sha256.listing);
      expect(f.userElf !== undefined, f.id).toBe(USER_CONFIGS.includes(f.config));
      if (f.userElf)
        expect(sha256(readFileSync(`${FIXTURE_ROOT}/${f.userElf}`)), f.id).toBe(f.sha256.userElf);
    }
  });

  it("gives every mutant its metadata, with work bits named as in work.ts", () => {
    const shorts = SYSCALL_WORK_BITS.map((b) => b.short);
    const mutants = listFixtures({ mutants: true });
    expect(mutants.length).toBe(variants.filter((v) => v.startsWith("inline-mut-")).length * 6);
    for (const f of mutants) {
      const m = f.mutant!;
      expect(f.variant).toBe(`inline-mut-${m.slug}`);
      expect(m.breaks.length).toBeGreaterThan(20);
      expect(m.rule).toMatch(/KERNEL\.md/);
      expect(m.bits.length).toBeGreaterThan(0);
      for (const bit of m.bits) expect(shorts).toContain(bit);
      const input = minimalInputOf(m);
      for (const bit of m.bits) {
        const entry = SYSCALL_WORK_BITS.find((b) => b.short === bit)!;
        expect((input.work >> BigInt(entry.bit)) & 1n, `${m.slug} ${bit}`).toBe(1n);
      }
    }
  });
});

describe("readFixture / fixtureInfo", () => {
  it("returns the ELF bytes whose hash the manifest records", () => {
    const bytes = readFixture("ref.gcc.defconfig");
    expect([...bytes.subarray(0, 4)]).toEqual([0x7f, 0x45, 0x4c, 0x46]);
    expect(sha256(bytes)).toBe(fixtureInfo("ref.gcc.defconfig").sha256);
  });

  it("rejects an unknown id with a coded error", () => {
    expect(() => readFixture("ref.icc.defconfig")).toThrow(ExitworkFailure);
    try {
      readFixture("ref.icc.defconfig");
    } catch (error) {
      expect((error as ExitworkFailure).error).toMatchObject({
        code: "EXITWORK_FIXTURE_UNKNOWN",
        path: "ref.icc.defconfig",
      });
    }
  });
});

describe("listings: the shape the contract promises", () => {
  const ids = listFixtures().map((f) => f.id);

  it("start at exitwork_el0_svc, 0x10000, and end with the hooks, each a bare ret", () => {
    for (const id of ids) {
      const fns = listing(id);
      expect(fns[0], id).toMatchObject({ name: "exitwork_el0_svc", address: 0x10000 });
      for (const hook of HOOKS) {
        const fn = fns.find((f) => f.name === hook);
        expect(
          fn?.insns.map((i) => i.text),
          `${id} ${hook}`,
        ).toEqual(["ret"]);
      }
    }
  });

  it("keep syscall_exit_work out of line in ref, inline it in inline, and call syscall_trace_exit in legacy", () => {
    for (const compiler of COMPILERS) {
      for (const config of CONFIGS) {
        const suffix = `${compiler}.${config}`;
        const calls = (id: string, callee: string) =>
          listing(id)[0]!.insns.some((i) => i.text.startsWith("bl\t") && i.text.endsWith(`<${callee}>`));
        expect(functionNames(`ref.${suffix}`)).toContain("syscall_exit_work");
        expect(calls(`ref.${suffix}`, "syscall_exit_work")).toBe(true);
        expect(functionNames(`inline.${suffix}`)).not.toContain("syscall_exit_work");
        expect(calls(`inline.${suffix}`, "trace_syscall_exit")).toBe(true);
        expect(calls(`inline.${suffix}`, "ptrace_report_syscall_exit")).toBe(true);
        expect(calls(`legacy.${suffix}`, "syscall_trace_exit")).toBe(true);
      }
    }
  });

  it("show each config's marks: patchable NOPs (ftrace), BTI landing pads and Clang's shadow call stack (hardened)", () => {
    for (const compiler of COMPILERS) {
      const first = (config: string) => listing(`inline.${compiler}.${config}`)[0]!.insns.map((i) => i.text);
      expect(first("defconfig")[0]).toBe("paciasp");
      expect(first("ftrace").slice(0, 2)).toEqual(["nop", "nop"]);
      // GCC relies on PACIASP being an implicit `bti c` landing pad (Arm ARM, BTI), so its
      // hardened code equals its defconfig code here; Clang emits `bti c` explicitly.
      expect(first("hardened")[0]).toBe(compiler === "clang" ? "bti\tc" : "paciasp");
      expect(first("hardened").some((t) => t.startsWith("str\tx30, [x18], #8"))).toBe(compiler === "clang");
    }
  });

  it("differ from inline in code for every mutant, compiler and config (no mutant compiles away)", () => {
    for (const f of listFixtures({ mutants: true })) {
      const code = (id: string) => listing(id).flatMap(normalised);
      expect(code(f.id), f.id).not.toEqual(code(`inline.${f.compiler}.${f.config}`));
    }
  });
});

describe("listings against the ELFs (objdump)", () => {
  it.skipIf(!objdump)("match a fresh objdump -d of every committed ELF (one objdump process)", () => {
    const fixtures = listFixtures();
    const result = spawnSync(TOOLS.objdump, ["-d", ...fixtures.map((f) => basename(f.elfPath))], {
      cwd: FIXTURE_ROOT,
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(result.status).toBe(0);
    // One process prints the listings back to back; cut it at the committed lengths.
    let offset = 0;
    for (const f of fixtures) {
      const committed = readFileSync(f.listingPath, "utf8");
      expect(result.stdout.slice(offset, offset + committed.length), f.id).toBe(committed);
      offset += committed.length;
    }
    expect(offset).toBe(result.stdout.length);
  });

  it.skipIf(!(objdump && nm))(
    "user-mode builds differ from kernel builds only in the `current` read (sp_el0 -> tpidr_el0)",
    () => {
      const userBuilds = listFixtures().filter((x) => x.userElfPath);
      const userDir = dirname(userBuilds[0]!.userElfPath!);
      // One nm process for all user builds; it heads each file's symbols with "\n<file>:".
      const nmOut = spawnSync(TOOLS.nm, ["-S", ...userBuilds.map((f) => basename(f.userElfPath!))], {
        cwd: userDir,
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
      }).stdout;
      for (const f of userBuilds) {
        const kernel = listing(f.id).filter((fn) => !HOOKS.includes(fn.name));
        const userElf = f.userElfPath!;
        const header = `\n${basename(userElf)}:\n`;
        const from = nmOut.indexOf(header);
        expect(from, `${f.id}: nm output`).toBeGreaterThanOrEqual(0);
        const next = nmOut.indexOf(".elf:\n", from + header.length);
        const symbols = { stdout: nmOut.slice(from, next < 0 ? undefined : next) };
        const ranges = kernel.map((fn) => {
          const m = new RegExp(`^([0-9a-f]+) ([0-9a-f]+) T ${fn.name}$`, "m").exec(symbols.stdout);
          expect(m, `${f.id}: ${fn.name} in the user build`).not.toBeNull();
          const start = Number.parseInt(m![1]!, 16);
          return [start, start + Number.parseInt(m![2]!, 16)] as const;
        });
        const start = Math.min(...ranges.map((r) => r[0]));
        const stop = Math.max(...ranges.map((r) => r[1]));
        const dump = spawnSync(
          TOOLS.objdump,
          [
            "-d",
            `--start-address=0x${start.toString(16)}`,
            `--stop-address=0x${stop.toString(16)}`,
            basename(userElf),
          ],
          { cwd: dirname(userElf), encoding: "utf8" },
        );
        const user = parseListing(dump.stdout);
        expect(user.map((fn) => fn.name).sort(), f.id).toEqual(kernel.map((fn) => fn.name).sort());
        let currentReads = 0;
        for (const kfn of kernel) {
          const k = normalised(kfn);
          const u = normalised(user.find((fn) => fn.name === kfn.name)!);
          expect(u.length, `${f.id} ${kfn.name}`).toBe(k.length);
          k.forEach((line, i) => {
            if (/^mrs\tx\d+, sp_el0$/.test(line)) {
              currentReads++;
              expect(u[i], `${f.id} ${kfn.name} #${i}`).toBe(line.replace("sp_el0", "tpidr_el0"));
            } else expect(u[i], `${f.id} ${kfn.name} #${i}`).toBe(line);
          });
        }
        expect(currentReads, f.id).toBeGreaterThan(0);
      }
    },
  );
});

describe("build.sh", () => {
  it("names the apt-get packages in one line and exits 2 when a tool is missing", () => {
    const result = spawnSync("/bin/bash", [fileURLToPath(new URL("./c/build.sh", import.meta.url))], {
      env: { PATH: "/nonexistent" },
      encoding: "utf8",
    });
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(/missing aarch64-linux-gnu-gcc .*apt-get install gcc-aarch64-linux-gnu /);
  });
});

describe("rebuild", () => {
  it.skipIf(!compilers)(
    "gives the committed bytes again (gcc defconfig inline, clang hardened legacy)",
    () => {
      for (const [variant, compiler, config] of [
        ["inline", "gcc", "defconfig"],
        ["legacy", "clang", "hardened"],
      ] as const) {
        const built = buildOneInto(variant, compiler, config);
        try {
          const info = fixtureInfo(built.id);
          expect(sha256(readFileSync(built.elf)), built.id).toBe(info.sha256);
          expect(readFileSync(built.listing, "utf8"), built.id).toBe(readFileSync(info.listingPath, "utf8"));
          if (built.userElf)
            expect(sha256(readFileSync(built.userElf))).toBe(sha256(readFileSync(info.userElfPath!)));
        } finally {
          rmSync(built.dir, { recursive: true, force: true });
        }
      }
    },
  );
});
