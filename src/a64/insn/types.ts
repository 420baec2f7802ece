/**
 * What one encoding contributes, Sail style: its UNALLOCATED checks, its execution (built once per
 * decoded word into a closure) with the static read/write sets the timing model needs, and its
 * GNU objdump text form.
 */
import type { FieldName } from "../encodings.ts";
import type { Machine } from "../machine.ts";
import type { BranchKind } from "../stream.ts";

export type Fields = Readonly<Record<FieldName, number>>;

/** Executes one instruction at a fixed pc and returns the next pc. */
export type Exec = (m: Machine) => number;

export interface Built {
  readonly exec: Exec;
  readonly reads: readonly number[];
  readonly writes: readonly number[];
  readonly branch: BranchKind;
}

/** Why a word that matches an encoding still does not decode. */
export interface Rejection {
  /** unallocated: the Arm ARM decode pseudocode says UNDEFINED; unsupported: valid, not modelled here. */
  readonly kind: "unallocated" | "unsupported";
  readonly reason: string;
}

/** How branch and literal targets are shown: objdump prints `0x2fc` raw, `24 <sym+0x4>` with symbols. */
export type Symbolizer = (addr: bigint) => string;

export interface Semantics {
  readonly check?: (f: Fields) => Rejection | undefined;
  readonly build: (f: Fields, pc: number) => Built;
  readonly text: (f: Fields, pc: number, sym: Symbolizer) => string;
}
