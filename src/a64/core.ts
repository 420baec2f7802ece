/**
 * The step loop of the simulated core: fetch from a per-address decode cache (each word decoded
 * once per program into a closure), execute, and optionally emit one ExecutedInsn per
 * instruction. Faults, traps, undecodable words and the step limit end a run with a coded error
 * value naming pc, word and disassembly.
 */
import type { ExitworkError } from "../errors.ts";
import { type DecodedInsn, decode, disassemble, type Undecodable } from "./decode.ts";
import { TrapException } from "./insn/branch.ts";
import type { Symbolizer } from "./insn/types.ts";
import type { Machine } from "./machine.ts";
import { MemoryFault } from "./memory.ts";
import type { ExecutedInsn, MemAccess } from "./stream.ts";

export interface CodeSegment {
  readonly vaddr: number;
  readonly bytes: Uint8Array;
}

/** A decoded instruction plus the intercept (hook) tag of its address, if any. */
export type CachedInsn = DecodedInsn & { readonly intercept: string | undefined };

/**
 * The executable words of one program, decoded lazily and cached per address. Intercepts tag
 * addresses where the runner performs an effect before the instruction there executes.
 */
export class Code {
  private readonly cache: (CachedInsn | Undecodable | undefined)[];
  private readonly view: DataView;
  readonly base: number;
  readonly end: number;

  constructor(
    segment: CodeSegment,
    private readonly intercepts: ReadonlyMap<number, string>,
  ) {
    this.base = segment.vaddr;
    this.end = segment.vaddr + segment.bytes.length;
    this.view = new DataView(segment.bytes.buffer, segment.bytes.byteOffset, segment.bytes.byteLength);
    this.cache = new Array(segment.bytes.length >>> 2);
  }

  contains(pc: number): boolean {
    return pc >= this.base && pc + 4 <= this.end && (pc & 3) === 0;
  }

  word(pc: number): number {
    return this.view.getUint32(pc - this.base, true);
  }

  /** The decoded instruction at pc (which must satisfy contains()). */
  at(pc: number): CachedInsn | Undecodable {
    const slot = (pc - this.base) >>> 2;
    const hit = this.cache[slot];
    if (hit !== undefined) return hit;
    const decoded = decode(this.word(pc), pc);
    const entry = decoded.ok ? { ...decoded, intercept: this.intercepts.get(pc) } : decoded;
    this.cache[slot] = entry;
    return entry;
  }
}

export type CoreErrorCode =
  | "EXITWORK_SIM_FAULT"
  | "EXITWORK_SIM_TRAP"
  | "EXITWORK_SIM_UNDECODABLE"
  | "EXITWORK_SIM_FETCH"
  | "EXITWORK_SIM_STEP_LIMIT";

export interface CoreError extends ExitworkError {
  readonly code: CoreErrorCode;
  readonly pc: number;
  /** The instruction word at pc, when pc is in code. */
  readonly word: number | undefined;
  /** objdump-style text of that word. */
  readonly disasm: string | undefined;
  readonly steps: number;
}

export interface CoreOptions {
  /** The run ends (successfully) when pc reaches this address. */
  readonly stopAt: number;
  readonly maxSteps: number;
  readonly onInsn?: ((insn: ExecutedInsn) => void) | undefined;
  /** Called before the instruction at a tagged address executes; `index` is that instruction's index. */
  readonly onIntercept?: ((tag: string, m: Machine, index: number) => void) | undefined;
  /** Called with the architectural state before each instruction executes (register-trace checks). */
  readonly onState?: ((pc: number, m: Machine) => void) | undefined;
  /** Names the program in error paths. */
  readonly name: string;
  readonly symbolizer?: Symbolizer | undefined;
}

export type CoreResult =
  | { readonly ok: true; readonly steps: number }
  | { readonly ok: false; readonly error: CoreError };

function codeAt(code: readonly Code[], pc: number): Code | undefined {
  for (const c of code) if (c.contains(pc)) return c;
  return undefined;
}

function failure(
  opts: CoreOptions,
  pc: number,
  steps: number,
  code: CoreErrorCode,
  message: string,
  word?: number,
): CoreResult {
  return {
    ok: false,
    error: {
      code,
      path: `${opts.name}@0x${pc.toString(16)}`,
      message,
      pc,
      word,
      disasm: word === undefined ? undefined : disassemble(word, pc, opts.symbolizer),
      steps,
    },
  };
}

/** Runs from `pc` until `stopAt`; registers and memory are left as the last instruction left them. */
export function runCore(code: readonly Code[], m: Machine, startPc: number, opts: CoreOptions): CoreResult {
  const { stopAt, maxSteps, onInsn, onIntercept, onState } = opts;
  let pc = startPc;
  let steps = 0;
  let current: CachedInsn | undefined;
  const single = code.length === 1 ? code[0]! : undefined;
  try {
    for (;;) {
      if (pc === stopAt) {
        onState?.(pc, m);
        return { ok: true, steps };
      }
      if (steps >= maxSteps)
        return failure(
          opts,
          pc,
          steps,
          "EXITWORK_SIM_STEP_LIMIT",
          `no return after ${maxSteps} instructions`,
        );
      const segment = single?.contains(pc) ? single : codeAt(code, pc);
      if (segment === undefined)
        return failure(opts, pc, steps, "EXITWORK_SIM_FETCH", "instruction fetch outside the program's code");
      const insn = segment.at(pc);
      if (!insn.ok) {
        return failure(
          opts,
          pc,
          steps,
          "EXITWORK_SIM_UNDECODABLE",
          `${insn.kind} instruction: ${insn.reason}`,
          insn.word,
        );
      }
      current = insn;
      m.step = steps;
      onState?.(pc, m);
      if (insn.intercept !== undefined) onIntercept?.(insn.intercept, m, steps);
      if (onInsn === undefined) {
        pc = insn.exec(m);
      } else {
        const mem: MemAccess[] = [];
        m.mem.log = mem;
        const next = insn.exec(m);
        m.mem.log = undefined;
        const branch = insn.branch;
        onInsn({
          pc,
          word: insn.word,
          name: insn.name,
          reads: insn.reads,
          writes: insn.writes,
          mem,
          branch,
          taken: branch === "none" ? false : branch === "conditional" ? m.taken : true,
          nextPc: next,
        });
        pc = next;
      }
      steps++;
    }
  } catch (thrown) {
    m.mem.log = undefined;
    const word = current?.pc === pc ? current.word : undefined;
    if (thrown instanceof MemoryFault) {
      const kind = thrown.store ? "store" : "load";
      return failure(
        opts,
        pc,
        steps,
        "EXITWORK_SIM_FAULT",
        `${kind} of ${thrown.size} bytes at 0x${thrown.addr.toString(16)}: ${thrown.reason}`,
        word,
      );
    }
    if (thrown instanceof TrapException)
      return failure(opts, pc, steps, "EXITWORK_SIM_TRAP", thrown.reason, word);
    throw thrown;
  }
}
