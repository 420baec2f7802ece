/**
 * Input generators for the entry dimensions of a whole syscall: fast-check arbitraries that add
 * the entry fields (SUD verdict, entry tracer, seccomp verdict, tracepoint probe, arguments) to
 * an exit-side input, and the exhaustive sweep over the entry work word.
 *
 * The exit side's own generator (src/harness/arbitraries.ts arbExitInput) is passed in rather
 * than imported, so kernel/ keeps depending on nothing of harness/. Fields, not raw words: every
 * entry work bit is a boolean, so a shrunk counterexample drops whole bits.
 */
import fc from "fast-check";
import type { ExitInput, RegsInput, TracerAction } from "../state.ts";
import { SYSCALL_WORK_BITS, SYSCALL_WORK_ENTER } from "../work.ts";
import { NO_SYSCALL } from "./spec.ts";
import {
  type EntryTracerAction,
  type SeccompVerdict,
  SUD_OUTCOMES,
  type SudOutcome,
  type SyscallInput,
} from "./types.ts";

/** Short names of the SYSCALL_WORK_ENTER bits, in bit order. */
export const ENTRY_BITS = SYSCALL_WORK_BITS.filter((b) => b.enter).map((b) => b.short);

/** A number other than the task's own (getpid, 39) and NO_SYSCALL: what a tracer or probe writes. */
export const OTHER_NR = 39;

/** The entry work word as one boolean per ENTER bit, plus EXIT_TRAP and bits 8..63 now and then. */
export function arbEntryWork(): fc.Arbitrary<bigint> {
  const bit = (short: string) => 1n << BigInt(SYSCALL_WORK_BITS.find((b) => b.short === short)!.bit);
  return fc
    .record({
      enter: fc.array(fc.constantFrom(...ENTRY_BITS), { maxLength: ENTRY_BITS.length }),
      exitTrap: fc.boolean(),
      high: fc.oneof(
        { arbitrary: fc.constant(0n), weight: 3 },
        fc.bigInt({ min: 0n, max: (1n << 56n) - 1n }),
      ),
    })
    .map(({ enter, exitTrap, high }) =>
      enter.reduce((w, s) => w | bit(s), (exitTrap ? bit("EXIT_TRAP") : 0n) | (high << 8n)),
    );
}

export function arbSyscallNr(): fc.Arbitrary<number> {
  return fc.oneof(
    { arbitrary: fc.constantFrom(172, NO_SYSCALL, OTHER_NR, 0), weight: 3 },
    fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  );
}

export function arbEntryTracer(): fc.Arbitrary<EntryTracerAction> {
  return fc.oneof(
    fc.constant<EntryTracerAction>({ kind: "none" }),
    arbSyscallNr().map((nr): EntryTracerAction => ({ kind: "set_nr", nr })),
    fc.constant<EntryTracerAction>({ kind: "skip" }),
    fc
      .bigInt({ min: 0n, max: (1n << 64n) - 1n })
      .map((scratch): EntryTracerAction => ({ kind: "write_scratch", scratch })),
  );
}

export function arbSeccomp(): fc.Arbitrary<SeccompVerdict> {
  return fc.oneof(
    fc.constant<SeccompVerdict>({ kind: "allow" }),
    fc.integer({ min: 1, max: 4095 }).map((errno): SeccompVerdict => ({ kind: "errno", errno })),
    fc.constant<SeccompVerdict>({ kind: "skip" }),
  );
}

const arbU64 = () => fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });

/**
 * arbSyscallInput() - a whole-syscall input: an exit-side input plus entry fields
 * @exitSide: the exit side's arbitrary (harness arbExitInput()); its `work` becomes the word a
 *            body that ran leaves, and is the entry word itself in most cases (perf bench: the
 *            same bits on every syscall)
 */
export function arbSyscallInput(exitSide: fc.Arbitrary<ExitInput>): fc.Arbitrary<SyscallInput> {
  return fc
    .record({
      exit: exitSide,
      workAtEntry: arbEntryWork(),
      sameWork: fc.boolean(),
      syscallno: arbSyscallNr(),
      args: fc.tuple(arbU64(), arbU64(), arbU64()),
      sud: fc.constantFrom<SudOutcome>(...SUD_OUTCOMES),
      entryTracer: arbEntryTracer(),
      seccomp: arbSeccomp(),
      tracepointNr: fc.option(arbSyscallNr(), { freq: 2 }),
    })
    .map(
      (f): SyscallInput => ({
        ...f.exit,
        workAtEntry: f.workAtEntry,
        work: f.sameWork ? f.workAtEntry : f.exit.work,
        regs: { ...f.exit.regs, syscallno: f.syscallno },
        args: f.args,
        sud: f.sud,
        entryTracer: f.entryTracer,
        seccomp: f.seccomp,
        tracepointNr: f.tracepointNr,
      }),
    );
}

