/**
 * The timing model: stages that move the dynamic instruction stream through an out-of-order
 * core (front end, dispatch into the reorder buffer, issue to pipes, retire), one instruction at
 * a time in program order. Every cycle of an instruction depends only on older instructions, so
 * each is computed once when the instruction arrives; no per-cycle loop.
 *
 * Two modes of the front end:
 * - `frontEnd: true`: decode width, taken-branch bubbles, branch prediction with a BTB and a
 *   return-address stack, I-cache first-touch misses, store-to-load forwarding, retire width.
 *   Fetch runs ahead of decode through a fetch queue, so decode width is the per-cycle limit and
 *   fetch-block alignment is not modelled.
 * - `frontEnd: false` is llvm-mca compatible (LLVM 16 llvm/lib/MCA): instructions arrive as
 *   fast as dispatch takes them, calls take `mcaCallLatency` cycles (InstrBuilder.cpp), memory
 *   order follows LSUnit.cpp with no aliasing, retire is unbounded (no MaxRetirePerCycle in the
 *   AArch64 models), and the dispatch group carry-over of DispatchStage.cpp applies.
 */
import { type ExecutedInsn, REG_COUNT, REG_SP } from "../a64/stream.ts";
import { type CoreModel, TimingFailure } from "./core.ts";
import { KIND_OF_ENCODING, kindIndex, kindOf, MCA_MEMORY, OP_KINDS, type OpKind } from "./kinds.ts";
import { PAC_HINTS, REG_ZR, ZR_READ, ZR_WRITE, zeroRegisterUse } from "./mca-quirks.ts";
import { BranchPredictor, BTB_MISS, InstructionCache, MISPREDICTED, PipeReservations } from "./units.ts";

export const STALL_REASONS = [
  "none",
  /** Fetch/decode: decode width, taken-branch bubble, BTB miss, I-cache miss. */
  "frontend",
  /** Waiting for a mispredicted branch to resolve. */
  "mispredict",
  /** Dispatch width (micro-ops per cycle). */
  "dispatch",
  /** Reorder buffer full. */
  "rob",
  /** Waiting for a register (or NZCV) operand. */
  "operands",
  /** Memory ordering (llvm-mca's LSUnit rules) or a forwarded store. */
  "memory",
  /** All pipes of the needed group busy. */
  "pipes",
] as const;

export type StallReason = (typeof STALL_REASONS)[number];

const S_FRONTEND = 1;
const S_MISPREDICT = 2;
const S_DISPATCH = 3;
const S_ROB = 4;
const S_OPERANDS = 5;
const S_MEMORY = 6;
const S_PIPES = 7;

export interface SimulateOptions {
  /**
   * `steady`: predictor and I-cache trained by one pass over the same stream (perf bench's loop);
   * `cold`: untrained. Without the front end there is nothing to train and both are the same.
   */
  readonly mode: "steady" | "cold";
  /** false: llvm-mca compatible (see the file comment). */
  readonly frontEnd: boolean;
  /** Keep dispatch/issue/complete cycles and stall reasons per instruction (retire is always kept). */
  readonly keepPerInsn?: boolean;
}

export interface PerInsnTiming {
  readonly dispatch: Int32Array;
  readonly issue: Int32Array;
  readonly complete: Int32Array;
  /** Index into STALL_REASONS: the constraint that delayed the instruction most. */
  readonly stall: Uint8Array;
}

export interface TimingResult {
  readonly core: string;
  readonly mode: "steady" | "cold";
  readonly frontEnd: boolean;
  readonly instructions: number;
  readonly uops: number;
  /** Cycles until the last instruction retired (llvm-mca's "Total Cycles"). */
  readonly totalCycles: number;
  /** Retire cycle of each instruction. */
  readonly retire: Int32Array;
  readonly perInsn: PerInsnTiming | undefined;
  /** Cycles instructions spent waiting, summed per reason (waits overlap: not a partition of totalCycles). */
  readonly stallCycles: Readonly<Record<StallReason, number>>;
  readonly mispredicts: number;
  readonly icacheMisses: number;
}

