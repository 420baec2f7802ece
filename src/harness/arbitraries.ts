/**
 * Input generators for the exit path: fast-check arbitraries for random search and an
 * exhaustive enumeration for the sweep every run starts with.
 *
 * The arbitraries generate FIELDS (one boolean per exit-relevant work bit, a set of unrelated
 * bits, a return value picked from the boundaries or at random, ...) and map them to an
 * ExitInput, so a shrunk counterexample drops whole bits and falls back to boundary values
 * instead of turning a 64-bit word into an arbitrary smaller number.
 */
import fc from "fast-check";
import { coherent, legacyFlagsFor } from "../kernel/differences.ts";
import { hex } from "../kernel/effects.ts";
import type { ExitInput, RegsInput, TracerAction } from "../kernel/state.ts";
import {
  _TIF_32BIT,
  _TIF_SYSCALL_EXIT_WORK,
  EXIT_RELEVANT_SHORT,
  type ExitRelevantShort,
  formatWork,
  SYSCALL_WORK_BITS,
  SYSCALL_WORK_EXIT,
  SYSCALL_WORK_SECCOMP,
  SYSCALL_WORK_SYSCALL_EMU,
  SYSCALL_WORK_SYSCALL_RSEQ_SLICE,
} from "../kernel/work.ts";

/** The six work bits the exit path looks at (SYSCALL_WORK_EXIT plus EMU), each as a boolean field. */
export type ExitBits = Readonly<Record<ExitRelevantShort, boolean>>;

function bitOfShort(short: ExitRelevantShort): bigint {
  const entry = SYSCALL_WORK_BITS.find((b) => b.short === short);
  if (!entry) throw new Error(`work.ts lost the exit-relevant bit ${short}`);
  return 1n << BigInt(entry.bit);
}

const EXIT_BIT_MASKS: readonly (readonly [ExitRelevantShort, bigint])[] = EXIT_RELEVANT_SHORT.map(
  (s) => [s, bitOfShort(s)] as const,
);

/** The exit-relevant bits: SYSCALL_WORK_EXIT and EMU (EMU only matters through report_single_step). */
export const EXIT_RELEVANT_MASK = SYSCALL_WORK_EXIT | SYSCALL_WORK_SYSCALL_EMU;

/** Bits of the work word the exit path must ignore: SECCOMP, RSEQ_SLICE and the unused bits 8..63. */
export const UNRELATED_WORK_MASK = BigInt.asUintN(64, ~EXIT_RELEVANT_MASK);

export function exitBitsToWork(bits: ExitBits): bigint {
  return EXIT_BIT_MASKS.reduce((work, [short, mask]) => (bits[short] ? work | mask : work), 0n);
}

const NO_EXIT_BITS: ExitBits = {
  EMU: false,
  EXIT_TRAP: false,
  TRACE: false,
  TRACEPOINT: false,
  USER_DISPATCH: false,
  AUDIT: false,
};

/** The six bits drawn alone (each one by itself, or none) and together (any subset). */
export function arbExitBits(): fc.Arbitrary<ExitBits> {
  const alone = fc
    .constantFrom<ExitRelevantShort | "none">("none", ...EXIT_RELEVANT_SHORT)
    .map((only): ExitBits => (only === "none" ? NO_EXIT_BITS : { ...NO_EXIT_BITS, [only]: true }));
  const together = fc.record<ExitBits>({
    EMU: fc.boolean(),
    EXIT_TRAP: fc.boolean(),
    TRACE: fc.boolean(),
    TRACEPOINT: fc.boolean(),
    USER_DISPATCH: fc.boolean(),
    AUDIT: fc.boolean(),
  });
  return fc.oneof(alone, together);
}

