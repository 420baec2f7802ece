/**
 * What a core description is: pipes, timing classes and the numbers of the out-of-order machine,
 * as data. The files in cores/ fill it in, one per core, each number naming its source.
 *
 * Class names follow LLVM's scheduling models: `W_2c_1MDU` = 2 cycles on one MDU pipe.
 */
import { z } from "zod";
import { OP_KINDS, type OpKind } from "./kinds.ts";
import type { McaVersion } from "./mca-quirks.ts";

/** One pipe use of a timing class: any unit of `group`, busy for `cycles` cycles from issue. */
export interface PipeUse {
  readonly group: string;
  readonly cycles: number;
}

export interface TimingClass {
  readonly name: string;
  /** Cycles from issue to the result (LLVM's Latency). */
  readonly latency: number;
  /** Micro-ops: dispatch slots and reorder-buffer entries (LLVM's NumMicroOps). */
  readonly uops: number;
  /** Pipes taken at issue, all in the same cycle (llvm-mca issues an instruction's resources together). */
  readonly pipes: readonly PipeUse[];
  /**
   * Result latencies in LLVM's def order (write-back base, Rt, Rt2) where the LLVM model lists
   * its writes in another order, so llvm-mca gives the base the load latency. Used only in the
   * mca-compatible mode; the front-end mode keeps base = writebackLatency, data = latency.
   */
  readonly mcaDefLatencies?: readonly number[];
}

export const CORE_PARAM_NAMES = [
  "dispatchWidth",
  "robSize",
  "retireWidth",
  "decodeWidth",
  "takenBranchBubble",
  "mispredictPenalty",
  "btbMissPenalty",
  "btbEntries",
  "predictorEntries",
  "rasDepth",
  "icacheLineBytes",
  "icacheMissPenalty",
  "frontEndDepth",
  "storeForwardLatency",
  "writebackLatency",
  "mcaCallLatency",
] as const;

export type CoreParamName = (typeof CORE_PARAM_NAMES)[number];

/**
 * The numbers of the machine. Widths count micro-ops (dispatch, retire) or instructions (decode);
 * latencies and penalties are cycles.
 */
export type CoreParams = Readonly<Record<CoreParamName, number>>;

export interface CoreModel {
  /** Name as `-mcpu=` spells it. */
  readonly name: string;
  readonly description: string;
  /** Execution units; a unit name is also a group of one. */
  readonly units: readonly string[];
  /** Pipe groups (LLVM ProcResGroup): any one of the listed units. */
  readonly groups: Readonly<Record<string, readonly string[]>>;
  readonly classes: Readonly<Record<OpKind, TimingClass>>;
  readonly params: CoreParams;
  /** Parameters no published source gives: defaults chosen here, to override per run. */
  readonly assumptions: readonly CoreParamName[];
  /** Where this model departs from llvm-mca on purpose. */
  readonly mcaDifferences: readonly string[];
  /** llvm-mca binaries whose `-mcpu=<name>` is this core's LLVM model, first found is used. */
  readonly mcaTools: readonly string[];
  /** The LLVM whose llvm-mca the mca-compatible mode reproduces (see mca-quirks.ts). */
  readonly mcaVersion: McaVersion;
}

/** An error shown to users: a code, where, and what (zod's issue shape). */
export interface TimingError {
  readonly code: string;
  readonly path: string;
  readonly message: string;
}

/** A stream or core the timing model cannot take; thrown by `simulate`, carried as a value in `issue`. */
export class TimingFailure extends Error {
  constructor(readonly issue: TimingError) {
    super(`${issue.code} at ${issue.path}: ${issue.message}`);
  }
}

const count = z.int().min(0).max(1_000_000);
const positive = z.int().min(1).max(1_000_000);

const paramsShape = {
  dispatchWidth: positive,
  robSize: positive,
  retireWidth: positive,
  decodeWidth: positive,
  takenBranchBubble: count,
  mispredictPenalty: count,
  btbMissPenalty: count,
  btbEntries: positive,
  predictorEntries: positive,
  rasDepth: count,
  icacheLineBytes: positive,
  icacheMissPenalty: count,
  frontEndDepth: count,
  storeForwardLatency: count,
  writebackLatency: count,
  mcaCallLatency: count,
} satisfies Record<CoreParamName, z.ZodType>;