const FLAG_LOAD = 1;
const FLAG_STORE = 2;
const KIND_COUNT = OP_KINDS.length;
const CALL = kindIndex("call");
const CALL_INDIRECT = kindIndex("call_indirect");
const WRITEBACK_KINDS = new Set<OpKind>([
  "load_wb",
  "load_pair_wb",
  "store_wb",
  "store_pair_wb",
  "store_pair_w_wb",
]);
/** Kind index per encoding for rules that do not depend on the word. */
const FIXED_KIND = new Map<string, number>(
  Object.entries(KIND_OF_ENCODING).flatMap(([name, rule]) =>
    typeof rule === "string" ? [[name, kindIndex(rule)] as const] : [],
  ),
);

/** A core's classes flattened into typed arrays indexed by kind. */
interface CompiledCore {
  readonly latency: Int32Array;
  readonly uops: Int32Array;
  readonly useStart: Int32Array;
  readonly useCount: Int32Array;
  readonly useNode: Int32Array;
  readonly useCycles: Int32Array;
  readonly memFlags: Uint8Array;
  readonly writeback: Uint8Array;
  /** mca-compatible latencies by def order (base, Rt, Rt2), -1 where the class has none. */
  readonly mcaDefLatency: Int32Array;
  readonly maxUses: number;
}

const compiled = new WeakMap<CoreModel, CompiledCore>();

function compile(core: CoreModel): CompiledCore {
  const cached = compiled.get(core);
  if (cached !== undefined) return cached;
  const known = new Set([...core.units, ...Object.keys(core.groups)]);
  for (const [group, members] of Object.entries(core.groups)) {
    for (const member of members) {
      if (!known.has(member)) {
        throw new TimingFailure({
          code: "timing_unknown_unit",
          path: `cores/${core.name}/groups/${group}`,
          message: `"${member}" is neither a unit nor a group of ${core.name}`,
        });
      }
    }
  }
  const nodeNames = [...core.units, ...Object.keys(core.groups)];
  const nodeOf = (name: string, kind: string): number => {
    const id = nodeNames.indexOf(name);
    if (id < 0) {
      throw new TimingFailure({
        code: "timing_unknown_unit",
        path: `cores/${core.name}/classes/${kind}`,
        message: `pipe "${name}" is neither a unit nor a group of ${core.name}`,
      });
    }
    return id;
  };
  const latency = new Int32Array(KIND_COUNT);
  const uops = new Int32Array(KIND_COUNT);
  const useStart = new Int32Array(KIND_COUNT);
  const useCount = new Int32Array(KIND_COUNT);
  const nodes: number[] = [];
  const cycles: number[] = [];
  const memFlags = new Uint8Array(KIND_COUNT);
  const writeback = new Uint8Array(KIND_COUNT);
  const mcaDefLatency = new Int32Array(KIND_COUNT * 3).fill(-1);
  let maxUses = 0;
  OP_KINDS.forEach((kind, k) => {
    const cls = core.classes[kind];
    latency[k] = cls.latency;
    uops[k] = cls.uops;
    useStart[k] = nodes.length;
    useCount[k] = cls.pipes.length;
    maxUses = Math.max(maxUses, cls.pipes.length);
    for (const use of cls.pipes) {
      nodes.push(nodeOf(use.group, kind));
      cycles.push(use.cycles);
    }
    const flags = MCA_MEMORY[kind];
    memFlags[k] = (flags.load ? FLAG_LOAD : 0) | (flags.store ? FLAG_STORE : 0);
    writeback[k] = WRITEBACK_KINDS.has(kind) ? 1 : 0;
    cls.mcaDefLatencies?.slice(0, 3).forEach((lat, d) => {
      mcaDefLatency[k * 3 + d] = lat;
    });
  });
  const result: CompiledCore = {
    latency,
    uops,
    useStart,
    useCount,
    useNode: Int32Array.from(nodes),
    useCycles: Int32Array.from(cycles),
    memFlags,
    writeback,
    mcaDefLatency,
    maxUses,
  };
  compiled.set(core, result);
  return result;
}