/** Bits the exit path must ignore: SECCOMP and RSEQ_SLICE as fields, bits 8..63 as one number that shrinks to 0. */
export function arbUnrelatedWork(): fc.Arbitrary<bigint> {
  return fc
    .record({
      seccomp: fc.boolean(),
      rseqSlice: fc.boolean(),
      high: fc.oneof(fc.constant(0n), fc.bigInt({ min: 0n, max: (1n << 56n) - 1n })),
    })
    .map(
      ({ seccomp, rseqSlice, high }) =>
        (seccomp ? SYSCALL_WORK_SECCOMP : 0n) |
        (rseqSlice ? SYSCALL_WORK_SYSCALL_RSEQ_SLICE : 0n) |
        (high << 8n),
    );
}

/** A whole work word: exit-relevant fields plus (optionally) unrelated bits. */
export function arbWork(options: { unrelated?: boolean } = {}): fc.Arbitrary<bigint> {
  if (options.unrelated === false) return arbExitBits().map(exitBitsToWork);
  return fc
    .tuple(arbExitBits(), fc.oneof(fc.constant(0n), arbUnrelatedWork()))
    .map(([bits, unrelated]) => exitBitsToWork(bits) | unrelated);
}

/**
 * 64-bit register values a syscall leaves in x0 that sit on a boundary of the kernel's decisions:
 * success vs IS_ERR_VALUE (-4095 / -4096), and the compat sign extension from bit 31
 * (0x7fffffff / 0x80000000, and -1, -4095, -4096 as 32-bit patterns).
 */
export const RETURN_VALUE_BOUNDARIES: readonly bigint[] = [
  0n,
  BigInt.asUintN(64, -1n),
  BigInt.asUintN(64, -4095n),
  BigInt.asUintN(64, -4096n),
  0x7fffffffn,
  0x80000000n,
  0xffffffffn,
  0xfffff001n,
  0xfffff000n,
];

function arbU64(): fc.Arbitrary<bigint> {
  return fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
}

/** A return value: a boundary (weighted 3:1) or any 64-bit pattern. */
export function arbReturnValue(): fc.Arbitrary<bigint> {
  return fc.oneof(
    { arbitrary: fc.constantFrom(...RETURN_VALUE_BOUNDARIES), weight: 3 },
    { arbitrary: arbU64(), weight: 1 },
  );
}

/** A scratch register (x7 / r12) value: 0, PTRACE_SYSCALL_EXIT's 1 (indistinguishable from the marker) or any. */
export function arbScratchValue(): fc.Arbitrary<bigint> {
  return fc.oneof(fc.constantFrom(0n, 1n), arbU64());
}

/**
 * What the tracer writes at the stop, as two optional fields (x0, scratch), so a failing case
 * shrinks to "none" (fast-check's oneof does not shrink from one branch to another).
 */
export function arbTracerAction(): fc.Arbitrary<TracerAction> {
  return fc
    .record({
      x0: fc.option(arbReturnValue(), { freq: 2 }),
      scratch: fc.option(arbScratchValue(), { freq: 2 }),
    })
    .map(({ x0, scratch }): TracerAction => {
      if (x0 === null) return scratch === null ? { kind: "none" } : { kind: "write_scratch", scratch };
      return scratch === null ? { kind: "write_x0", x0 } : { kind: "write_both", x0, scratch };
    });
}

export function arbRegs(): fc.Arbitrary<RegsInput> {
  return fc.record({
    x0: arbReturnValue(),
    x7: arbScratchValue(),
    x12: arbScratchValue(),
    orig_x0: arbU64(),
    syscallno: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  });
}

/** TIF bits the legacy exit path never tests (everything but _TIF_SYSCALL_EXIT_WORK and TIF_32BIT). */
const UNTESTED_TIF_MASK = BigInt.asUintN(64, ~(_TIF_SYSCALL_EXIT_WORK | _TIF_32BIT));

function arbUntestedTif(): fc.Arbitrary<bigint> {
  return fc.oneof(
    fc.constant(0n),
    arbU64().map((v) => v & UNTESTED_TIF_MASK),
  );
}