export const CoreOverridesSchema = z
  .object({
    params: z.object(paramsShape).partial().strict().optional(),
    classes: z
      .partialRecord(z.enum(OP_KINDS), z.object({ latency: count, uops: positive }).partial().strict())
      .optional(),
  })
  .strict();

export type CoreOverrides = z.infer<typeof CoreOverridesSchema>;

export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: TimingError[] };

/** Validates a `CoreOverrides` JSON value (from a file or built from `--core-param`). */
export function parseCoreOverrides(json: unknown, source = "overrides"): Parsed<CoreOverrides> {
  const result = CoreOverridesSchema.safeParse(json);
  if (result.success) return { ok: true, value: result.data };
  return {
    ok: false,
    errors: result.error.issues.map((issue) => ({
      code: `core_overrides_${issue.code}`,
      path: [source, ...issue.path.map(String)].join("."),
      message: issue.message,
    })),
  };
}

/**
 * One `--core-param name=value`: a parameter (`robSize=96`) or a class field
 * (`class.load.latency=5`, `class.call.uops=2`). Several merge left to right.
 */
export function parseCoreParams(assignments: readonly string[]): Parsed<CoreOverrides> {
  const params: Record<string, unknown> = {};
  const classes: Record<string, Record<string, unknown>> = {};
  const errors: TimingError[] = [];
  for (const assignment of assignments) {
    const eq = assignment.indexOf("=");
    const name = eq < 0 ? assignment : assignment.slice(0, eq);
    const text = eq < 0 ? "" : assignment.slice(eq + 1);
    const value = text.trim() === "" ? Number.NaN : Number(text);
    if (eq < 0 || Number.isNaN(value)) {
      errors.push({
        code: "core_param_syntax",
        path: `--core-param ${assignment}`,
        message: "expected name=number",
      });
      continue;
    }
    const parts = name.split(".");
    if (parts.length === 3 && parts[0] === "class") {
      const kind = parts[1]!;
      classes[kind] = { ...classes[kind], [parts[2]!]: value };
    } else {
      params[name] = value;
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  return parseCoreOverrides({ params, classes }, "--core-param");
}

/** The core with the overrides applied; an overridden parameter is no longer an assumption. */
export function applyOverrides(core: CoreModel, overrides: CoreOverrides): CoreModel {
  const params = { ...core.params, ...overrides.params };
  const classes = { ...core.classes };
  for (const kind of OP_KINDS) {
    const change = overrides.classes?.[kind];
    if (change === undefined) continue;
    const before = classes[kind];
    const latency = change.latency ?? before.latency;
    // LLVM-order def latencies that were the class latency follow the new one.
    const mcaDefLatencies = before.mcaDefLatencies?.map((lat) => (lat === before.latency ? latency : lat));
    classes[kind] = { ...before, ...change, ...(mcaDefLatencies ? { mcaDefLatencies } : {}) };
  }
  const changed = new Set(Object.keys(overrides.params ?? {}));
  return {
    ...core,
    params,
    classes,
    assumptions: core.assumptions.filter((name) => !changed.has(name)),
  };
}

/** Builds an LLVM-style class name from its parts: `W_4c_1LdSt_1ALUAB`. */
export function timingClass(latency: number, uops: number, pipes: readonly PipeUse[]): TimingClass {
  const parts = pipes.map((p) => `${p.cycles}${p.group}`);
  return {
    name:
      ["W", `${latency}c`, ...(parts.length > 0 ? parts : ["0pipe"])].join("_") +
      (uops !== Math.max(1, pipes.length) ? `_${uops}uop` : ""),
    latency,
    uops,
    pipes,
  };
}

export function pipe(group: string, cycles = 1): PipeUse {
  return { group, cycles };
}

/** Where the timing model departs from llvm-mca on purpose, whatever the core. */
export const MODEL_MCA_DIFFERENCES: readonly string[] = [
  "front end (decode width, taken-branch bubble, prediction, I-cache) is modelled only with frontEnd on",
  "store-to-load forwarding is modelled only with frontEnd on; mca assumes no aliasing",
];

/** A quirk of llvm-mca-16, for the cores cross-checked against it. */
export const LLVM16_XZR_DIFFERENCE =
  "llvm-mca-16 makes XZR/WZR a dependency (cmp writes it, mov reads it); the cores do not: only the mca-compatible mode copies it (mca-quirks.ts)";
