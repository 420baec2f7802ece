/**
 * Runs a fixture's user-mode build under qemu-aarch64: real AArch64 execution of the same
 * compiled variant, as an independent check of the simulated core.
 *
 * The driver (src/kernel/c/user/driver.c) reads one line of hexadecimal fields per input and
 * prints one JSON line per outcome; a whole batch is one qemu process.
 */
import { spawnSync } from "node:child_process";
import { z } from "zod";
import { fail } from "../errors.ts";
import type { Effect, ExitOutcome } from "../kernel/effects.ts";
import { fixtureInfo } from "../kernel/fixtures.ts";
import type { ExitFinalState, ExitInput, TracerAction } from "../kernel/state.ts";
import { _TIF_32BIT } from "../kernel/work.ts";

export const QEMU = "qemu-aarch64";
/** cortex-a72 is ARMv8.0: PACIASP/AUTIASP/BTI execute as the hint-space NOPs they are there. */
export const QEMU_CPU = "cortex-a72";

let available: boolean | undefined;

export function qemuAvailable(): boolean {
  available ??= spawnSync(QEMU, ["--version"], { encoding: "utf8" }).status === 0;
  return available;
}

const TRACER_CODE: Record<TracerAction["kind"], number> = {
  none: 0,
  write_x0: 1,
  write_scratch: 2,
  write_both: 3,
};

function hex64(value: bigint): string {
  return BigInt.asUintN(64, value).toString(16);
}

/** One driver input line (field order documented in driver.c). */
export function encodeInput(input: ExitInput): string {
  const tracer = input.tracer;
  const tracerX0 = tracer.kind === "write_x0" || tracer.kind === "write_both" ? tracer.x0 : 0n;
  const tracerScratch = tracer.kind === "write_scratch" || tracer.kind === "write_both" ? tracer.scratch : 0n;
  // state.ts: TIF_32BIT is taken from `compat`; the driver ORs it back in.
  const withoutCompat = (flags: bigint): bigint => flags & ~_TIF_32BIT;
  return [
    input.work,
    input.workAtEntry,
    withoutCompat(input.tifFlags),
    withoutCompat(input.tifFlagsAtEntry),
    input.onDispatch ? 1n : 0n,
    input.auditContext ? 1n : 0n,
    input.compat ? 1n : 0n,
    input.regs.x0,
    input.regs.x7,
    input.regs.x12,
    input.regs.orig_x0,
    BigInt.asUintN(32, BigInt(input.regs.syscallno)),
    BigInt(TRACER_CODE[tracer.kind]),
    tracerX0,
    tracerScratch,
  ]
    .map(hex64)
    .join(" ");
}

export const hexValue = z.string().regex(/^0x[0-9a-f]{1,16}$/);

/** The exit effects as the drivers print them (both drivers, user/driver.c and user/svc_driver.c). */
export const EXIT_EFFECT_SCHEMAS = [
  z.object({ kind: z.literal("rseq_check") }),
  z.object({ kind: z.literal("on_dispatch_cleared") }),
  z.object({ kind: z.literal("audit_exit"), success: z.boolean(), returnCode: hexValue }),
  z.object({ kind: z.literal("sys_exit"), ret: hexValue }),
  z.object({
    kind: z.literal("ptrace_exit"),
    step: z.boolean(),
    scratchReg: z.enum(["x7", "r12"]),
    x0: hexValue,
    scratch: hexValue,
  }),
] as const;

const effectSchema = z.discriminatedUnion("kind", [...EXIT_EFFECT_SCHEMAS]);

/** pt_regs and on_dispatch after a run, as the drivers print them. */
export const finalSchema = z.object({
  x0: hexValue,
  x7: hexValue,
  x12: hexValue,
  orig_x0: hexValue,
  syscallno: z.number().int(),
  onDispatch: z.boolean(),
});

const outcomeSchema = z.object({ effects: z.array(effectSchema), final: finalSchema });

