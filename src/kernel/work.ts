/**
 * Work bits of the arm64 syscall exit path, as tables.
 *
 * Generic entry: `include/linux/thread_info.h` (enum syscall_work_bit) and
 * `include/linux/entry-common.h` (SYSCALL_WORK_ENTER / SYSCALL_WORK_EXIT), v7.0.
 * Legacy arm64: `arch/arm64/include/asm/thread_info.h` (TIF_*), v6.18.
 * Facts as gathered in shared/KERNEL.md §2 and §5.
 */

export type SyscallWorkName =
  | "SYSCALL_WORK_SECCOMP"
  | "SYSCALL_WORK_SYSCALL_TRACEPOINT"
  | "SYSCALL_WORK_SYSCALL_TRACE"
  | "SYSCALL_WORK_SYSCALL_EMU"
  | "SYSCALL_WORK_SYSCALL_AUDIT"
  | "SYSCALL_WORK_SYSCALL_USER_DISPATCH"
  | "SYSCALL_WORK_SYSCALL_EXIT_TRAP"
  | "SYSCALL_WORK_SYSCALL_RSEQ_SLICE";

export interface SyscallWorkBit {
  readonly name: SyscallWorkName;
  /** Short name used on the command line and in reports (`--work TRACE,AUDIT`). */
  readonly short: string;
  readonly bit: number;
  readonly setBy: string;
  readonly enter: boolean;
  readonly exit: boolean;
}

/** enum syscall_work_bit, in bit order. */
export const SYSCALL_WORK_BITS: readonly SyscallWorkBit[] = [
  {
    name: "SYSCALL_WORK_SECCOMP",
    short: "SECCOMP",
    bit: 0,
    setBy: "seccomp filter",
    enter: true,
    exit: false,
  },
  {
    name: "SYSCALL_WORK_SYSCALL_TRACEPOINT",
    short: "TRACEPOINT",
    bit: 1,
    setBy: "raw_syscalls tracepoint registered",
    enter: true,
    exit: true,
  },
  {
    name: "SYSCALL_WORK_SYSCALL_TRACE",
    short: "TRACE",
    bit: 2,
    setBy: "ptrace PTRACE_SYSCALL",
    enter: true,
    exit: true,
  },
  {
    name: "SYSCALL_WORK_SYSCALL_EMU",
    short: "EMU",
    bit: 3,
    setBy: "ptrace PTRACE_SYSEMU(_SINGLESTEP)",
    enter: true,
    exit: false,
  },
  {
    name: "SYSCALL_WORK_SYSCALL_AUDIT",
    short: "AUDIT",
    bit: 4,
    setBy: "audit_alloc() at fork when audit is enabled",
    enter: true,
    exit: true,
  },
  {
    name: "SYSCALL_WORK_SYSCALL_USER_DISPATCH",
    short: "USER_DISPATCH",
    bit: 5,
    setBy: "prctl(PR_SET_SYSCALL_USER_DISPATCH)",
    enter: true,
    exit: true,
  },
  {
    name: "SYSCALL_WORK_SYSCALL_EXIT_TRAP",
    short: "EXIT_TRAP",
    bit: 6,
    setBy: "single-step enabled (arm64: user_enable_single_step)",
    enter: false,
    exit: true,
  },
  {
    name: "SYSCALL_WORK_SYSCALL_RSEQ_SLICE",
    short: "RSEQ_SLICE",
    bit: 7,
    setBy: "rseq time-slice extension (v7.0)",
    enter: true,
    exit: false,
  },
];

function bitOf(name: SyscallWorkName): bigint {
  const entry = SYSCALL_WORK_BITS.find((b) => b.name === name);
  if (!entry) throw new Error(`unknown work bit ${name}`);
  return 1n << BigInt(entry.bit);
}

export const SYSCALL_WORK_SECCOMP = bitOf("SYSCALL_WORK_SECCOMP");
export const SYSCALL_WORK_SYSCALL_TRACEPOINT = bitOf("SYSCALL_WORK_SYSCALL_TRACEPOINT");
export const SYSCALL_WORK_SYSCALL_TRACE = bitOf("SYSCALL_WORK_SYSCALL_TRACE");
export const SYSCALL_WORK_SYSCALL_EMU = bitOf("SYSCALL_WORK_SYSCALL_EMU");
export const SYSCALL_WORK_SYSCALL_AUDIT = bitOf("SYSCALL_WORK_SYSCALL_AUDIT");
export const SYSCALL_WORK_SYSCALL_USER_DISPATCH = bitOf("SYSCALL_WORK_SYSCALL_USER_DISPATCH");
export const SYSCALL_WORK_SYSCALL_EXIT_TRAP = bitOf("SYSCALL_WORK_SYSCALL_EXIT_TRAP");
export const SYSCALL_WORK_SYSCALL_RSEQ_SLICE = bitOf("SYSCALL_WORK_SYSCALL_RSEQ_SLICE");

