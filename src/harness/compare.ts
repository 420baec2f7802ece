/**
 * Compares two observations of the exit path (machine code on the simulated core, qemu or the
 * specification) and names the first divergence with the kernel rule it breaks.
 *
 * The comparison is a table of rows, the shape dynarmic's fuzzer prints: one row per effect,
 * then the final pt_regs fields and on_dispatch, then every 8-byte word of task and pt_regs memory
 * that differs, then the AAPCS64 check. A row differs when its two sides differ; the report
 * writers put `*` on those rows.
 */

import { hex } from "../kernel/effects.ts";
import {
  formatSyscallEffect as formatEffect,
  type SyscallEffect,
  type SyscallEffectKind,
} from "../kernel/entry/types.ts";
import type { ExitFinalState } from "../kernel/state.ts";

export interface Observation {
  readonly label: string;
  /** Exit effects, and for the whole-syscall subject the entry effects before them. */
  readonly effects: readonly SyscallEffect[];
  readonly final: ExitFinalState;
  /** task_struct bytes after the run (machine runs only). */
  readonly task?: Uint8Array;
  /** pt_regs bytes after the run (machine runs only). */
  readonly ptRegs?: Uint8Array;
  /** AAPCS64 state after the return (machine runs only). */
  readonly abi?: { readonly ok: boolean; readonly problems: readonly string[] };
}

export type RowSection = "effect" | "final" | "memory" | "abi";

export interface Row {
  readonly section: RowSection;
  readonly name: string;
  readonly left: string;
  readonly right: string;
  readonly differs: boolean;
}

export interface Divergence {
  readonly rows: readonly Row[];
  /** Index into rows of the first differing row. */
  readonly firstRow: number;
  /** What differs, in one line. */
  readonly what: string;
  /** The kernel rule (shared/KERNEL.md) the difference breaks. */
  readonly rule: string;
}

const RULE = {
  order:
    "KERNEL.md §3: syscall_exit_work effects happen strictly in the order SUD gate, audit, tracepoint, ptrace",
  on_dispatch_cleared:
    "KERNEL.md §3.1: the SUD gate (USER_DISPATCH and on_dispatch) stores on_dispatch = false and returns; nothing else happens",
  audit_exit:
    "KERNEL.md §3.2: __audit_syscall_exit runs iff current->audit_context is non-NULL (the AUDIT bit is not tested)",
  sys_exit: "KERNEL.md §3.3: the sys_exit tracepoint fires iff SYSCALL_WORK_SYSCALL_TRACEPOINT is set",
  ptrace_exit:
    "KERNEL.md §3.4: report iff step || TRACE, with step = report_single_step(work) = !(work & EMU) && (work & EXIT_TRAP)",
  rseq_check:
    "KERNEL.md §3.2 (exit path step 2): the rseq debug check runs first, only with CONFIG_DEBUG_RSEQ",
  returnValue:
    "KERNEL.md §3: regs_return_value / syscall_get_return_value return x0, sign-extended from bit 31 for compat tasks",
  success: "KERNEL.md §3.2: success = !IS_ERR_VALUE(return_code): an error iff the value is in [-4095, -1]",
  step: "KERNEL.md §3.4: step = !(work & SYSCALL_EMU) && (work & SYSCALL_EXIT_TRAP)",
  scratchSeen:
    "KERNEL.md §3.4: during a syscall-exit stop the scratch register (x7, r12 for compat) reads 1; with step it holds its real value",
  scratchReg:
    "KERNEL.md §3.4: the scratch register is x7 for AArch64 tasks and r12 (regs[12]) for compat tasks",
  scratchRestore:
    "KERNEL.md §3.4: without step the scratch register is restored after the stop (a tracer's write is discarded); with step before it (the write is kept)",
  x0: "KERNEL.md §3.4: a tracer's write to x0 during the stop survives; nothing else writes x0",
  onDispatch: "KERNEL.md §3.1: the SUD gate clears on_dispatch; nothing else writes it",
  memory:
    "KERNEL.md §3: the exit path writes no task or pt_regs memory beyond on_dispatch and the ptrace scratch/x0",
  abi: "AAPCS64: x19-x29, sp and the platform register x18 are preserved and the function returns to its caller",
  sud_dispatch:
    "KERNEL.md §6: the SUD dispatch check comes first; a dispatched syscall sets on_dispatch, is rolled back and gets no other entry work",
  rseq_slice_enter: "KERNEL.md §6: the RSEQ_SLICE work runs right after the SUD check",
  ptrace_entry:
    "KERNEL.md §6: with TRACE or EMU, the ptrace entry stop (x7/r12 = 0 during it, restored after); a non-zero report or EMU skips the syscall",
  seccomp: "KERNEL.md §6: with SECCOMP, __secure_computing() after the ptrace stop; -1 skips the syscall",
  sys_enter:
    "KERNEL.md §6: with TRACEPOINT, the sys_enter event with the syscall number re-read after ptrace and seccomp",
  audit_entry:
    "KERNEL.md §6: audit entry last, with the final syscall number and four arguments, iff audit_context",
  syscall_body:
    "KERNEL.md §6: the syscall body runs with the number syscall_trace_enter() returns, unless it was skipped",
  syscall_skipped:
    "KERNEL.md §6: a skipped syscall (SUD, ptrace, EMU, seccomp) runs no body but still goes through the exit path",
} as const satisfies Record<SyscallEffectKind, string> & Record<string, string>;

