/**
 * Why the syscall work runs on every syscall of a thread: which SYSCALL_WORK bits open the entry
 * gate (SYSCALL_WORK_ENTER, syscall_trace_enter()) and the exit gate (SYSCALL_WORK_EXIT,
 * syscall_exit_work()), and what each bit costs on a core: cycles with the bit minus cycles
 * without it, everything else in the state unchanged (include/linux/entry-common.h, v7.0).
 *
 * The answer to tglx's question in the seed thread ("which TIF bit is causing this to be
 * invoked?"): under audit=1 it is SYSCALL_WORK_SYSCALL_AUDIT, set by audit_alloc() at fork.
 */
import { fail } from "../errors.ts";
import { defaultSyscallInput, type SyscallInput } from "../kernel/entry/types.ts";
import type { ExitInput } from "../kernel/state.ts";
import {
  parseWorkNames,
  SYSCALL_WORK_BITS,
  SYSCALL_WORK_ENTER,
  SYSCALL_WORK_EXIT,
  type SyscallWorkBit,
} from "../kernel/work.ts";
import type { Mode } from "./observe.ts";
import { type BenchState, benchInput, DEFAULT_BUILD, runVariant } from "./perfbench.ts";

/** A thread state by its fields (getppid() returning a small pid, as perf bench). */
export interface WhyHotState {
  /** The work word, or names as `--work` takes them (`AUDIT,TRACE`; `none` for 0). */
  readonly work: bigint | string;
  readonly auditContext: boolean;
  readonly onDispatch?: boolean;
  readonly compat?: boolean;
}

/**
 * The thread state, either by its fields or as a whole input (`exitwork explain --why-hot`
 * passes the ExitInput its options describe; nothing is decided at entry), on a core.
 */
export type WhyHotOptions = (WhyHotState | { readonly input: ExitInput }) & {
  readonly core: string;
  /** `<compiler>.<config>`, default gcc.defconfig. */
  readonly build?: string;
  /** Default steady, as perf bench's loop. */
  readonly mode?: Mode;
};

/**
 * The whole-syscall layouts a bit's cost is measured on: `ref` is svc-ref (v6.18, entry and exit
 * work out of line), `inline` is svc-inline (v7.0, both inlined).
 */
export const WHY_HOT_VARIANTS = { ref: "svc-ref", inline: "svc-inline" } as const;
type Layout = keyof typeof WHY_HOT_VARIANTS;

export interface BitCost {
  readonly bit: number;
  /** SYSCALL_WORK_* name, or `bit<n>` for a bit the kernel does not define. */
  readonly name: string;
  readonly short: string;
  readonly setBy: string;
  readonly opensEnter: boolean;
  readonly opensExit: boolean;
  /** Clearing this bit alone closes the gate: nothing else in the word opens it. */
  readonly soleEnter: boolean;
  readonly soleExit: boolean;
  /** Cycles of the whole syscall (entry and exit work) with the bit minus without it, steady state. */
  readonly cycles: Readonly<Record<Layout, number>>;
}

export interface WhyHot {
  readonly work: bigint;
  readonly state: BenchState & { readonly onDispatch: boolean; readonly compat: boolean };
  readonly core: string;
  readonly build: string;
  readonly mode: Mode;
  readonly enterGate: boolean;
  readonly exitGate: boolean;
  /** Cycles of the whole syscall in this state, per layout. */
  readonly total: Readonly<Record<Layout, number>>;
  readonly bits: readonly BitCost[];
}

export function workOf(work: bigint | string): bigint {
  if (typeof work === "bigint") return BigInt.asUintN(64, work);
  if (work.trim().toLowerCase() === "none") return 0n;
  const parsed = parseWorkNames(work);
  if (parsed.unknown.length > 0) {
    const known = SYSCALL_WORK_BITS.map((b) => b.short).join(",");
    fail("USAGE", "--work", `unknown work bit ${parsed.unknown.join(",")} (${known}, or none)`);
  }
  return parsed.work;
}

function bitInfo(bit: number): Pick<BitCost, "name" | "short" | "setBy"> {
  const known: SyscallWorkBit | undefined = SYSCALL_WORK_BITS.find((b) => b.bit === bit);
  if (known) return { name: known.name, short: known.short, setBy: known.setBy };
  return { name: `bit${bit}`, short: `bit${bit}`, setBy: "nothing (no SYSCALL_WORK bit)" };
}

function syscallInputOf(options: WhyHotOptions): SyscallInput {
  if ("input" in options) return defaultSyscallInput(options.input);
  return {
    ...benchInput({ work: workOf(options.work), auditContext: options.auditContext }),
    onDispatch: options.onDispatch ?? false,
    compat: options.compat ?? false,
  };
}

export function whyHot(options: WhyHotOptions): WhyHot {
  const base = syscallInputOf(options);
  const work = base.work;
  const build = options.build ?? DEFAULT_BUILD;
  const mode = options.mode ?? "steady";
  const cyclesOf = (w: bigint) => {
    const input = { ...base, work: w, workAtEntry: w };
    return {
      ref: runVariant(WHY_HOT_VARIANTS.ref, build, input, options.core, mode).cycles,
      inline: runVariant(WHY_HOT_VARIANTS.inline, build, input, options.core, mode).cycles,
    };
  };
  const total = cyclesOf(work);
  const bits: BitCost[] = [];
  for (let bit = 0; bit < 64; bit++) {
    const mask = 1n << BigInt(bit);
    if ((work & mask) === 0n) continue;
    const info = bitInfo(bit);
    const without = cyclesOf(work & ~mask);
    bits.push({
      bit,
      name: info.name,
      short: info.short,
      setBy: info.setBy,
      opensEnter: (mask & SYSCALL_WORK_ENTER) !== 0n,
      opensExit: (mask & SYSCALL_WORK_EXIT) !== 0n,
      soleEnter: (mask & SYSCALL_WORK_ENTER) !== 0n && (work & ~mask & SYSCALL_WORK_ENTER) === 0n,
      soleExit: (mask & SYSCALL_WORK_EXIT) !== 0n && (work & ~mask & SYSCALL_WORK_EXIT) === 0n,
      cycles: { ref: total.ref - without.ref, inline: total.inline - without.inline },
    });
  }
  return {
    work,
    state: { work, auditContext: base.auditContext, onDispatch: base.onDispatch, compat: base.compat },
    core: options.core,
    build,
    mode,
    enterGate: (work & SYSCALL_WORK_ENTER) !== 0n,
    exitGate: (work & SYSCALL_WORK_EXIT) !== 0n,
    total,
    bits,
  };
}
