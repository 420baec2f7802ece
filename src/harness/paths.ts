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

/**
 * The path of an input: memoised on what the specification's choice of effects reads, the work
 * word's defined bits (0-7), on_dispatch and audit_context. Registers, compat, the tracer and the
 * undefined work bits change arguments, never which effects run; paths.test.ts checks the memo
 * against pathFromSpec() on random inputs, so a specification that starts reading more fails there.
 */
export function exitPath(input: ExitInput): string {
  const key = Number(input.work & 0xffn) | (input.onDispatch ? 0x100 : 0) | (input.auditContext ? 0x200 : 0);
  let path = memo.get(key);
  if (path === undefined) {
    path = pathFromSpec(input);
    memo.set(key, path);
  }
  return path;
}

const memo = new Map<number, string>();

/** The path as the specification gives it, without the memo. */
export function pathFromSpec(input: ExitInput): string {
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
