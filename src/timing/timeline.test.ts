import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { cores } from "./cores/index.ts";
import { LLVM_MCA, mcaAvailability, mcaSource } from "./mca.ts";
import { simulate } from "./pipeline.ts";
import { callPair, FORMS, type SyntheticInsn } from "./synthetic.ts";
import { renderTimeline } from "./timeline.ts";

const form = (name: string): (typeof FORMS)[number] => FORMS.find((f) => f.name === name)!;

/** A function prologue, a load/test/branch, a call and an epilogue, as the fixtures have. */
function prologueStream(): SyntheticInsn[] {
  const out: SyntheticInsn[] = [];
  let pc = 0x10000;
  const add = (name: string, a = 0, b = 1, c = 2): void => {
    const built = form(name).build(a, b, c, pc);
    out.push(built);
    pc = built.insn.nextPc;
  };
  add("paciasp");
  add("stp pre");
  add("mov sp");
  add("mrs", 5);
  add("ldr", 4, 5, 1);
  add("tst", 0, 4);
  add("b.ne", 0, 0, 1);
  out.push(...callPair(pc, 0x20000));
  pc += 4;
  add("ldp post");
  add("nop");
  return out;
}

const textOf = (stream: SyntheticInsn[]) => (i: number) => stream[i]!.text.split("\n")[0]!;

describe("timeline view", () => {
  it("draws D, =, e, E, -, R and the five-cycle dots as llvm-mca does", () => {
    const stream = [
      form("ldr").build(0, 0, 0, 0),
      form("add imm").build(1, 0, 0, 4),
      form("mov imm").build(2, 0, 0, 8),
    ];
    const result = simulate(
      cores.tsv110,
      stream.map((s) => s.insn),
      {
        mode: "steady",
        frontEnd: false,
        keepPerInsn: true,
      },
    );
    expect(
      renderTimeline(
        result,
        stream.map((s) => s.insn),
        textOf(stream),
      ),
    ).toBe(
      [
        "Timeline view:",
        "Index     01234567",
        "",
        "[0,0]     DeeeeER.   ldr x0, [x0, #0]",
        "[0,1]     D====eER   add x1, x0, #8",
        "[0,2]     DeE----R   mov x2, #118",
      ].join("\n"),
    );
  });

  it("asks for keepPerInsn instead of drawing from missing data", () => {
    const stream = [form("nop").build(0, 0, 0, 0)];
    const result = simulate(cores.tsv110, [stream[0]!.insn], { mode: "steady", frontEnd: false });
    expect(renderTimeline(result, [stream[0]!.insn], textOf(stream))).toMatch(/keepPerInsn/);
  });

  const mca = mcaAvailability();
  it.skipIf(!mca.available)(
    `matches llvm-mca-16's timeline cell for cell on a prologue/call/epilogue stream${mca.available ? "" : ` (skipped: ${mca.reason})`}`,
    () => {
      const stream = prologueStream();
      for (const cpu of ["tsv110", "cortex-a72"] as const) {
        const result = simulate(
          cores[cpu],
          stream.map((s) => s.insn),
          {
            mode: "steady",
            frontEnd: false,
            keepPerInsn: true,
          },
        );
        const rendered = renderTimeline(
          result,
          stream.map((s) => s.insn),
          textOf(stream),
        ).split("\n");
        const ours = rendered
          .filter((line) => line.startsWith("["))
          .map((line) => line.slice(0, line.lastIndexOf("   ")));
        const run = spawnSync(
          LLVM_MCA,
          ["-mtriple=aarch64", `-mcpu=${cpu}`, "-iterations=1", "-timeline", "-timeline-max-cycles=0", "-"],
          { input: mcaSource([{ name: "prologue", lines: stream.map((s) => s.text) }]), encoding: "utf8" },
        );
        const theirs = run.stdout
          .split("\n")
          .filter((line) => line.startsWith("[0,"))
          .map((line) => line.slice(0, line.lastIndexOf("   ")));
        expect(ours, cpu).toEqual(theirs);
        const header = (lines: string[]) => {
          const index = lines.findIndex((line) => line.startsWith("Index"));
          return [lines[index - 1]!.trimEnd(), lines[index]!.trimEnd()];
        };
        const mcaTimeline = run.stdout.split("Timeline view:\n")[1]!.split("\n");
        expect(header(rendered), `${cpu} header`).toEqual(header(mcaTimeline));
      }
    },
  );
});
