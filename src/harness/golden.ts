/**
 * Golden traces: for every fixture (ref, inline, legacy of each build) the exhaustive sweep's
 * behaviour and, per core, its cycles, in readable text under golden/traces/. Inputs with the same
 * outcome are grouped, so a reviewer reads a diff as "these inputs now do that".
 *
 * `npm run golden` writes them and says what changed, behaviour apart from cycles; `npm test`
 * renders them in memory and fails on any difference and on an obsolete file, never writing.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { formatEffects, formatFinalState, hex } from "../kernel/effects.ts";
import { type FixtureInfo, listFixtures } from "../kernel/fixtures.ts";
import type { ExitInput, TracerAction } from "../kernel/state.ts";
import {
  EXHAUSTIVE_INPUT_COUNT,
  EXHAUSTIVE_REGS,
  EXHAUSTIVE_TRACER_ACTIONS,
  exhaustiveInputs,
} from "./arbitraries.ts";
import { coreModel, type Mode, runSubject, subjectOf, timeStream } from "./observe.ts";
import { exitPath } from "./paths.ts";

export const GOLDEN_TRACES_DIR = fileURLToPath(new URL("../../golden/traces/", import.meta.url));
export const GOLDEN_CORES = ["tsv110", "neoverse-n1", "cortex-a72"] as const;
const MODE: Mode = "steady";
const BEHAVIOUR = "== behaviour ==";
const CYCLES = "== cycles ==";

/** The fixtures with golden traces: every build of ref, inline and legacy (mutants are P4's). */
export function goldenFixtures(): FixtureInfo[] {
  return listFixtures({ mutants: false });
}

function tracerName(t: TracerAction): string {
  switch (t.kind) {
    case "none":
      return "none";
    case "write_x0":
      return `x0=${hex(t.x0)}`;
    case "write_scratch":
      return `scratch=${hex(t.scratch)}`;
    case "write_both":
      return `both=${hex(t.x0)},${hex(t.scratch)}`;
  }
}

/** `0x00-0x03,0x08` for a sorted list of work words. */
function ranges(words: readonly number[]): string {
  const parts: string[] = [];
  const h = (w: number) => `0x${w.toString(16).padStart(2, "0")}`;
  for (let i = 0; i < words.length; ) {
    let j = i;
    while (j + 1 < words.length && words[j + 1] === words[j]! + 1) j++;
    parts.push(i === j ? h(words[i]!) : `${h(words[i]!)}-${h(words[j]!)}`);
    i = j + 1;
  }
  return parts.join(",");
}

/** The input's small dimensions besides the work word, in the order the files list them. */
const DIMENSIONS = [
  { name: "on_dispatch", values: ["0", "1"], of: (i: ExitInput) => (i.onDispatch ? "1" : "0") },
  { name: "audit_context", values: ["0", "1"], of: (i: ExitInput) => (i.auditContext ? "1" : "0") },
  { name: "compat", values: ["0", "1"], of: (i: ExitInput) => (i.compat ? "1" : "0") },
  {
    name: "tracer",
    values: EXHAUSTIVE_TRACER_ACTIONS.map(tracerName),
    of: (i: ExitInput) => tracerName(i.tracer),
  },
] as const;

const ANY = "any";

interface StateLine {
  readonly state: readonly string[];
  readonly words: string;
}

/**
 * Merges lines that differ in one dimension only and cover all its values into one line with that
 * dimension `any`, innermost dimension first, so "every tracer action" reads as one line.
 */
function collapse(lines: StateLine[]): StateLine[] {
  let current = lines;
  for (let d = DIMENSIONS.length - 1; d >= 0; d--) {
    const all = DIMENSIONS[d]!.values.length;
    const buckets = new Map<string, StateLine[]>();
    for (const line of current) {
      const key = `${line.state.filter((_, i) => i !== d).join("|")}#${line.words}`;
      buckets.set(key, [...(buckets.get(key) ?? []), line]);
    }
    current = [...buckets.values()].flatMap((bucket) =>
      bucket.length === all && bucket.every((l) => l.state[d] !== ANY)
        ? [{ state: bucket[0]!.state.map((v, i) => (i === d ? ANY : v)), words: bucket[0]!.words }]
        : bucket,
    );
  }
  return current;
}