export interface ExitInputOptions {
  /**
   * tifFlags / tifFlagsAtEntry describe the same thread as work / workAtEntry (see
   * kernel/differences.ts coherent()), plus untested TIF bits. Default true. With false the
   * legacy words are drawn independently, as fields of their own.
   */
  readonly coherent?: boolean;
  /** workAtEntry differs from work (drawn on its own) in some cases. Default true. */
  readonly entryMayDiffer?: boolean;
  /** Unrelated work bits (SECCOMP, RSEQ_SLICE, 8..63) in some cases. Default true. */
  readonly unrelatedBits?: boolean;
  /** CONFIG_DEBUG_RSEQ: fixed, or "any" to draw it. Default false (the fixtures are built without it). */
  readonly debugRseq?: boolean | "any";
  /** Fixed compat, or drawn when absent. */
  readonly compat?: boolean;
}

function fixedOrAny(value: boolean | "any" | undefined, fallback: boolean | "any"): fc.Arbitrary<boolean> {
  const v = value ?? fallback;
  return v === "any" ? fc.boolean() : fc.constant(v);
}

function legacyWord(work: bigint, compat: boolean, untested: bigint): bigint {
  return legacyFlagsFor(work) | (compat ? _TIF_32BIT : 0n) | untested;
}

/** A legacy flags word drawn as fields of its own: the generic work fields mapped, plus untested bits. */
function arbIndependentTif(): fc.Arbitrary<bigint> {
  return fc
    .tuple(arbWork({ unrelated: true }), arbUntestedTif())
    .map(([work, untested]) => legacyFlagsFor(work) | untested);
}

/** arbExitInput() - a whole input state for the exit path, generated field by field. */
export function arbExitInput(options: ExitInputOptions = {}): fc.Arbitrary<ExitInput> {
  const work = arbWork({ unrelated: options.unrelatedBits ?? true });
  const entry = options.entryMayDiffer === false ? fc.constant(null) : fc.option(work, { freq: 3 });
  return fc
    .record({
      work,
      entry,
      untestedTif: arbUntestedTif(),
      untestedTifAtEntry: arbUntestedTif(),
      independentTif: options.coherent === false ? arbIndependentTif() : fc.constant(null),
      independentTifAtEntry: options.coherent === false ? arbIndependentTif() : fc.constant(null),
      onDispatch: fc.boolean(),
      auditContext: fc.boolean(),
      compat: fixedOrAny(options.compat, "any"),
      regs: arbRegs(),
      tracer: arbTracerAction(),
      debugRseq: fixedOrAny(options.debugRseq, false),
    })
    .map((f): ExitInput => {
      const workAtEntry = f.entry ?? f.work;
      return {
        work: f.work,
        workAtEntry,
        tifFlags: f.independentTif ?? legacyWord(f.work, f.compat, f.untestedTif),
        tifFlagsAtEntry: f.independentTifAtEntry ?? legacyWord(workAtEntry, f.compat, f.untestedTifAtEntry),
        onDispatch: f.onDispatch,
        auditContext: f.auditContext,
        compat: f.compat,
        regs: f.regs,
        tracer: f.tracer,
        debugRseq: f.debugRseq,
      };
    });
}

/**
 * The registers of every exhaustive input. One x0 serves both task kinds and exercises the compat
 * sign extension: 0x00000000fffffffe is a success (4294967294) for an AArch64 task and -ENOENT (-2,
 * an error) for a compat task. x7, x12 and the tracer's values are distinct recognisable patterns,
 * so a lost restore or a write to the wrong register shows in the final state.
 */
export const EXHAUSTIVE_REGS: RegsInput = {
  x0: 0x00000000fffffffen,
  x7: 0x7777_0000_0000_0007n,
  x12: 0x1212_0000_0000_000cn,
  orig_x0: 0x0000_ffff_0000_0001n,
  syscallno: 172,
};

export const EXHAUSTIVE_TRACER_ACTIONS: readonly TracerAction[] = [
  { kind: "none" },
  { kind: "write_x0", x0: 0xdeadn },
  { kind: "write_scratch", scratch: 0x5c5cn },
  { kind: "write_both", x0: 0xdeadn, scratch: 0x5c5cn },
];