/**
 * The registers of every sweep input: x0 as the exit sweep has it (a success for AArch64, -2 for
 * compat), x7/x12, orig_x0 and x1..x3 distinct recognisable patterns.
 */
export const SWEEP_REGS: RegsInput = {
  x0: 0x00000000fffffffen,
  x7: 0x7777_0000_0000_0007n,
  x12: 0x1212_0000_0000_000cn,
  orig_x0: 0x0000_ffff_0000_0001n,
  syscallno: 172,
};
export const SWEEP_ARGS: readonly [bigint, bigint, bigint] = [0xa1a1n, 0xa2a2n, 0xa3a3n];

const SWEEP_SUD: readonly SudOutcome[] = SUD_OUTCOMES;
const SWEEP_ENTRY_TRACERS: readonly EntryTracerAction[] = [
  { kind: "none" },
  { kind: "set_nr", nr: OTHER_NR },
  { kind: "set_nr", nr: NO_SYSCALL },
  { kind: "skip" },
  { kind: "write_scratch", scratch: 0x5c5cn },
];
const SWEEP_SECCOMP: readonly SeccompVerdict[] = [
  { kind: "allow" },
  { kind: "errno", errno: 1 },
  { kind: "skip" },
];
const SWEEP_TRACEPOINT: readonly (number | null)[] = [null, OTHER_NR, NO_SYSCALL];
const SWEEP_EXIT_TRACERS: readonly TracerAction[] = [
  { kind: "none" },
  { kind: "write_both", x0: 0xdeadn, scratch: 0x5c5cn },
];

/**
 * syscallSweep() - every entry work word 0..255 with every outcome of the hooks its bits call
 *
 * Per word, the product of the outcomes that matter for it: the three SUD verdicts when
 * USER_DISPATCH is set, five entry-tracer actions when TRACE or EMU is, three seccomp verdicts
 * with SECCOMP, three tracepoint probes with TRACEPOINT; repeated up to four cases, so that each
 * word meets every audit-context x compat pair. The other task flags (on_dispatch at entry, the
 * exit tracer, a user-issued syscall(-1)) rotate with the case number instead of multiplying,
 * which keeps the sweep near 8k cases; the two words without entry work (0, EXIT_TRAP) run both
 * getppid and syscall(-1) in every case.
 * The word at exit equals the word at entry.
 */
export function* syscallSweep(): Generator<SyscallInput> {
  for (let w = 0; w < 256; w++) {
    const work = BigInt(w);
    const has = (short: string) =>
      (work & (1n << BigInt(SYSCALL_WORK_BITS.find((b) => b.short === short)!.bit))) !== 0n;
    // A word without entry work must meet a user-issued syscall(-1) as well as getppid.
    const numbers = (work & SYSCALL_WORK_ENTER) !== 0n ? [null] : [SWEEP_REGS.syscallno, NO_SYSCALL];
    const cases: Omit<SyscallInput, keyof ExitInput | "args">[] = [];
    for (const sud of has("USER_DISPATCH") ? SWEEP_SUD : SWEEP_SUD.slice(0, 1))
      for (const entryTracer of has("TRACE") || has("EMU")
        ? SWEEP_ENTRY_TRACERS
        : SWEEP_ENTRY_TRACERS.slice(0, 1))
        for (const seccomp of has("SECCOMP") ? SWEEP_SECCOMP : SWEEP_SECCOMP.slice(0, 1))
          for (const tracepointNr of has("TRACEPOINT") ? SWEEP_TRACEPOINT : SWEEP_TRACEPOINT.slice(0, 1))
            cases.push({ sud, entryTracer, seccomp, tracepointNr });
    // At least four cases per word, so that each meets every audit-context x compat pair.
    const count = Math.max(4, cases.length) * numbers.length;
    for (let j = 0; j < count; j++) {
      const c = Math.floor(j / numbers.length);
      const rot = c + w;
      const nr = numbers[j % numbers.length] ?? (rot % 7 === 3 ? NO_SYSCALL : SWEEP_REGS.syscallno);
      yield {
        work,
        workAtEntry: work,
        tifFlags: 0n,
        tifFlagsAtEntry: 0n,
        onDispatch: ((rot >> 2) & 1) === 1,
        auditContext: (c & 1) === 0,
        compat: ((c >> 1) & 1) === 1,
        regs: { ...SWEEP_REGS, syscallno: nr },
        tracer: SWEEP_EXIT_TRACERS[(rot >> 3) & 1]!,
        debugRseq: false,
        args: SWEEP_ARGS,
        ...cases[c % cases.length]!,
      };
    }
  }
}
