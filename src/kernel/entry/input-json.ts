/**
 * SyscallInput <-> JSON, for counterexample reports and regression cases of the whole-syscall
 * subject: the exit side's fields as kernel/input-json.ts writes them, plus the entry decisions.
 */
import { z } from "zod";
import { exitInputSchema, inputToJson, u64Hex, u64Schema } from "../input-json.ts";
import type { SyscallInput } from "./types.ts";

const u64 = u64Schema;
const nr = z.number().int().min(-0x80000000).max(0x7fffffff);

export const syscallInputSchema = exitInputSchema.extend({
  args: z.tuple([u64, u64, u64]),
  sud: z.enum(["allow", "dispatch", "kill"]),
  entryTracer: z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("none") }),
    z.object({ kind: z.literal("set_nr"), nr }),
    z.object({ kind: z.literal("skip") }),
    z.object({ kind: z.literal("write_scratch"), scratch: u64 }),
  ]),
  seccomp: z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("allow") }),
    z.object({ kind: z.literal("errno"), errno: z.number().int().min(1).max(4095) }),
    z.object({ kind: z.literal("skip") }),
  ]),
  tracepointNr: nr.nullable(),
});

export type SyscallInputJson = z.input<typeof syscallInputSchema>;

export function syscallInputToJson(input: SyscallInput): SyscallInputJson {
  const t = input.entryTracer;
  return {
    ...inputToJson(input),
    args: [u64Hex(input.args[0]), u64Hex(input.args[1]), u64Hex(input.args[2])],
    sud: input.sud,
    entryTracer: t.kind === "write_scratch" ? { kind: "write_scratch", scratch: u64Hex(t.scratch) } : t,
    seccomp: input.seccomp,
    tracepointNr: input.tracepointNr,
  };
}

export function syscallInputFromJson(json: unknown): SyscallInput {
  return syscallInputSchema.parse(json);
}