function effectRows(a: Observation, b: Observation): Row[] {
  const rows: Row[] = [];
  const n = Math.max(a.effects.length, b.effects.length);
  for (let i = 0; i < n; i++) {
    const left = a.effects[i];
    const right = b.effects[i];
    const l = left ? formatEffect(left) : "-";
    const r = right ? formatEffect(right) : "-";
    rows.push({ section: "effect", name: `effect ${i + 1}`, left: l, right: r, differs: l !== r });
  }
  if (n === 0)
    rows.push({ section: "effect", name: "effects", left: "(none)", right: "(none)", differs: false });
  return rows;
}

function finalRows(a: ExitFinalState, b: ExitFinalState): Row[] {
  const fields: [string, string, string][] = [
    ["x0", hex(a.regs.x0), hex(b.regs.x0)],
    ["x7", hex(a.regs.x7), hex(b.regs.x7)],
    ["x12", hex(a.regs.x12), hex(b.regs.x12)],
    ["orig_x0", hex(a.regs.orig_x0), hex(b.regs.orig_x0)],
    ["syscallno", String(a.regs.syscallno), String(b.regs.syscallno)],
    ["on_dispatch", a.onDispatch ? "1" : "0", b.onDispatch ? "1" : "0"],
  ];
  return fields.map(([name, left, right]) => ({
    section: "final",
    name,
    left,
    right,
    differs: left !== right,
  }));
}

function word(bytes: Uint8Array, offset: number): bigint {
  let value = 0n;
  for (let i = 7; i >= 0; i--) value = (value << 8n) | BigInt(bytes[offset + i] ?? 0);
  return value;
}

function memoryRows(name: string, a?: Uint8Array, b?: Uint8Array): Row[] {
  if (!a || !b) return [];
  const rows: Row[] = [];
  const size = Math.max(a.length, b.length);
  for (let offset = 0; offset < size; offset += 8) {
    let same = true;
    for (let i = offset; i < offset + 8 && i < size; i++) if (a[i] !== b[i]) same = false;
    if (same) continue;
    const label = `${name}+0x${offset.toString(16)}`;
    rows.push({
      section: "memory",
      name: label,
      left: hex(word(a, offset)),
      right: hex(word(b, offset)),
      differs: true,
    });
  }
  return rows;
}

function abiRows(a: Observation, b: Observation): Row[] {
  if (!a.abi || !b.abi) return [];
  const show = (abi: NonNullable<Observation["abi"]>) => (abi.ok ? "preserved" : abi.problems.join("; "));
  const left = show(a.abi);
  const right = show(b.abi);
  return [
    { section: "abi", name: "AAPCS64", left, right, differs: !a.abi.ok || !b.abi.ok || left !== right },
  ];
}

function kindsInOrder(effects: readonly SyscallEffect[]): SyscallEffectKind[] {
  return effects.map((e) => e.kind);
}

function sameMultiset(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join() === [...b].sort().join();
}

