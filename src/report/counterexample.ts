/**
 * Counterexample reports: reports/<name>.json (validated by a zod schema, replayable without the
 * generator) and reports/<name>.md (the same for a human: the input, both sides in two columns
 * with `*` on differing rows, the first divergence and the kernel rule it breaks, the executed
 * instructions, for budget failures the timelines and cycles per effect, and how it was found).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { z } from "zod";
import { fail } from "../errors.ts";
import { DOMAINS } from "../harness/domain.ts";
import type { ExitInput } from "../kernel/state.ts";

export const COUNTEREXAMPLE_FORMAT = "exitwork-counterexample-1";

const rowSchema = z.object({
  section: z.enum(["effect", "final", "memory", "abi"]),
  name: z.string(),
  left: z.string(),
  right: z.string(),
  differs: z.boolean(),
});

const sideSchema = z.object({
  label: z.string(),
  /** A compiled fixture, or the specification. */
  fixture: z.object({ id: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/) }).nullable(),
  spec: z.enum(["generic", "legacy"]).nullable(),
});

const effectCyclesSchema = z.object({ effect: z.string(), cycles: z.number() });

export const counterexampleSchema = z.object({
  format: z.literal(COUNTEREXAMPLE_FORMAT),
  name: z.string().regex(/^[A-Za-z0-9._-]+$/),
  property: z.enum(["P1", "P2", "P3", "P4"]),
  /** The subject: the exit path, or the whole syscall (its input has the entry decisions too). */
  subject: z.enum(["exit", "syscall"]).default("exit"),
  kind: z.enum(["behaviour", "budget"]),
  headline: z.string(),
  left: sideSchema,
  right: sideSchema,
  core: z.string().nullable(),
  mode: z.enum(["steady", "cold"]).nullable(),
  input: z.unknown(),
  inputText: z.string(),
  path: z.string(),
  divergence: z
    .object({ what: z.string(), rule: z.string(), firstRow: z.number().int(), rows: z.array(rowSchema) })
    .nullable(),
  budget: z
    .object({
      leftCycles: z.number(),
      rightCycles: z.number(),
      budget: z.number().nullable(),
      verdict: z.string(),
      perEffect: z.object({ left: z.array(effectCyclesSchema), right: z.array(effectCyclesSchema) }),
      timeline: z.object({ left: z.string(), right: z.string() }),
    })
    .nullable(),
  executed: z.object({ left: z.array(z.string()), right: z.array(z.string()) }),
  search: z.object({
    source: z.enum(["sweep", "random"]),
    seed: z.number().int(),
    /** fast-check's replay path, for random finds. */
    path: z.string().nullable(),
    shrinks: z.number().int().nullable(),
    /** Cases run before the failure was found. */
    runs: z.number().int(),
  }),
  tools: z.record(z.string(), z.string()),
});

/** The report as written (64-bit values as hex strings). */
export type CounterexampleJson = z.input<typeof counterexampleSchema>;
/** The report as read back, its input parsed by the subject's own schema (64-bit values as bigint). */
export type Counterexample = Omit<z.infer<typeof counterexampleSchema>, "input"> & {
  readonly input: ExitInput;
};
export type ReportRow = z.infer<typeof rowSchema>;

/** Two columns, `*` on each differing row, like dynarmic's fuzzer output. */
export function sideBySide(rows: readonly ReportRow[], leftLabel: string, rightLabel: string): string[] {
  const nameWidth = Math.max(4, ...rows.map((r) => r.name.length));
  const leftWidth = Math.max(leftLabel.length, ...rows.map((r) => r.left.length));
  const line = (mark: string, name: string, left: string, right: string) =>
    `${mark} ${name.padEnd(nameWidth)}  ${left.padEnd(leftWidth)}  ${right}`.trimEnd();
  return [
    line(" ", "", leftLabel, rightLabel),
    ...rows.map((r) => line(r.differs ? "*" : " ", r.name, r.left, r.right)),
  ];
}

function sideName(side: CounterexampleJson["left"]): string {
  if (side.fixture) return `${side.label} (${side.fixture.id}, sha256 ${side.fixture.sha256.slice(0, 12)})`;
  return `${side.label} (the ${side.spec} specification)`;
}

