/**
 * Hardware units that hold state between instructions: execution pipes, the branch predictor
 * with its BTB and return-address stack, and the instruction cache. Stages in pipeline.ts ask
 * them questions; views never see them (llvm-mca's split: llvm/lib/MCA/HardwareUnits).
 */
import type { BranchKind } from "../a64/stream.ts";
import { TimingFailure } from "./core.ts";

/** Cycles of reservation history kept; an issue this far past dispatch is a model error. */
const RING = 1 << 16;
const RING_MASK = RING - 1;

/**
 * Pipe groups as llvm-mca's ResourceManager sees them: a tree of groups over units. Members of a
 * group are listed in LLVM's resource-mask order (tablegen sorts resources by name).
 */
export interface PipeTree {
  readonly units: readonly string[];
  readonly groups: Readonly<Record<string, readonly string[]>>;
}

/**
 * Which execution units are busy in which cycle (a ring of unit bitmasks indexed by cycle), and
 * which unit of a group gets the next micro-op. Unit choice follows llvm-mca's
 * DefaultResourceStrategy (llvm/lib/MCA/HardwareUnits/ResourceManager.cpp): the highest ready
 * member in the current sequence, a member leaving the sequence when it is used up.
 */
export class PipeReservations {
  private readonly busy = new Uint32Array(RING);
  private clearedTo = 0;
  /** Node ids: units first, then groups. */
  private readonly nodeIndex = new Map<string, number>();
  private readonly unitCount: number;
  /** Members of group node g (node ids), in mask order. */
  private readonly members: number[][] = [];
  /** Unit bitmask covered by each node. */
  private readonly cover: number[] = [];
  /** Groups that list a node directly (`parentGroup`) and the node's position in each. */
  private readonly parentGroup: number[][] = [];
  private readonly parentPosition: number[][] = [];
  private readonly next: number[] = [];
  private readonly removed: number[] = [];
  private readonly picked: Uint32Array;

  constructor(tree: PipeTree, maxUses: number) {
    this.unitCount = tree.units.length;
    tree.units.forEach((unit, i) => {
      this.nodeIndex.set(unit, i);
      this.cover[i] = 1 << i;
      this.parentGroup[i] = [];
      this.parentPosition[i] = [];
    });
    const groupNames = Object.keys(tree.groups);
    groupNames.forEach((name, g) => {
      this.nodeIndex.set(name, this.unitCount + g);
    });
    groupNames.forEach((name, g) => {
      const id = this.unitCount + g;
      this.parentGroup[id] ??= [];
      this.parentPosition[id] ??= [];
      const ids = tree.groups[name]!.map((member) => this.nodeIndex.get(member)!);
      this.members[id] = ids;
      this.next[id] = (1 << ids.length) - 1;
      this.removed[id] = 0;
      ids.forEach((member, position) => {
        this.parentGroup[member]!.push(id);
        this.parentPosition[member]!.push(position);
      });
    });
    const coverOf = (id: number): number => {
      if (id < this.unitCount) return this.cover[id]!;
      let mask = 0;
      for (const member of this.members[id]!) mask |= coverOf(member);
      this.cover[id] = mask;
      return mask;
    };
    for (let id = this.unitCount; id < this.unitCount + groupNames.length; id++) coverOf(id);
    this.picked = new Uint32Array(Math.max(1, maxUses));
  }

  /** Node id of a unit or group name; undefined for an unknown name. */
  node(name: string): number | undefined {
    return this.nodeIndex.get(name);
  }

  /** Forgets reservations before `cycle` (nothing issues earlier than the current dispatch). */
  release(cycle: number): void {
    if (cycle - this.clearedTo >= RING) this.busy.fill(0);
    else for (let c = this.clearedTo; c < cycle; c++) this.busy[c & RING_MASK] = 0;
    if (cycle > this.clearedTo) this.clearedTo = cycle;
  }

  /** Units of `mask` free for `cycles` cycles from `from`. */
  private freeUnits(mask: number, from: number, cycles: number): number {
    let free = mask;
    for (let c = from; c < from + cycles && free !== 0; c++) free &= ~this.busy[c & RING_MASK]!;
    return free;
  }