function kindIndexOf(insn: ExecutedInsn, index: number): number {
  const fixed = FIXED_KIND.get(insn.name);
  if (fixed !== undefined) return fixed;
  const kind = kindOf(insn.name, insn.word);
  if (kind === undefined) {
    throw new TimingFailure({
      code: "timing_unknown_encoding",
      path: `stream[${index}] pc=0x${insn.pc.toString(16)}`,
      message: `encoding "${insn.name}" has no timing kind`,
    });
  }
  return kindIndex(kind);
}

function grow(array: Int32Array, size: number): Int32Array {
  const next = new Int32Array(Math.max(size, array.length * 2));
  next.set(array);
  return next;
}

function growBytes(array: Uint8Array, size: number): Uint8Array {
  const next = new Uint8Array(Math.max(size, array.length * 2));
  next.set(array);
  return next;
}

/**
 * The out-of-order pipeline fed one executed instruction at a time. `simulate` wraps it; use it
 * directly to time a stream as the functional core produces it (`onInsn`).
 */
export class Pipeline {
  private readonly c: CompiledCore;
  private readonly mca: boolean;
  private readonly pipes: PipeReservations;
  private readonly predictor: BranchPredictor;
  private readonly icache: InstructionCache;
  /** Cycle each register's value is ready; one extra slot for XZR in the mca-compatible mode. */
  private readonly regReady = new Int32Array(REG_COUNT + 1);
  private readonly stallTotals = new Float64Array(STALL_REASONS.length);

  private n = 0;
  private totalUops = 0;
  private retireAt: Int32Array;
  private uopsAt: Int32Array;
  private dispatchAt: Int32Array;
  private issueAt: Int32Array;
  private completeAt: Int32Array;
  private stallAt: Uint8Array;

  // Front end.
  private fetchCycle = 0;
  private fetchSlots = 0;
  private fetchLine = -1;
  private mispredicts = 0;
  private icacheMisses = 0;
  /** The previous instruction was a mispredicted branch: the next one's front-end wait is its cost. */
  private afterMispredict = false;

  // Dispatch (DispatchStage: AvailableEntries and CarryOver) and the reorder buffer.
  private dispatchCycle = 0;
  private available: number;
  private carryOver = 0;
  private robUsed = 0;
  private robHead = 0;
  private dispatchReason = S_FRONTEND;

  // Retire.
  private lastRetire = 0;
  private retiredInCycle = 0;

  // llvm-mca LSUnit: latest issue cycle of any older memory operation.
  private memoryIssued = -1;

  // Store-to-load forwarding with the front end on: address -> index of the last store to it.
  private readonly lastStore = new Map<number, number>();
  private storeIssueAt: Int32Array;

  constructor(
    private readonly core: CoreModel,
    private readonly options: SimulateOptions,
    expected = 1024,
  ) {
    this.c = compile(core);
    this.mca = !options.frontEnd;
    this.predictor = new BranchPredictor(core.params);
    this.icache = new InstructionCache(core.params.icacheLineBytes);
    this.pipes = new PipeReservations(core, this.c.maxUses);
    this.available = core.params.dispatchWidth;
    const size = Math.max(16, expected);
    this.retireAt = new Int32Array(size);
    this.uopsAt = new Int32Array(size);
    this.storeIssueAt = new Int32Array(this.mca ? 0 : size);
    const keep = options.keepPerInsn === true;
    this.dispatchAt = new Int32Array(keep ? size : 0);
    this.issueAt = new Int32Array(keep ? size : 0);
    this.completeAt = new Int32Array(keep ? size : 0);
    this.stallAt = new Uint8Array(keep ? size : 0);
  }