/** 256 low work words x on_dispatch x audit context x compat x 4 tracer actions. */
export const EXHAUSTIVE_INPUT_COUNT = 256 * 2 * 2 * 2 * EXHAUSTIVE_TRACER_ACTIONS.length;

/**
 * exhaustiveInputs() - every combination of the small dimensions, EXHAUSTIVE_INPUT_COUNT (8192) inputs
 *
 * The work word is read at exit unchanged since entry (workAtEntry = work), the legacy words are
 * coherent (legacyFlagsFor(work), TIF_32BIT for compat), CONFIG_DEBUG_RSEQ is off as in the
 * fixtures, and the registers are EXHAUSTIVE_REGS. Order: work outermost, tracer innermost.
 */
export function* exhaustiveInputs(): Generator<ExitInput> {
  for (let w = 0; w < 256; w++) {
    const work = BigInt(w);
    for (const onDispatch of [false, true]) {
      for (const auditContext of [false, true]) {
        for (const compat of [false, true]) {
          for (const tracer of EXHAUSTIVE_TRACER_ACTIONS) {
            const tif = legacyWord(work, compat, 0n);
            yield {
              work,
              workAtEntry: work,
              tifFlags: tif,
              tifFlagsAtEntry: tif,
              onDispatch,
              auditContext,
              compat,
              regs: EXHAUSTIVE_REGS,
              tracer,
              debugRseq: false,
            };
          }
        }
      }
    }
  }
}

function tracerText(t: TracerAction): string {
  switch (t.kind) {
    case "none":
      return "none";
    case "write_x0":
      return `write_x0(${hex(t.x0)})`;
    case "write_scratch":
      return `write_scratch(${hex(t.scratch)})`;
    case "write_both":
      return `write_both(${hex(t.x0)},${hex(t.scratch)})`;
  }
}

/** inputKey() - a stable string id of an input: every field, fixed order, hex words. */
export function inputKey(input: ExitInput): string {
  const r = input.regs;
  return [
    `w=${hex(input.work)}`,
    `we=${hex(input.workAtEntry)}`,
    `tf=${hex(input.tifFlags)}`,
    `tfe=${hex(input.tifFlagsAtEntry)}`,
    `od=${input.onDispatch ? 1 : 0}`,
    `ac=${input.auditContext ? 1 : 0}`,
    `c=${input.compat ? 1 : 0}`,
    `x0=${hex(r.x0)}`,
    `x7=${hex(r.x7)}`,
    `x12=${hex(r.x12)}`,
    `ox0=${hex(r.orig_x0)}`,
    `nr=${r.syscallno}`,
    `t=${tracerText(input.tracer)}`,
    `dr=${input.debugRseq ? 1 : 0}`,
  ].join(";");
}

/**
 * describeInput() - one line for a human: the work word by name, then the task state; entry-time
 * and legacy words only when they do not simply follow the work word.
 */
export function describeInput(input: ExitInput): string {
  const r = input.regs;
  const parts = [
    `work=${formatWork(input.work)}`,
    `on_dispatch=${input.onDispatch ? 1 : 0}`,
    `audit_context=${input.auditContext ? 1 : 0}`,
    `compat=${input.compat ? 1 : 0}`,
    `x0=${hex(r.x0)}`,
    `x7=${hex(r.x7)}`,
    `x12=${hex(r.x12)}`,
    `tracer=${tracerText(input.tracer)}`,
  ];
  if (input.workAtEntry !== input.work) parts.push(`work_at_entry=${formatWork(input.workAtEntry)}`);
  if (!coherent(input))
    parts.push(`tif=${hex(input.tifFlags)}`, `tif_at_entry=${hex(input.tifFlagsAtEntry)}`);
  if (input.debugRseq) parts.push("debug_rseq=1");
  return parts.join(" ");
}
