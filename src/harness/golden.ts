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
import { formatFinalState, hex } from "../kernel/effects.ts";
import { formatSyscallEffects } from "../kernel/entry/types.ts";
import type { FixtureInfo } from "../kernel/fixtures.ts";
import type { ExitFinalState, ExitInput, TracerAction } from "../kernel/state.ts";
import { EXHAUSTIVE_REGS, EXHAUSTIVE_TRACER_ACTIONS } from "./arbitraries.ts";
import { DOMAINS, type Domain, exitDomain, syscallDomain } from "./domain.ts";
import { coreModel, type Mode, runSubject, subjectOf, timeStream } from "./observe.ts";

export const GOLDEN_TRACES_DIR = fileURLToPath(new URL("../../golden/traces/", import.meta.url));
export const GOLDEN_CORES = ["tsv110", "neoverse-n1", "cortex-a72"] as const;
const MODE: Mode = "steady";
const BEHAVIOUR = "== behaviour ==";
const CYCLES = "== cycles ==";

export interface GoldenFixture {
  readonly info: FixtureInfo;
  readonly domain: Domain;
}

/**
 * The fixtures with golden traces: every build of every variant of both subjects (ref, inline,
 * legacy; svc-ref, svc-exit-inline, svc-inline). Mutants are P4's.
 */
export function goldenFixtures(): GoldenFixture[] {
  return Object.values(DOMAINS).flatMap((domain) =>
    domain.fixtures({ mutants: false }).map((info) => ({ info, domain })),
  );
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

function header(info: FixtureInfo, domain: Domain, count: number): string[] {
  const tracers = EXHAUSTIVE_TRACER_ACTIONS.map(tracerName).join(", ");
  const r = EXHAUSTIVE_REGS;
  const inputs =
    domain.id === "exit"
      ? [
          `# inputs: the exhaustive sweep, ${count} inputs: work 0x00-0xff x on_dispatch x audit_context x compat`,
          `#   x tracer {${tracers}}; x0=${hex(r.x0)} x7=${hex(r.x7)} x12=${hex(r.x12)} orig_x0=${hex(r.orig_x0)}`,
        ]
      : [
          `# inputs: the whole-syscall sweep, ${count} inputs (src/kernel/entry/arbitraries.ts syscallSweep(): every entry`,
          "#   work word with every outcome of the hooks its bits call); listed by their position in it, 0-based",
        ];
  return [
    `# exitwork golden trace: ${info.id} (${domain.title})`,
    `# fixture: golden/fixtures/${info.id}.elf sha256 ${info.sha256}`,
    ...inputs,
    `# cycles: ${MODE} state, per core; regenerate with: npm run golden`,
  ];
}

/** `0-15, 32, 40-47` for sorted sweep positions. */
function indexRanges(indices: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < indices.length; ) {
    let j = i;
    while (j + 1 < indices.length && indices[j + 1] === indices[j]! + 1) j++;
    parts.push(i === j ? String(indices[i]) : `${indices[i]}-${indices[j]}`);
    i = j + 1;
  }
  return parts.join(", ");
}

/** The golden trace of one fixture, as the file holds it. */
/** An outcome as the files print it: the effects, then the final state (or why the run failed). */
type Outcome = readonly string[];

function outcomeLines(effects: Parameters<typeof formatSyscallEffects>[0], final: ExitFinalState): Outcome {
  return [...formatSyscallEffects(effects).map((l) => `    ${l}`), `  final: ${formatFinalState(final)}`];
}

/** The behaviour section's body: inputs with the same outcome grouped, in order of first appearance. */
function behaviourBody(domain: Domain, inputs: readonly ExitInput[], outcomes: readonly Outcome[]): string[] {
  const groups = new Map<string, { lines: Outcome; byState: Map<string, number[]>; indices: number[] }>();
  inputs.forEach((input, index) => {
    const lines = outcomes[index]!;
    const key = lines.join("\n");
    let group = groups.get(key);
    if (!group) {
      group = { lines, byState: new Map(), indices: [] };
      groups.set(key, group);
    }
    group.indices.push(index);
    const state = stateName(input);
    const words = group.byState.get(state) ?? [];
    words.push(Number(input.work));
    group.byState.set(state, words);
  });
  const out: string[] = [];
  let n = 0;
  for (const group of groups.values()) {
    out.push("", `outcome ${++n}: ${group.indices.length} inputs`, "  effects:", ...group.lines, "  inputs:");
    if (domain.id === "exit") out.push(...stateLines(group.byState));
    else
      out.push(
        `    ${indexRanges(group.indices)}`,
        `    e.g. ${domain.describe(inputs[group.indices[0]!]!)}`,
      );
  }
  return out;
}