  /** Runs the predictor and I-cache over a stream without timing it: the `steady` mode's first pass. */
  train(stream: readonly ExecutedInsn[]): void {
    for (const insn of stream) {
      this.icache.touch(insn.pc);
      this.predictor.predict(insn.branch, insn.pc, insn.taken, insn.nextPc);
    }
  }

  private nextDispatchCycle(): void {
    const width = this.core.params.dispatchWidth;
    this.dispatchCycle++;
    this.available = this.carryOver >= width ? 0 : width - this.carryOver;
    this.carryOver = this.carryOver >= width ? this.carryOver - width : 0;
  }

  private advanceDispatchTo(cycle: number): void {
    while (this.dispatchCycle < cycle) {
      if (this.carryOver === 0) {
        this.dispatchCycle = cycle;
        this.available = this.core.params.dispatchWidth;
        return;
      }
      this.nextDispatchCycle();
    }
  }

  private ensureCapacity(): void {
    const i = this.n;
    if (i < this.retireAt.length) return;
    this.retireAt = grow(this.retireAt, i + 1);
    this.uopsAt = grow(this.uopsAt, i + 1);
    if (!this.mca) this.storeIssueAt = grow(this.storeIssueAt, i + 1);
    if (this.options.keepPerInsn === true) {
      this.dispatchAt = grow(this.dispatchAt, i + 1);
      this.issueAt = grow(this.issueAt, i + 1);
      this.completeAt = grow(this.completeAt, i + 1);
      this.stallAt = growBytes(this.stallAt, i + 1);
    }
  }

  /** Fetch and decode: the cycle the instruction at `pc` leaves decode. */
  private fetch(pc: number): number {
    const params = this.core.params;
    if (this.fetchSlots >= params.decodeWidth) {
      this.fetchCycle++;
      this.fetchSlots = 0;
    }
    const line = Math.floor(pc / params.icacheLineBytes);
    if (line !== this.fetchLine) {
      this.fetchLine = line;
      if (!this.icache.touch(pc)) {
        this.icacheMisses++;
        this.fetchCycle += params.icacheMissPenalty;
        this.fetchSlots = 0;
      }
    }
    this.fetchSlots++;
    return this.fetchCycle + params.frontEndDepth;
  }

  /**
   * Dispatch: in order, `dispatchWidth` micro-op slots a cycle with llvm-mca's carry-over, and
   * reorder-buffer entries freed as older instructions retire. Sets `dispatchReason`.
   */
  private dispatch(i: number, uops: number, ready: number): number {
    const params = this.core.params;
    this.dispatchReason = S_FRONTEND;
    this.advanceDispatchTo(ready);
    const required = Math.min(uops, params.dispatchWidth);
    for (;;) {
      while (this.robHead < i && this.retireAt[this.robHead]! <= this.dispatchCycle) {
        this.robUsed -= this.uopsAt[this.robHead]!;
        this.robHead++;
      }
      if (this.robUsed + uops > params.robSize && this.robHead < i) {
        this.dispatchReason = S_ROB;
        this.advanceDispatchTo(this.retireAt[this.robHead]!);
        continue;
      }
      if (this.available < required) {
        if (this.dispatchReason !== S_ROB) this.dispatchReason = S_DISPATCH;
        this.nextDispatchCycle();
        continue;
      }
      break;
    }
    if (uops >= this.available) {
      this.carryOver = uops - this.available;
      this.available = 0;
    } else {
      this.available -= uops;
    }
    this.robUsed += uops;
    this.pipes.release(this.dispatchCycle + 1);
    return this.dispatchCycle;
  }

