/**
 * The whole-syscall fixtures as the manifest lists them: the matrix, the hashes, the listing shape
 * each layout promises (what is out of line where), the mutants' metadata, and that the exit-only
 * listing (src/kernel/fixtures.ts) never meets them.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { basename, dirname } from "node:path";
import { describe, expect, it } from "vitest";
import { ExitworkFailure } from "../../errors.ts";
import { buildOneInto, COMPILERS, CONFIGS, sha256, svcVariantPlans, TOOLS } from "../c/build.ts";
import { type ListingFunction, listFixtures, parseListing } from "../fixtures.ts";
import { SYSCALL_WORK_BITS } from "../work.ts";
import {
  minimalSyscallInputOf,
  readSvcFixture,
  SVC_VARIANTS,
  svcFixtureInfo,
  svcFixtures,
} from "./fixtures.ts";

const SVC_HOOKS = [
  "syscall_user_dispatch",
  "rseq_syscall_enter_work",
  "ptrace_report_syscall_entry",
  "__secure_computing",
  "trace_sys_enter",
  "__audit_syscall_entry",
  "exitwork_syscall_fn",
  "__audit_syscall_exit",
  "trace_sys_exit",
  "ptrace_report_syscall_exit",
  "rseq_syscall",
];

function listing(id: string): ListingFunction[] {
  return parseListing(readFileSync(svcFixtureInfo(id).listingPath, "utf8"));
}

describe("svcFixtures", () => {
  const all = svcFixtures();
  const variants = [...new Set(all.map((f) => f.variant))];

  it("lists svc-ref, svc-exit-inline, svc-inline then the mutants, each with both compilers and all three configs", () => {
    expect(variants.slice(0, 3)).toEqual([...SVC_VARIANTS]);
    expect(variants.filter((v) => v.startsWith("svc-inline-mut-")).length).toBeGreaterThanOrEqual(6);
    expect(variants).toEqual(svcVariantPlans().map((p) => p.name));
    for (const variant of variants)
      for (const compiler of COMPILERS)
        for (const config of CONFIGS)
          expect(svcFixtures({ variant, compiler, config }).map((f) => f.id)).toEqual([
            `${variant}.${compiler}.${config}`,
          ]);
    expect(all.filter((f) => f.userElfPath !== undefined).every((f) => f.config === "defconfig")).toBe(true);
    expect(all.filter((f) => f.config === "defconfig").every((f) => f.userElfPath !== undefined)).toBe(true);
  });

  it("stay out of the exit-only listing, whose hooks and driver they do not share", () => {
    const exitIds = new Set(listFixtures().map((f) => f.id));
    expect(all.filter((f) => exitIds.has(f.id))).toEqual([]);
  });

  it("hash as the manifest records", () => {
    for (const f of all) {
      expect(sha256(readSvcFixture(f.id)), f.id).toBe(f.sha256);
    }
  });

  it("reject an unknown id with a coded error", () => {
    try {
      svcFixtureInfo("inline.gcc.defconfig");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ExitworkFailure);
      expect((error as ExitworkFailure).error).toMatchObject({
        code: "EXITWORK_FIXTURE_UNKNOWN",
        path: "inline.gcc.defconfig",
      });
    }
  });
});

describe("listings: the layout of each step of the series", () => {
  it("start at exitwork_el0_svc, 0x10000; every hook a bare ret", () => {
    for (const f of svcFixtures()) {
      const fns = listing(f.id);
      expect(fns[0], f.id).toMatchObject({ name: "exitwork_el0_svc", address: 0x10000 });
      for (const hook of SVC_HOOKS)
        expect(
          fns.find((fn) => fn.name === hook)?.insns.map((i) => i.text),
          `${f.id} ${hook}`,
        ).toEqual(["ret"]);
    }
  });

  it("svc-ref calls both works out of line, svc-exit-inline only syscall_trace_enter, svc-inline neither", () => {
    for (const compiler of COMPILERS)
      for (const config of CONFIGS) {
        const calls = (variant: string, callee: string) =>
          listing(`${variant}.${compiler}.${config}`)[0]!.insns.some(
            (i) => i.text.startsWith("bl\t") && i.text.endsWith(`<${callee}>`),
          );
        expect(calls("svc-ref", "syscall_trace_enter")).toBe(true);
        expect(calls("svc-ref", "syscall_exit_work")).toBe(true);
        expect(calls("svc-exit-inline", "syscall_trace_enter")).toBe(true);
        expect(calls("svc-exit-inline", "syscall_exit_work")).toBe(false);
        expect(calls("svc-exit-inline", "ptrace_report_syscall_exit")).toBe(true);
        expect(calls("svc-inline", "syscall_trace_enter")).toBe(false);
        expect(calls("svc-inline", "syscall_exit_work")).toBe(false);
        expect(calls("svc-inline", "ptrace_report_syscall_entry")).toBe(true);
        expect(calls("svc-inline", "trace_syscall_enter")).toBe(true);
      }
  });

  it("differ from svc-inline in code for every mutant (none compiles away)", () => {
    const code = (id: string) =>
      listing(id).flatMap((fn) => fn.insns.map((i) => i.text.replace(/\b[0-9a-f]+ </g, "<")));
    for (const f of svcFixtures({ mutants: true }))
      expect(code(f.id), f.id).not.toEqual(code(`svc-inline.${f.compiler}.${f.config}`));
  });
});

describe("mutants' metadata", () => {
  it("names the rule, the work bits (as work.ts does) and a minimal input that sets them", () => {
    const shorts = SYSCALL_WORK_BITS.map((b) => b.short);
    for (const f of svcFixtures({ mutants: true })) {
      const m = f.mutant!;
      expect(f.variant).toBe(`svc-inline-mut-${m.slug}`);
      expect(m.rule).toMatch(/KERNEL\.md 6/);
      expect(m.breaks.length).toBeGreaterThan(20);
      for (const bit of m.bits) expect(shorts).toContain(bit);
      const input = minimalSyscallInputOf(m);
      for (const bit of m.bits) {
        const b = SYSCALL_WORK_BITS.find((x) => x.short === bit)!;
        expect((input.workAtEntry >> BigInt(b.bit)) & 1n, `${m.slug} ${bit}`).toBe(1n);
      }
    }
  });

  it("reads every token kind of a minimal input, and rejects one it does not know", () => {
    const mutant = { slug: "t", breaks: "", rule: "", bits: [] };
    expect(
      minimalSyscallInputOf({
        ...mutant,
        minimalInput:
          "work=TRACE|SECCOMP sud=kill entry_tracer=set_nr:-1 seccomp=errno:13 tp_nr=39 nr=-1 audit_context=1 compat=1 x7=0x77 args=1,2,3",
      }),
    ).toMatchObject({
      work: 0b101n,
      workAtEntry: 0b101n,
      sud: "kill",
      entryTracer: { kind: "set_nr", nr: -1 },
      seccomp: { kind: "errno", errno: 13 },
      tracepointNr: 39,
      auditContext: true,
      compat: true,
      regs: { syscallno: -1, x7: 0x77n },
      args: [1n, 2n, 3n],
    });
    expect(() => minimalSyscallInputOf({ ...mutant, minimalInput: "seccomp=maybe" })).toThrow(
      ExitworkFailure,
    );
  });
});

const compilers = [TOOLS.gcc, TOOLS.clang, TOOLS.ld, TOOLS.objdump].every(
  (tool) => spawnSync(tool, ["--version"]).status === 0,
);
if (!compilers)
  console.warn(
    "entry fixtures.test: cross compilers missing (apt-get install gcc-aarch64-linux-gnu clang-16): rebuild check skipped",
  );

describe("rebuild", () => {
  it.skipIf(!compilers)(
    "gives the committed bytes again (svc-inline clang defconfig, kernel and user builds)",
    () => {
      const built = buildOneInto("svc-inline", "clang", "defconfig");
      try {
        const info = svcFixtureInfo(built.id);
        expect(sha256(readFileSync(built.elf))).toBe(info.sha256);
        expect(readFileSync(built.listing, "utf8")).toBe(readFileSync(info.listingPath, "utf8"));
        expect(sha256(readFileSync(built.userElf!))).toBe(sha256(readFileSync(info.userElfPath!)));
      } finally {
        rmSync(built.dir, { recursive: true, force: true });
      }
    },
  );
});

const binutils = [TOOLS.nm, TOOLS.objdump].every((tool) => spawnSync(tool, ["--version"]).status === 0);
if (!binutils)
  console.warn("entry fixtures.test: aarch64-linux-gnu-nm/objdump missing: user-vs-kernel check skipped");

describe("user-mode builds", () => {
  it.skipIf(!binutils)(
    "hold the kernel build's code, with `current` read from tpidr_el0 instead of sp_el0",
    () => {
      const normalised = (fn: ListingFunction) => fn.insns.map((i) => i.text.replace(/\b[0-9a-f]+ </g, "<"));
      for (const f of svcFixtures({ mutants: false, config: "defconfig" })) {
        const userElf = f.userElfPath!;
        const kernel = listing(f.id).filter((fn) => !SVC_HOOKS.includes(fn.name));
        const nm = spawnSync(TOOLS.nm, ["-S", basename(userElf)], {
          cwd: dirname(userElf),
          encoding: "utf8",
        }).stdout;
        let currentReads = 0;
        for (const kfn of kernel) {
          const m = new RegExp(`^([0-9a-f]+) ([0-9a-f]+) T ${kfn.name}$`, "m").exec(nm);
          expect(m, `${f.id}: ${kfn.name} in the user build`).not.toBeNull();
          const start = Number.parseInt(m![1]!, 16);
          const stop = start + Number.parseInt(m![2]!, 16);
          const dump = spawnSync(
            TOOLS.objdump,
            [
              "-d",
              `--start-address=0x${start.toString(16)}`,
              `--stop-address=0x${stop.toString(16)}`,
              basename(userElf),
            ],
            { cwd: dirname(userElf), encoding: "utf8" },
          ).stdout;
          const user = normalised(parseListing(dump).find((fn) => fn.name === kfn.name)!);
          const k = normalised(kfn);
          while (k.length > user.length && /^(udf\t#0|nop)$/.test(k[k.length - 1]!)) k.pop();
          const expected = k.map((line) => {
            if (!/^mrs\tx\d+, sp_el0$/.test(line)) return line;
            currentReads++;
            return line.replace("sp_el0", "tpidr_el0");
          });
          expect(user, `${f.id} ${kfn.name}`).toEqual(expected);
        }
        expect(currentReads, f.id).toBeGreaterThan(0);
      }
    },
  );
});