function stateLines(byState: Map<string, number[]>): string[] {
  const lines = [...byState.entries()].map(([state, words]) => ({
    state: state.split("\t"),
    words: ranges(words),
  }));
  return collapse(lines).map(
    (l) => `    ${l.state.map((v, i) => `${DIMENSIONS[i]!.name}=${v}`).join(" ")}: work ${l.words}`,
  );
}

function stateName(input: ExitInput): string {
  return DIMENSIONS.map((d) => d.of(input)).join("\t");
}

function header(info: FixtureInfo): string[] {
  const tracers = EXHAUSTIVE_TRACER_ACTIONS.map(tracerName).join(", ");
  const r = EXHAUSTIVE_REGS;
  return [
    `# exitwork golden trace: ${info.id}`,
    `# fixture: golden/fixtures/${info.id}.elf sha256 ${info.sha256}`,
    `# inputs: the exhaustive sweep, ${EXHAUSTIVE_INPUT_COUNT} inputs: work 0x00-0xff x on_dispatch x audit_context x compat`,
    `#   x tracer {${tracers}}; x0=${hex(r.x0)} x7=${hex(r.x7)} x12=${hex(r.x12)} orig_x0=${hex(r.orig_x0)}`,
    `# cycles: ${MODE} state, per core; regenerate with: npm run golden`,
  ];
}

