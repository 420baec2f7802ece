/**
 * The path an input takes through the generic exit path, named for budgets and reports.
 *
 * A path is what the specification says happens, not what the machine code did, so a budget row
 * means the same thing for `ref`, `inline` and any candidate: "no-work" is the fast path (no
 * SYSCALL_WORK_EXIT bit), "sud-dispatch" the SUD gate, otherwise the effects that ran, joined
 * with "+" in kernel order ("audit+tracepoint+ptrace"), or "work-no-effect" when the slow path
 * ran and found nothing to do.
 */
import { decodeExit } from "../kernel/decode.ts";
import type { Effect } from "../kernel/effects.ts";
import { specGeneric } from "../kernel/spec-generic.ts";
import type { ExitInput } from "../kernel/state.ts";

export const NO_WORK_PATH = "no-work";

function effectStep(effect: Effect): string | undefined {
  switch (effect.kind) {
    case "audit_exit":
      return "audit";
    case "sys_exit":
      return "tracepoint";
    case "ptrace_exit":
      return effect.step ? "ptrace-step" : "ptrace";
    case "on_dispatch_cleared":
      return "sud-dispatch";
    case "rseq_check":
      return undefined;
  }
}

export function exitPath(input: ExitInput): string {
  if (!decodeExit(input).exitWork) return NO_WORK_PATH;
  const steps = specGeneric(input)
    .effects.map(effectStep)
    .filter((s): s is string => s !== undefined);
  return steps.length === 0 ? "work-no-effect" : steps.join("+");
}

/** Every path name exitPath can return, in a fixed order for tables. */
export const ALL_PATHS: readonly string[] = (() => {
  const paths = [NO_WORK_PATH, "sud-dispatch", "work-no-effect"];
  for (const audit of ["", "audit"]) {
    for (const tracepoint of ["", "tracepoint"]) {
      for (const ptrace of ["", "ptrace", "ptrace-step"]) {
        const steps = [audit, tracepoint, ptrace].filter((s) => s !== "");
        if (steps.length > 0) paths.push(steps.join("+"));
      }
    }
  }
  return paths;
})();