  /** A branch's outcome steers the next fetch; true when it was mispredicted. */
  private steer(insn: ExecutedInsn, complete: number): boolean {
    const params = this.core.params;
    const outcome = this.predictor.predict(insn.branch, insn.pc, insn.taken, insn.nextPc);
    if (outcome === MISPREDICTED) {
      this.mispredicts++;
      this.fetchCycle = Math.max(
        this.fetchCycle + 1,
        complete + params.mispredictPenalty - params.frontEndDepth,
      );
      this.fetchSlots = 0;
      this.fetchLine = -1;
      return true;
    }
    if (outcome === BTB_MISS) {
      this.fetchCycle += 1 + params.btbMissPenalty;
      this.fetchSlots = 0;
    } else if (insn.taken) {
      this.fetchCycle += 1 + params.takenBranchBubble;
      this.fetchSlots = 0;
    }
    if (insn.taken) this.fetchLine = -1;
    return false;
  }

  /** Times one instruction; every older instruction has been fed already. */
  feed(insn: ExecutedInsn): void {
    this.ensureCapacity();
    const i = this.n;
    const c = this.c;
    const params = this.core.params;
    const k = kindIndexOf(insn, i);
    const uops = c.uops[k]!;

    const previousDispatch = this.dispatchCycle;
    const dispatch = this.dispatch(i, uops, this.mca ? 0 : this.fetch(insn.pc));
    const dispatchReason = this.dispatchReason;

    // Issue: operands, memory order, pipes.
    let issueReason = 0;
    let earliest = dispatch + 1;
    const reads = insn.reads;
    for (let r = 0; r < reads.length; r++) {
      const at = this.regReady[reads[r]!]!;
      if (at > earliest) {
        earliest = at;
        issueReason = S_OPERANDS;
      }
    }
    const isCall = k === CALL || k === CALL_INDIRECT;
    let zeroRegister = 0;
    let pacHint = false;
    if (this.mca) {
      // LLVM's BL/BLR carry `Uses = [SP]` (AArch64InstrInfo.td), so llvm-mca makes calls wait for SP.
      let implicit = isCall ? this.regReady[REG_SP]! : 0;
      if (this.core.mcaVersion === 16) {
        zeroRegister = zeroRegisterUse(insn.name, insn.word);
        if ((zeroRegister & ZR_READ) !== 0) implicit = Math.max(implicit, this.regReady[REG_ZR]!);
      } else {
        pacHint = PAC_HINTS.has(insn.name);
        if (pacHint) implicit = Math.max(implicit, this.regReady[30]!, this.regReady[REG_SP]!);
      }
      if (implicit > earliest) {
        earliest = implicit;
        issueReason = S_OPERANDS;
      }
    }
    const flags = c.memFlags[k]!;
    const latency = c.latency[k]!;
    // LSUnit with NoAlias (LLVM 16 LSUnit.cpp, checked against llvm-mca-16 timelines): a store
    // (the hint space counts as one) issues no earlier than every older load and store; loads
    // pass stores. Hints are not barriers there.
    if (this.mca && (flags & FLAG_STORE) !== 0 && this.memoryIssued > earliest) {
      earliest = this.memoryIssued;
      issueReason = S_MEMORY;
    }
    const issue = this.pipes.reserve(c.useNode, c.useCycles, c.useStart[k]!, c.useCount[k]!, earliest);
    if (issue > earliest) issueReason = S_PIPES;
    const complete = issue + (this.mca && isCall ? params.mcaCallLatency : latency);

    // Results: loads may wait for a forwarded store (front end on).
    let resultReady = issue + latency;
    const mem = insn.mem;
    if (!this.mca && mem.length > 0) {
      for (let m = 0; m < mem.length; m++) {
        const access = mem[m]!;
        if (access.store) continue;
        const store = this.lastStore.get(access.addr);
        if (store !== undefined && this.retireAt[store]! > issue) {
          const forwarded = this.storeIssueAt[store]! + params.storeForwardLatency;
          if (forwarded > resultReady) resultReady = forwarded;
        }
      }
    }
    const writes = insn.writes;
    const writeback = c.writeback[k] === 1;
    const byDefOrder = this.mca && c.mcaDefLatency[k * 3]! >= 0;
    let dataDef = 1;
    for (let w = 0; w < writes.length; w++) {
      const reg = writes[w]!;
      const isBase = writeback && reads.includes(reg);
      if (byDefOrder) {
        const def = isBase ? 0 : Math.min(2, dataDef++);
        this.regReady[reg] = issue + Math.max(0, c.mcaDefLatency[k * 3 + def]!);
      } else {
        this.regReady[reg] = isBase ? issue + params.writebackLatency : resultReady;
      }
    }
    if ((zeroRegister & ZR_WRITE) !== 0) this.regReady[REG_ZR] = issue + latency;
    if (pacHint) this.regReady[30] = issue + latency;
    const completeAll = Math.max(complete, resultReady);

    // Retire: in order, after completion; bounded width with the front end on.
    let retire = Math.max(completeAll + 1, this.lastRetire);
    if (!this.mca) {
      if (retire === this.lastRetire && this.retiredInCycle >= params.retireWidth) retire++;
      this.retiredInCycle = retire === this.lastRetire ? this.retiredInCycle + 1 : 1;
    }
    this.lastRetire = retire;

    if (this.mca && flags !== 0 && issue > this.memoryIssued) this.memoryIssued = issue;
    if (!this.mca && (flags & FLAG_STORE) !== 0) {
      this.storeIssueAt[i] = issue;
      for (let m = 0; m < mem.length; m++) if (mem[m]!.store) this.lastStore.set(mem[m]!.addr, i);
    }

    const mispredicted = !this.mca && insn.branch !== "none" && this.steer(insn, complete);

    // Accounting.
    const dispatchWait = dispatch - previousDispatch;
    const issueWait = issue - (dispatch + 1);
    const dispatchCause =
      this.afterMispredict && dispatchReason === S_FRONTEND ? S_MISPREDICT : dispatchReason;
    if (dispatchWait > 0) this.stallTotals[dispatchCause]! += dispatchWait;
    if (issueWait > 0) this.stallTotals[issueReason]! += issueWait;
    this.afterMispredict = mispredicted;

    this.retireAt[i] = retire;
    this.uopsAt[i] = uops;
    if (this.options.keepPerInsn === true) {
      this.dispatchAt[i] = dispatch;
      this.issueAt[i] = issue;
      this.completeAt[i] = completeAll;
      this.stallAt[i] =
        issueWait > 0 && issueWait >= dispatchWait ? issueReason : dispatchWait > 0 ? dispatchCause : 0;
    }
    this.totalUops += uops;
    this.n = i + 1;
  }