/**
 * The whole syscall's behaviour is pinned once, as the specification gives it over the sweep
 * (svc.behaviour.txt): its three layouts must all behave so (P1, P2), and 18 copies of it would
 * not fit the 5 MB the golden traces may take. Each svc fixture's file says it matches, or lists
 * its own outcomes where it does not.
 */
export const SHARED_BEHAVIOUR_FILE = "svc.behaviour.txt";

const specBodies = new Map<Domain, string[]>();

function specBehaviourBody(domain: Domain): string[] {
  let body = specBodies.get(domain);
  if (!body) {
    const inputs = domain.sweep();
    body = behaviourBody(
      domain,
      inputs,
      inputs.map((input) => {
        const spec = domain.spec("generic", input);
        return outcomeLines(spec.effects, spec.final);
      }),
    );
    specBodies.set(domain, body);
  }
  return body;
}

/** svc.behaviour.txt: the specification's outcomes over the whole-syscall sweep. */
export function renderSharedBehaviour(domain: Domain): string {
  const count = domain.sweep().length;
  return `${[
    `# exitwork golden behaviour: the ${domain.title}, as the specification (specSyscall) gives it`,
    `# inputs: the whole-syscall sweep, ${count} inputs (src/kernel/entry/arbitraries.ts syscallSweep()); listed by their position in it, 0-based`,
    "# every svc-* fixture's golden trace says whether its machine code gives exactly these outcomes",
    "",
    BEHAVIOUR,
    ...specBehaviourBody(domain),
  ].join("\n")}\n`;
}

/** The golden trace of one fixture, as the file holds it. */
export function renderGoldenTrace(info: FixtureInfo, domain: Domain = exitDomain): string {
  const subject = subjectOf(info, domain);
  const cores = GOLDEN_CORES.map((name) => coreModel(name));
  const cycles = cores.map(() => new Map<string, Map<number, number>>());
  const inputs = domain.sweep();
  const outcomes = inputs.map((input) => {
    const run = runSubject(subject, input, info.variant, true);
    if (!run.trace) return [`  error: ${run.error?.code}: ${run.error?.message}`];
    const path = domain.path(input);
    cores.forEach((core, c) => {
      const total = timeStream(subject, run.trace?.insns ?? [], MODE, core).totalCycles;
      const perPath = cycles[c]!.get(path) ?? new Map<number, number>();
      perPath.set(total, (perPath.get(total) ?? 0) + 1);
      cycles[c]!.set(path, perPath);
    });
    return outcomeLines(run.obs.effects, run.obs.final);
  });
  const body = behaviourBody(domain, inputs, outcomes);
  const shared = domain.id === "syscall" && body.join("\n") === specBehaviourBody(domain).join("\n");
  const out = [
    ...header(info, domain, inputs.length),
    "",
    BEHAVIOUR,
    ...(shared
      ? ["", `  every outcome as in ${SHARED_BEHAVIOUR_FILE} (the specification's, over the same sweep)`]
      : body),
  ];
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
  fixtures: readonly GoldenFixture[] = goldenFixtures(),
  dir = GOLDEN_TRACES_DIR,
): { changes: GoldenChange[]; rendered: Map<string, string> } {
  const rendered = new Map<string, string>();
  const changes: GoldenChange[] = [];
  const renderings: { file: string; render: () => string }[] = fixtures.map(({ info, domain }) => ({
    file: goldenFile(info, dir),
    render: () => renderGoldenTrace(info, domain),
  }));
  if (fixtures.some((f) => f.domain.id === "syscall")) {
    renderings.push({
      file: join(dir, SHARED_BEHAVIOUR_FILE),
      render: () => renderSharedBehaviour(syscallDomain),
    });
  }
  for (const { file, render } of renderings) {
    const now = render();
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
export function writeGolden(
  fixtures: readonly GoldenFixture[] = goldenFixtures(),
  dir = GOLDEN_TRACES_DIR,
): GoldenChange[] {
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
