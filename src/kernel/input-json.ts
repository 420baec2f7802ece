/**
 * ExitInput <-> JSON. 64-bit values are written as "0x..." hex strings so a report or a
 * regression case replays bit for bit (JSON numbers lose precision past 2^53).
 */
import { z } from "zod";
import type { ExitInput, TracerAction } from "./state.ts";

export const u64Schema = z
  .string()
  .regex(/^0x[0-9a-f]{1,16}$/, "a 64-bit value as 0x followed by 1 to 16 lower-case hex digits")
  .transform((s) => BigInt(s));

const tracerSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("none") }),
  z.object({ kind: z.literal("write_x0"), x0: u64Schema }),
  z.object({ kind: z.literal("write_scratch"), scratch: u64Schema }),
  z.object({ kind: z.literal("write_both"), x0: u64Schema, scratch: u64Schema }),
]);

export const exitInputSchema = z.object({
  work: u64Schema,
  workAtEntry: u64Schema,
  tifFlags: u64Schema,
  tifFlagsAtEntry: u64Schema,
  onDispatch: z.boolean(),
  auditContext: z.boolean(),
  compat: z.boolean(),
  regs: z.object({
    x0: u64Schema,
    x7: u64Schema,
    x12: u64Schema,
    orig_x0: u64Schema,
    syscallno: z.number().int().min(-0x80000000).max(0x7fffffff),
  }),
  tracer: tracerSchema,
  debugRseq: z.boolean(),
});

export type ExitInputJson = z.input<typeof exitInputSchema>;

/** An unsigned 64-bit hex string for any bigint (negative values wrap as the register would hold them). */
export function u64Hex(value: bigint): string {
  return `0x${BigInt.asUintN(64, value).toString(16)}`;
}

function tracerToJson(tracer: TracerAction): ExitInputJson["tracer"] {
  switch (tracer.kind) {
    case "none":
      return { kind: "none" };
    case "write_x0":
      return { kind: "write_x0", x0: u64Hex(tracer.x0) };
    case "write_scratch":
      return { kind: "write_scratch", scratch: u64Hex(tracer.scratch) };
    case "write_both":
      return { kind: "write_both", x0: u64Hex(tracer.x0), scratch: u64Hex(tracer.scratch) };
  }
}

export function inputToJson(input: ExitInput): ExitInputJson {
  return {
    work: u64Hex(input.work),
    workAtEntry: u64Hex(input.workAtEntry),
    tifFlags: u64Hex(input.tifFlags),
    tifFlagsAtEntry: u64Hex(input.tifFlagsAtEntry),
    onDispatch: input.onDispatch,
    auditContext: input.auditContext,
    compat: input.compat,
    regs: {
      x0: u64Hex(input.regs.x0),
      x7: u64Hex(input.regs.x7),
      x12: u64Hex(input.regs.x12),
      orig_x0: u64Hex(input.regs.orig_x0),
      syscallno: input.regs.syscallno,
    },
    tracer: tracerToJson(input.tracer),
    debugRseq: input.debugRseq,
  };
}

export function inputFromJson(json: unknown): ExitInput {
  return exitInputSchema.parse(json);
}