/** SYSCALL_WORK_ENTER: the bits whose `enter` column is yes. */
export const SYSCALL_WORK_ENTER = SYSCALL_WORK_BITS.filter((b) => b.enter).reduce(
  (mask, b) => mask | (1n << BigInt(b.bit)),
  0n,
);
/** SYSCALL_WORK_EXIT: the bits whose `exit` column is yes (ARCH_SYSCALL_WORK_EXIT is 0 on arm64). */
export const SYSCALL_WORK_EXIT = SYSCALL_WORK_BITS.filter((b) => b.exit).reduce(
  (mask, b) => mask | (1n << BigInt(b.bit)),
  0n,
);

export type TifName =
  | "TIF_SYSCALL_TRACE"
  | "TIF_SYSCALL_AUDIT"
  | "TIF_SYSCALL_TRACEPOINT"
  | "TIF_SECCOMP"
  | "TIF_SYSCALL_EMU"
  | "TIF_SINGLESTEP"
  | "TIF_32BIT";

export interface TifBit {
  readonly name: TifName;
  readonly short: string;
  readonly bit: number;
}

/** Legacy arm64 thread_info->flags bits (v6.18 arch/arm64/include/asm/thread_info.h). */
export const TIF_BITS: readonly TifBit[] = [
  { name: "TIF_SYSCALL_TRACE", short: "TRACE", bit: 8 },
  { name: "TIF_SYSCALL_AUDIT", short: "AUDIT", bit: 9 },
  { name: "TIF_SYSCALL_TRACEPOINT", short: "TRACEPOINT", bit: 10 },
  { name: "TIF_SECCOMP", short: "SECCOMP", bit: 11 },
  { name: "TIF_SYSCALL_EMU", short: "EMU", bit: 12 },
  { name: "TIF_SINGLESTEP", short: "SINGLESTEP", bit: 21 },
  { name: "TIF_32BIT", short: "32BIT", bit: 22 },
];

function tifOf(name: TifName): bigint {
  const entry = TIF_BITS.find((b) => b.name === name);
  if (!entry) throw new Error(`unknown TIF bit ${name}`);
  return 1n << BigInt(entry.bit);
}

export const _TIF_SYSCALL_TRACE = tifOf("TIF_SYSCALL_TRACE");
export const _TIF_SYSCALL_AUDIT = tifOf("TIF_SYSCALL_AUDIT");
export const _TIF_SYSCALL_TRACEPOINT = tifOf("TIF_SYSCALL_TRACEPOINT");
export const _TIF_SECCOMP = tifOf("TIF_SECCOMP");
export const _TIF_SYSCALL_EMU = tifOf("TIF_SYSCALL_EMU");
export const _TIF_SINGLESTEP = tifOf("TIF_SINGLESTEP");
export const _TIF_32BIT = tifOf("TIF_32BIT");

/** _TIF_SYSCALL_WORK: the legacy entry-snapshot gate of el0_svc_common. */
export const _TIF_SYSCALL_WORK =
  _TIF_SYSCALL_TRACE | _TIF_SYSCALL_AUDIT | _TIF_SYSCALL_TRACEPOINT | _TIF_SECCOMP | _TIF_SYSCALL_EMU;
/** _TIF_SYSCALL_EXIT_WORK: the legacy fresh read at exit also looks at single-step. */
export const _TIF_SYSCALL_EXIT_WORK = _TIF_SYSCALL_WORK | _TIF_SINGLESTEP;

/** The six work bits the exit path looks at, in the order properties and reports list them. */
export const EXIT_RELEVANT_SHORT = [
  "EMU",
  "EXIT_TRAP",
  "TRACE",
  "TRACEPOINT",
  "USER_DISPATCH",
  "AUDIT",
] as const;
export type ExitRelevantShort = (typeof EXIT_RELEVANT_SHORT)[number];

/** Parses `TRACE,AUDIT` (short or full names) into a work word; unknown names are returned separately. */
export function parseWorkNames(list: string): { work: bigint; unknown: string[] } {
  let work = 0n;
  const unknown: string[] = [];
  for (const raw of list
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0)) {
    const name = raw.toUpperCase();
    const entry = SYSCALL_WORK_BITS.find((b) => b.short === name || b.name === name);
    if (entry) work |= 1n << BigInt(entry.bit);
    else unknown.push(raw);
  }
  return { work, unknown };
}

/** `TRACE|AUDIT` for a work word; bits without a name show as `bit9`. */
export function formatWork(work: bigint): string {
  const names: string[] = [];
  for (let bit = 0; bit < 64; bit++) {
    if (((work >> BigInt(bit)) & 1n) === 0n) continue;
    names.push(SYSCALL_WORK_BITS.find((b) => b.bit === bit)?.short ?? `bit${bit}`);
  }
  return names.length === 0 ? "0" : names.join("|");
}