/** effects.ts: audit's return_code and the tracepoint's ret are signed longs; registers are u64. */
export function toExitEffect(raw: z.infer<typeof effectSchema>): Effect {
  switch (raw.kind) {
    case "rseq_check":
    case "on_dispatch_cleared":
      return { kind: raw.kind };
    case "audit_exit":
      return {
        kind: "audit_exit",
        success: raw.success,
        returnCode: BigInt.asIntN(64, BigInt(raw.returnCode)),
      };
    case "sys_exit":
      return { kind: "sys_exit", ret: BigInt.asIntN(64, BigInt(raw.ret)) };
    case "ptrace_exit":
      return { ...raw, x0: BigInt(raw.x0), scratch: BigInt(raw.scratch) };
  }
}

export function finalFromJson(f: z.infer<typeof finalSchema>): ExitFinalState {
  return {
    regs: {
      x0: BigInt(f.x0),
      x7: BigInt(f.x7),
      x12: BigInt(f.x12),
      orig_x0: BigInt(f.orig_x0),
      syscallno: f.syscallno,
    },
    onDispatch: f.onDispatch,
  };
}

/**
 * One qemu-aarch64 process over a user-mode build: the encoded inputs on stdin, one JSON line per
 * input back, each checked by `schema`. Failures (no qemu, no user build, a crash, unreadable
 * output) are ExitworkFailure values with an EXITWORK_QEMU_* code.
 */
export function runDriver<S extends z.ZodType>(
  fixtureId: string,
  elf: string | undefined,
  lines: readonly string[],
  schema: S,
): z.infer<S>[] {
  if (elf === undefined) {
    return fail(
      "EXITWORK_QEMU_NO_USER_BUILD",
      fixtureId,
      "this fixture has no user-mode build (defconfig only)",
    );
  }
  if (lines.length === 0) return [];
  if (!qemuAvailable())
    return fail("EXITWORK_QEMU_MISSING", QEMU, "not installed (apt-get install qemu-user)");
  const result = spawnSync(QEMU, ["-cpu", QEMU_CPU, elf], {
    input: `${lines.join("\n")}\n`,
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.error || result.status !== 0) {
    const why = result.error?.message ?? (result.stderr.trim() || `exit status ${result.status}`);
    return fail("EXITWORK_QEMU_RUN", elf, why);
  }
  const out = result.stdout.split("\n").filter((l) => l.length > 0);
  if (out.length !== lines.length) {
    return fail("EXITWORK_QEMU_OUTPUT", elf, `${out.length} outcomes for ${lines.length} inputs`);
  }
  return out.map((line, index) => {
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      return fail("EXITWORK_QEMU_OUTPUT", `${elf}:${index + 1}`, "not JSON");
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return fail("EXITWORK_QEMU_OUTPUT", `${elf}:${index + 1}#${issue.path.join(".")}`, issue.message);
    }
    return parsed.data as z.infer<S>;
  });
}

/**
 * Runs every input through the fixture's user-mode build in one qemu-aarch64 process.
 * Failures (no qemu, no user build, CONFIG_DEBUG_RSEQ asked of a fixture built without it,
 * a crash, unreadable output) are ExitworkFailure values with an EXITWORK_QEMU_* code.
 */
export function runQemu(fixtureId: string, inputs: readonly ExitInput[]): ExitOutcome[] {
  const info = fixtureInfo(fixtureId);
  const rseqIndex = inputs.findIndex((i) => i.debugRseq);
  if (rseqIndex >= 0) {
    return fail(
      "EXITWORK_QEMU_DEBUG_RSEQ",
      `${fixtureId} input ${rseqIndex}`,
      "the fixtures are built without CONFIG_DEBUG_RSEQ",
    );
  }
  return runDriver(fixtureId, info.userElfPath, inputs.map(encodeInput), outcomeSchema).map((raw) => ({
    effects: raw.effects.map(toExitEffect),
    final: finalFromJson(raw.final),
  }));
}