function effectRule(a: Observation, b: Observation, index: number): { what: string; rule: string } {
  const left = a.effects[index];
  const right = b.effects[index];
  if (!left || !right || left.kind !== right.kind) {
    if (sameMultiset(kindsInOrder(a.effects), kindsInOrder(b.effects))) {
      return { what: "the same effects in a different order", rule: RULE.order };
    }
    const kind = (left ?? right)?.kind ?? "audit_exit";
    const other = left && right ? ` instead of ${right.kind}` : "";
    const side = left ? `${a.label} has ${left.kind}${other}` : `${b.label} has ${right?.kind ?? "?"} more`;
    return { what: side, rule: RULE[kind] };
  }
  switch (left.kind) {
    case "audit_exit":
      if (right.kind === "audit_exit" && left.returnCode !== right.returnCode) {
        return { what: "audit return code differs", rule: RULE.returnValue };
      }
      return { what: "audit success flag differs", rule: RULE.success };
    case "sys_exit":
      return { what: "tracepoint ret differs", rule: RULE.returnValue };
    case "ptrace_exit":
      if (right.kind !== "ptrace_exit") break;
      if (left.step !== right.step) return { what: "ptrace report step differs", rule: RULE.step };
      if (left.scratchReg !== right.scratchReg)
        return { what: "scratch register differs", rule: RULE.scratchReg };
      if (left.scratch !== right.scratch) {
        return { what: "scratch register value seen by the tracer differs", rule: RULE.scratchSeen };
      }
      return { what: "x0 seen by the tracer differs", rule: RULE.returnValue };
    default:
      break;
  }
  return { what: `${left.kind} differs`, rule: RULE[left.kind] };
}

function firstDivergence(a: Observation, b: Observation, rows: readonly Row[], first: number) {
  const row = rows[first];
  if (!row) return { what: "", rule: "" };
  switch (row.section) {
    case "effect":
      return effectRule(a, b, Number(row.name.replace("effect ", "")) - 1);
    case "final":
      if (row.name === "x7" || row.name === "x12") {
        return { what: `final ${row.name} differs`, rule: RULE.scratchRestore };
      }
      if (row.name === "on_dispatch") return { what: "final on_dispatch differs", rule: RULE.onDispatch };
      return { what: `final ${row.name} differs`, rule: RULE.x0 };
    case "memory":
      return { what: `memory differs at ${row.name}`, rule: RULE.memory };
    case "abi":
      return { what: "AAPCS64 state not preserved", rule: RULE.abi };
  }
}

/** All rows of the side-by-side table, differing or not. */
export function observationRows(a: Observation, b: Observation): Row[] {
  return [
    ...effectRows(a, b),
    ...finalRows(a.final, b.final),
    ...memoryRows("task", a.task, b.task),
    ...memoryRows("pt_regs", a.ptRegs, b.ptRegs),
    ...abiRows(a, b),
  ];
}

function sameEffect(a: SyscallEffect, b: SyscallEffect): boolean {
  switch (a.kind) {
    case "audit_exit":
      return b.kind === a.kind && a.success === b.success && a.returnCode === b.returnCode;
    case "sys_exit":
      return b.kind === a.kind && a.ret === b.ret;
    case "ptrace_exit":
      return (
        b.kind === a.kind &&
        a.step === b.step &&
        a.scratchReg === b.scratchReg &&
        a.x0 === b.x0 &&
        a.scratch === b.scratch
      );
    case "rseq_check":
    case "on_dispatch_cleared":
      return a.kind === b.kind;
    default:
      // Entry effects: their one text form holds every field.
      return a.kind === b.kind && formatEffect(a) === formatEffect(b);
  }
}

function sameBytes(a?: Uint8Array, b?: Uint8Array): boolean {
  if (!a || !b) return true;
  return Buffer.compare(a, b) === 0;
}

/** The cheap test behind compareObservations: no row is built when everything agrees. */
export function observationsAgree(a: Observation, b: Observation): boolean {
  if (a.effects.length !== b.effects.length) return false;
  for (let i = 0; i < a.effects.length; i++) if (!sameEffect(a.effects[i]!, b.effects[i]!)) return false;
  const ra = a.final.regs;
  const rb = b.final.regs;
  if (
    ra.x0 !== rb.x0 ||
    ra.x7 !== rb.x7 ||
    ra.x12 !== rb.x12 ||
    ra.orig_x0 !== rb.orig_x0 ||
    ra.syscallno !== rb.syscallno ||
    a.final.onDispatch !== b.final.onDispatch
  ) {
    return false;
  }
  if ((a.abi && !a.abi.ok) || (b.abi && !b.abi.ok)) return false;
  return sameBytes(a.task, b.task) && sameBytes(a.ptRegs, b.ptRegs);
}

/** undefined when the two observations agree in every row. */
export function compareObservations(a: Observation, b: Observation): Divergence | undefined {
  if (observationsAgree(a, b)) return undefined;
  const rows = observationRows(a, b);
  const firstRow = rows.findIndex((r) => r.differs);
  if (firstRow < 0) return undefined;
  return { rows, firstRow, ...firstDivergence(a, b, rows, firstRow) };
}