  finish(): TimingResult {
    const n = this.n;
    const stallCycles = Object.fromEntries(
      STALL_REASONS.map((reason, r) => [reason, this.stallTotals[r]!]),
    ) as Record<StallReason, number>;
    const keep = this.options.keepPerInsn === true;
    return {
      core: this.core.name,
      mode: this.options.mode,
      frontEnd: this.options.frontEnd,
      instructions: n,
      uops: this.totalUops,
      totalCycles: n === 0 ? 0 : this.lastRetire + 1,
      retire: this.retireAt.slice(0, n),
      perInsn: keep
        ? {
            dispatch: this.dispatchAt.slice(0, n),
            issue: this.issueAt.slice(0, n),
            complete: this.completeAt.slice(0, n),
            stall: this.stallAt.slice(0, n),
          }
        : undefined,
      stallCycles,
      mispredicts: this.mispredicts,
      icacheMisses: this.icacheMisses,
    };
  }
}

/**
 * Times a dynamic instruction stream on a core. Deterministic: the same stream and options give
 * the same cycles. Throws TimingFailure for an encoding without a timing kind.
 */
export function simulate(
  core: CoreModel,
  stream: readonly ExecutedInsn[],
  options: SimulateOptions,
): TimingResult {
  const pipeline = new Pipeline(core, options, stream.length);
  if (options.frontEnd && options.mode === "steady") pipeline.train(stream);
  for (const insn of stream) pipeline.feed(insn);
  return pipeline.finish();
}