export function renderMarkdown(r: CounterexampleJson, jsonPath = `reports/${r.name}.json`): string {
  const out: string[] = [
    `# ${r.property} counterexample: ${r.headline}`,
    "",
    `- left: ${sideName(r.left)}`,
    `- right: ${sideName(r.right)}`,
    `- path: ${r.path}${r.core ? `; core ${r.core}, ${r.mode} state` : ""}`,
    `- found by: ${r.search.source === "sweep" ? "the exhaustive sweep" : "fast-check"}, seed ${r.search.seed}${
      r.search.path ? `, path "${r.search.path}"` : ""
    }${r.search.shrinks !== null ? `, ${r.search.shrinks} shrinks` : ""}, after ${r.search.runs} cases`,
    `- replay: \`npx exitwork replay ${jsonPath}\``,
    "",
    "## Input",
    "",
    "```",
    r.inputText,
    "```",
  ];
  if (r.divergence) {
    out.push(
      "",
      "## First divergence",
      "",
      `${r.divergence.what}.`,
      "",
      `Rule: ${r.divergence.rule}`,
      "",
      "```",
      ...sideBySide(r.divergence.rows, r.left.label, r.right.label),
      "```",
    );
  }
  if (r.budget) {
    const b = r.budget;
    out.push(
      "",
      "## Cycles",
      "",
      `${r.left.label} ${b.leftCycles}, ${r.right.label} ${b.rightCycles}${b.budget !== null ? `, budget ${b.budget}` : ""}: ${b.verdict}`,
      "",
      `| effect | ${r.left.label} | ${r.right.label} |`,
      "|---|---|---|",
    );
    const effects = [...new Set([...b.perEffect.left, ...b.perEffect.right].map((e) => e.effect))];
    for (const effect of effects) {
      const cell = (list: { effect: string; cycles: number }[]) =>
        String(list.find((e) => e.effect === effect)?.cycles ?? "-");
      out.push(`| ${effect} | ${cell(b.perEffect.left)} | ${cell(b.perEffect.right)} |`);
    }
    out.push("", `### Timeline: ${r.left.label}`, "", "```", b.timeline.left, "```");
    out.push("", `### Timeline: ${r.right.label}`, "", "```", b.timeline.right, "```");
  }
  for (const [label, lines] of [
    [r.left.label, r.executed.left],
    [r.right.label, r.executed.right],
  ] as const) {
    if (lines.length === 0) continue;
    out.push("", `## Executed: ${label} (${lines.length} instructions)`, "", "```", ...lines, "```");
  }
  out.push("", "## Tools", "", ...Object.entries(r.tools).map(([k, v]) => `- ${k}: ${v}`), "");
  return out.join("\n");
}

/** Writes reports/<name>.json and .md; returns the JSON path. */
export function writeCounterexample(dir: string, report: CounterexampleJson): string {
  counterexampleSchema.parse(report);
  mkdirSync(dir, { recursive: true });
  const jsonPath = join(dir, `${report.name}.json`);
  writeFileSync(jsonPath, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(
    join(dir, `${report.name}.md`),
    renderMarkdown(report, relative(process.cwd(), jsonPath) || jsonPath),
  );
  return jsonPath;
}

export function readCounterexample(file: string): { json: CounterexampleJson; report: Counterexample } {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    fail("REPORT_MISSING", file, "cannot read the report file");
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    fail("REPORT_INVALID", file, `not JSON: ${(e as Error).message}`);
  }
  const parsed = counterexampleSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    fail(
      "REPORT_INVALID",
      `${file}:${issue?.path.join(".") ?? ""}`,
      issue?.message ?? "not a counterexample report",
    );
  }
  let input: ExitInput;
  try {
    input = DOMAINS[parsed.data.subject].fromJson(parsed.data.input);
  } catch (e) {
    const issue = (e as { issues?: { path: PropertyKey[]; message: string }[] }).issues?.[0];
    return fail(
      "REPORT_INVALID",
      `${file}:input.${issue?.path.join(".") ?? ""}`,
      issue?.message ?? String(e),
    );
  }
  return { json: json as CounterexampleJson, report: { ...parsed.data, input } };
}