  /** llvm-mca DefaultResourceStrategy::select over member positions. */
  private select(group: number, ready: number): number {
    let candidates = ready & this.next[group]!;
    if (candidates === 0) {
      this.next[group] = ((1 << this.members[group]!.length) - 1) ^ this.removed[group]!;
      this.removed[group] = 0;
      candidates = ready & this.next[group]!;
      if (candidates === 0) {
        this.next[group] = (1 << this.members[group]!.length) - 1;
        candidates = ready & this.next[group]!;
      }
    }
    const top = 1 << (31 - Math.clz32(candidates));
    this.next[group]! &= top | (top - 1);
    return 31 - Math.clz32(top);
  }

  /** llvm-mca DefaultResourceStrategy::used. */
  private used(group: number, position: number): void {
    const bit = 1 << position;
    if (bit > this.next[group]!) {
      this.removed[group]! |= bit;
      return;
    }
    this.next[group]! &= ~bit;
    if (this.next[group] !== 0) return;
    this.next[group] = ((1 << this.members[group]!.length) - 1) ^ this.removed[group]!;
    this.removed[group] = 0;
  }

  /** A unit of `node` free for the whole use, by strategy; 0 when none. */
  private pick(node: number, available: number): number {
    if (node < this.unitCount) return this.cover[node]! & available;
    const members = this.members[node]!;
    let ready = 0;
    for (let p = 0; p < members.length; p++)
      if ((this.cover[members[p]!]! & available) !== 0) ready |= 1 << p;
    if (ready === 0) return 0;
    return this.pick(members[this.select(node, ready)]!, available);
  }

  /** After a unit is taken at `cycle`: tell each group whose member became fully busy. */
  private notify(node: number, cycle: number): void {
    const busyNow = this.busy[cycle & RING_MASK]!;
    const groups = this.parentGroup[node]!;
    const positions = this.parentPosition[node]!;
    for (let g = 0; g < groups.length; g++) {
      const group = groups[g]!;
      const position = positions[g]!;
      const member = this.members[group]![position]!;
      const isUnitResource = member < this.unitCount;
      if (isUnitResource || (this.cover[member]! & ~busyNow) === 0) this.used(group, position);
      if ((this.cover[group]! & ~busyNow) === 0) this.notify(group, cycle);
    }
  }

  /**
   * Earliest cycle >= `from` at which every use (a node and a busy time) gets its own free unit;
   * reserves them and returns the cycle.
   */
  reserve(nodes: Int32Array, cycles: Int32Array, start: number, count: number, from: number): number {
    if (count === 0) return from;
    for (let t = from; ; t++) {
      if (t - this.clearedTo >= RING - 64) {
        throw new TimingFailure({
          code: "timing_window",
          path: `cycle ${t}`,
          message: `an issue ${t - this.clearedTo} cycles after dispatch is beyond the model's ${RING}-cycle window (latency overrides too large?)`,
        });
      }
      let taken = 0;
      let ok = true;
      for (let j = 0; j < count && ok; j++) {
        const free = this.freeUnits(this.cover[nodes[start + j]!]!, t, cycles[start + j]!) & ~taken;
        ok = free !== 0;
        taken |= free & -free;
      }
      if (!ok) continue;
      taken = 0;
      for (let j = 0; j < count; j++) {
        const node = nodes[start + j]!;
        const free = this.freeUnits(this.cover[node]!, t, cycles[start + j]!) & ~taken;
        let bit = this.pick(node, free);
        bit = bit === 0 ? free & -free : bit & -bit;
        taken |= bit;
        this.picked[j] = bit;
      }
      for (let j = 0; j < count; j++) {
        const bit = this.picked[j]!;
        for (let c = t; c < t + cycles[start + j]!; c++) this.busy[c & RING_MASK]! |= bit;
        this.notify(31 - Math.clz32(bit), t);
      }
      return t;
    }
  }
}

export const PREDICTED = 0;
/** A taken direct branch the BTB does not know: redirected at decode. */
export const BTB_MISS = 1;
export const MISPREDICTED = 2;

export interface PredictorSizes {
  readonly predictorEntries: number;
  readonly btbEntries: number;
  readonly rasDepth: number;
}

