/**
 * Observable effects of the exit path, in the order they happen, and their one text form.
 */
import type { ExitFinalState } from "./state.ts";

export type ScratchRegister = "x7" | "r12";

export type Effect =
  /** rseq debug check (generic: first; legacy: last). Only with CONFIG_DEBUG_RSEQ. */
  | { readonly kind: "rseq_check" }
  /** The SUD gate stored on_dispatch = false. */
  | { readonly kind: "on_dispatch_cleared" }
  /** __audit_syscall_exit(success, return_code); return_code is a signed long. */
  | { readonly kind: "audit_exit"; readonly success: boolean; readonly returnCode: bigint }
  /** The raw_syscalls:sys_exit event; ret is a signed long. */
  | { readonly kind: "sys_exit"; readonly ret: bigint }
  /**
   * ptrace_report_syscall_exit(regs, step): what the tracer sees in x0 and in the scratch
   * register at the moment of the stop (both as 64-bit register values).
   */
  | {
      readonly kind: "ptrace_exit";
      readonly step: boolean;
      readonly scratchReg: ScratchRegister;
      readonly x0: bigint;
      readonly scratch: bigint;
    };

export type EffectKind = Effect["kind"];

export interface ExitOutcome {
  readonly effects: readonly Effect[];
  readonly final: ExitFinalState;
}

/** 64-bit value as hex; negative (signed) values as -0x... */
export function hex(value: bigint): string {
  return value < 0n ? `-0x${(-value).toString(16)}` : `0x${value.toString(16)}`;
}

/** The one text form of an effect, a line each; used by every report and golden file. */
export function formatEffect(effect: Effect): string {
  switch (effect.kind) {
    case "rseq_check":
      return "rseq_check";
    case "on_dispatch_cleared":
      return "on_dispatch_cleared";
    case "audit_exit":
      return `audit_exit success=${effect.success ? 1 : 0} code=${effect.returnCode}`;
    case "sys_exit":
      return `sys_exit ret=${effect.ret}`;
    case "ptrace_exit":
      return `ptrace_exit step=${effect.step ? 1 : 0} x0=${hex(effect.x0)} ${effect.scratchReg}=${hex(effect.scratch)}`;
  }
}

export function formatEffects(effects: readonly Effect[]): string[] {
  return effects.length === 0 ? ["(no effects)"] : effects.map(formatEffect);
}

export function formatFinalState(final: ExitFinalState): string {
  const r = final.regs;
  return `x0=${hex(r.x0)} x7=${hex(r.x7)} x12=${hex(r.x12)} orig_x0=${hex(r.orig_x0)} syscallno=${r.syscallno} on_dispatch=${final.onDispatch ? 1 : 0}`;
}