/** The golden trace of one fixture, as the file holds it. */
export function renderGoldenTrace(info: FixtureInfo): string {
  const subject = subjectOf(info);
  const cores = GOLDEN_CORES.map((name) => coreModel(name));
  const groups = new Map<string, { lines: string[]; byState: Map<string, number[]> }>();
  const cycles = cores.map(() => new Map<string, Map<number, number>>());
  for (const input of exhaustiveInputs()) {
    const run = runSubject(subject, input, info.variant, true);
    const outcome = run.error
      ? [`  error: ${run.error.code}: ${run.error.message}`]
      : [
          ...formatEffects(run.obs.effects).map((l) => `    ${l}`),
          `  final: ${formatFinalState(run.obs.final)}`,
        ];
    const key = outcome.join("\n");
    let group = groups.get(key);
    if (!group) {
      group = { lines: outcome, byState: new Map() };
      groups.set(key, group);
    }
    const state = stateName(input);
    const words = group.byState.get(state) ?? [];
    words.push(Number(input.work));
    group.byState.set(state, words);
    if (!run.trace) continue;
    const path = exitPath(input);
    cores.forEach((core, c) => {
      const total = timeStream(subject, run.trace?.insns ?? [], MODE, core).totalCycles;
      const perPath = cycles[c]!.get(path) ?? new Map<number, number>();
      perPath.set(total, (perPath.get(total) ?? 0) + 1);
      cycles[c]!.set(path, perPath);
    });
  }
  const out = [...header(info), "", BEHAVIOUR];
  let n = 0;
  for (const group of groups.values()) {
    const count = [...group.byState.values()].reduce((sum, w) => sum + w.length, 0);
    out.push("", `outcome ${++n}: ${count} inputs`, "  effects:", ...group.lines, "  inputs:");
    out.push(...stateLines(group.byState));
  }
  out.push("", CYCLES);
  cores.forEach((core, c) => {
    out.push("", `core ${core.name}:`);
    for (const [path, counts] of [...cycles[c]!.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const list = [...counts.entries()].sort(([a], [b]) => a - b).map(([cy, k]) => `${cy} (${k} inputs)`);
      out.push(`  ${path}: ${list.join(", ")}`);
    }
  });
  return `${out.join("\n")}\n`;
}

export function goldenFile(info: FixtureInfo, dir = GOLDEN_TRACES_DIR): string {
  return join(dir, `${info.id}.txt`);
}

function section(text: string, name: string): string {
  const start = text.indexOf(name);
  if (start < 0) return "";
  const next = name === BEHAVIOUR ? text.indexOf(CYCLES, start) : -1;
  return text.slice(start, next < 0 ? undefined : next);
}

export interface GoldenChange {
  readonly file: string;
  readonly kind: "new" | "changed" | "obsolete";
  readonly behaviour: boolean;
  readonly cycles: boolean;
  /** The lines that differ, `-` old and `+` new, for the section(s) that changed. */
  readonly lines: readonly string[];
}

function lineDiff(before: string, after: string): string[] {
  const a = before.split("\n");
  const b = after.split("\n");
  const inB = new Set(b);
  const inA = new Set(a);
  return [
    ...a.filter((l) => !inB.has(l)).map((l) => `- ${l}`),
    ...b.filter((l) => !inA.has(l)).map((l) => `+ ${l}`),
  ];
}

/** Compares what the fixtures give today with golden/traces; writes nothing. */
export function goldenChanges(
  fixtures = goldenFixtures(),
  dir = GOLDEN_TRACES_DIR,
): { changes: GoldenChange[]; rendered: Map<string, string> } {
  const rendered = new Map<string, string>();
  const changes: GoldenChange[] = [];
  for (const info of fixtures) {
    const file = goldenFile(info, dir);
    const now = renderGoldenTrace(info);
    rendered.set(file, now);
    if (!existsSync(file)) {
      changes.push({ file, kind: "new", behaviour: true, cycles: true, lines: [] });
      continue;
    }
    const before = readFileSync(file, "utf8");
    if (before === now) continue;
    const behaviour = section(before, BEHAVIOUR) !== section(now, BEHAVIOUR);
    const cycles = section(before, CYCLES) !== section(now, CYCLES);
    changes.push({ file, kind: "changed", behaviour, cycles, lines: lineDiff(before, now) });
  }
  if (existsSync(dir)) {
    for (const name of readdirSync(dir).sort()) {
      const file = join(dir, name);
      if (!rendered.has(file))
        changes.push({ file, kind: "obsolete", behaviour: false, cycles: false, lines: [] });
    }
  }
  return { changes, rendered };
}

/** Writes golden/traces anew (and removes obsolete files); returns what changed. */
export function writeGolden(fixtures = goldenFixtures(), dir = GOLDEN_TRACES_DIR): GoldenChange[] {
  const { changes, rendered } = goldenChanges(fixtures, dir);
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of rendered) writeFileSync(file, text);
  for (const c of changes) if (c.kind === "obsolete") rmSync(c.file);
  return changes;
}

export function describeChanges(changes: readonly GoldenChange[], root: string): string[] {
  if (changes.length === 0) return ["golden traces: no change"];
  const rel = (f: string) => relative(root, f);
  const out: string[] = [];
  const behaviour = changes.filter((c) => c.kind === "changed" && c.behaviour);
  const cycles = changes.filter((c) => c.kind === "changed" && !c.behaviour && c.cycles);
  for (const c of changes.filter((c) => c.kind !== "changed")) out.push(`${c.kind}: ${rel(c.file)}`);
  if (behaviour.length > 0) out.push(`BEHAVIOUR changed in ${behaviour.length} file(s):`);
  for (const c of behaviour) out.push(`  ${rel(c.file)}`, ...c.lines.slice(0, 40).map((l) => `    ${l}`));
  if (cycles.length > 0) out.push(`cycles changed (behaviour unchanged) in ${cycles.length} file(s):`);
  for (const c of cycles)
    out.push(
      `  ${rel(c.file)}`,
      ...c.lines
        .filter((l) => !l.includes("# "))
        .slice(0, 20)
        .map((l) => `    ${l}`),
    );
  return out;
}