/**
 * A bimodal predictor (2-bit counters, the textbook baseline: no core here publishes its
 * predictor), a direct-mapped BTB and a return-address stack. Calls push pc + 4, returns pop; a
 * return with an empty stack falls back to the BTB, as an indirect branch would.
 */
export class BranchPredictor {
  private readonly counters: Uint8Array;
  private readonly btbPc: Float64Array;
  private readonly btbTarget: Float64Array;
  private readonly ras: Float64Array;
  private rasTop = 0;
  private rasCount = 0;

  constructor(private readonly sizes: PredictorSizes) {
    // Weakly not-taken: an untrained predictor guesses fall-through.
    this.counters = new Uint8Array(sizes.predictorEntries).fill(1);
    this.btbPc = new Float64Array(sizes.btbEntries).fill(-1);
    this.btbTarget = new Float64Array(sizes.btbEntries);
    this.ras = new Float64Array(Math.max(1, sizes.rasDepth));
  }

  private slot(pc: number, entries: number): number {
    return Math.floor(pc / 4) % entries;
  }

  private btbLookup(pc: number): number {
    const s = this.slot(pc, this.sizes.btbEntries);
    return this.btbPc[s] === pc ? this.btbTarget[s]! : -1;
  }

  private btbUpdate(pc: number, target: number): void {
    const s = this.slot(pc, this.sizes.btbEntries);
    this.btbPc[s] = pc;
    this.btbTarget[s] = target;
  }

  private push(returnAddress: number): void {
    if (this.sizes.rasDepth === 0) return;
    this.ras[this.rasTop] = returnAddress;
    this.rasTop = (this.rasTop + 1) % this.sizes.rasDepth;
    if (this.rasCount < this.sizes.rasDepth) this.rasCount++;
  }

  private pop(): number {
    if (this.rasCount === 0) return -1;
    this.rasTop = (this.rasTop + this.sizes.rasDepth - 1) % this.sizes.rasDepth;
    this.rasCount--;
    return this.ras[this.rasTop]!;
  }

  /** Predicts one executed branch, learns its outcome, and says how the front end fared. */
  predict(kind: BranchKind, pc: number, taken: boolean, nextPc: number): number {
    switch (kind) {
      case "none":
        return PREDICTED;
      case "conditional": {
        const s = this.slot(pc, this.sizes.predictorEntries);
        const counter = this.counters[s]!;
        const guessTaken = counter >= 2;
        this.counters[s] = taken ? Math.min(3, counter + 1) : Math.max(0, counter - 1);
        if (guessTaken !== taken) {
          if (taken) this.btbUpdate(pc, nextPc);
          return MISPREDICTED;
        }
        if (!taken) return PREDICTED;
        const known = this.btbLookup(pc) === nextPc;
        this.btbUpdate(pc, nextPc);
        return known ? PREDICTED : BTB_MISS;
      }
      case "direct":
      case "call": {
        if (kind === "call") this.push(pc + 4);
        const known = this.btbLookup(pc) === nextPc;
        this.btbUpdate(pc, nextPc);
        return known ? PREDICTED : BTB_MISS;
      }
      case "indirect":
      case "indirect_call": {
        if (kind === "indirect_call") this.push(pc + 4);
        const known = this.btbLookup(pc) === nextPc;
        this.btbUpdate(pc, nextPc);
        return known ? PREDICTED : MISPREDICTED;
      }
      case "return": {
        const fromStack = this.pop();
        const guess = fromStack >= 0 ? fromStack : this.btbLookup(pc);
        this.btbUpdate(pc, nextPc);
        return guess === nextPc ? PREDICTED : MISPREDICTED;
      }
    }
  }
}

/**
 * Instruction-cache lines touched so far. Capacity is not modelled: the exit path's code is a
 * few hundred bytes against a 48-64 KiB L1I, so the only misses are first touches.
 */
export class InstructionCache {
  private readonly lines = new Set<number>();

  constructor(private readonly lineBytes: number) {}

  /** True on a hit; a miss fills the line. */
  touch(pc: number): boolean {
    const line = Math.floor(pc / this.lineBytes);
    if (this.lines.has(line)) return true;
    this.lines.add(line);
    return false;
  }
}
