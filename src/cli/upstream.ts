/**
 * `exitwork bench --perf-bench`, `exitwork report` and the text of `exitwork explain --why-hot`:
 * option parsing and printing only; the model is harness/perfbench.ts and harness/whyhot.ts.
 */
import { fileURLToPath } from "node:url";
import { fail } from "../errors.ts";
import {
  AUDIT_BOOT,
  DEFAULT_BASELINE_CYCLES,
  DEFAULT_BUILD,
  DEFAULT_GHZ,
  FIXTURE_SETS,
  type FixtureSet,
  parseBuild,
  perfBench,
} from "../harness/perfbench.ts";
import { type WhyHotOptions, whyHot, workOf } from "../harness/whyhot.ts";
import { formatPerfBench, formatWhyHot, writeUpstreamReport } from "../report/upstream.ts";
import { cores } from "../timing/cores/index.ts";
import { type Command, flag, type OptionValues, str } from "./command.ts";

/** reports/upstream/ of this package, wherever exitwork runs from. */
export const DEFAULT_REPORT_DIR = fileURLToPath(new URL("../../reports/upstream/", import.meta.url));

function positiveNumber(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = /^\d+(\.\d+)?$/.test(value) ? Number(value) : Number.NaN;
  if (!(n > 0)) fail("USAGE", `--${name}`, `expects a positive number, got "${value}"`);
  return n;
}

function coreList(value: string | undefined): string[] {
  const names = Object.keys(cores);
  if (value === undefined) return ["tsv110"];
  if (value === "all") return names;
  const list = value.split(",").map((s) => s.trim());
  for (const name of list)
    if (!names.includes(name)) fail("USAGE", "--core", `unknown core "${name}" (${names.join(", ")}, all)`);
  return list;
}

function fixtureSet(value: string | undefined): FixtureSet {
  if (value === undefined) return "svc";
  if (!(FIXTURE_SETS as readonly string[]).includes(value))
    fail("USAGE", "--fixtures", `expects ${FIXTURE_SETS.join(" or ")}, got "${value}"`);
  return value as FixtureSet;
}

/** `exitwork explain --why-hot`: the text for a thread state (options as WhyHotOptions). */
export function whyHotText(options: WhyHotOptions): string {
  return formatWhyHot(whyHot(options));
}

export const benchCommand: Command = {
  summary: "model perf bench syscall basic (--perf-bench) from the modelled entry and exit work",
  help: `exitwork bench --perf-bench [options]

Models \`perf bench syscall basic\` (10,000,000 getppid() calls): before = the baseline cycles per
syscall; after = baseline - (modelled cycles of the before variant - of the after variant), steady
state. Prints the seed thread's table per patch (v9 15/16: exit work inlined; v10 / v7.0: exit and
entry inlined) next to the upstream measurement, and where the modelled gain comes from.

options:
  --perf-bench             required: the perf-bench model
  --core C                 tsv110 (default), neoverse-n1, cortex-a72, a comma list, or all
  --work BITS              work bits of the thread (default AUDIT: an audit=1 boot); none = fast path
  --no-audit-context       the task has no audit context (default: it has one, as under audit=1)
  --baseline-cycles N      cycles per syscall of the before kernel (default ${DEFAULT_BASELINE_CYCLES})
  --ghz F                  clock for the time rows (default ${DEFAULT_GHZ})
  --build B                fixtures <compiler>.<config> (default ${DEFAULT_BUILD})
  --fixtures S             svc (default: whole el0_svc_common, entry and exit work) or exit
                           (exit-only fixtures; the v10 row then lacks the entry half)
`,
  options: {
    "perf-bench": { type: "boolean" },
    fixtures: { type: "string" },
    core: { type: "string" },
    work: { type: "string" },
    "no-audit-context": { type: "boolean" },
    "baseline-cycles": { type: "string" },
    ghz: { type: "string" },
    build: { type: "string" },
  },
  run(values: OptionValues): number {
    if (!flag(values, "perf-bench")) fail("USAGE", "bench", "only --perf-bench is implemented (see --help)");
    const build = str(values, "build") ?? DEFAULT_BUILD;
    parseBuild(build);
    const work = str(values, "work");
    const state = {
      work: work === undefined ? AUDIT_BOOT.work : workOf(work),
      auditContext: !flag(values, "no-audit-context"),
    };
    const baselineCycles = positiveNumber(
      "baseline-cycles",
      str(values, "baseline-cycles"),
      DEFAULT_BASELINE_CYCLES,
    );
    const ghz = positiveNumber("ghz", str(values, "ghz"), DEFAULT_GHZ);
    const fixtures = fixtureSet(str(values, "fixtures"));
    const texts = coreList(str(values, "core")).map((core) =>
      formatPerfBench(perfBench({ core, state, build, baselineCycles, ghz, fixtures })),
    );
    process.stdout.write(texts.join("\n"));
    return 0;
  },
};

export const reportCommand: Command = {
  summary: "write the upstream-questions report (Markdown with SVG charts)",
  help: `exitwork report [--out DIR]

Writes DIR/upstream.md and its SVG charts (default DIR: reports/upstream/ of the package): cycles per exit path
for ref vs inline per core, the perf-bench tables per core under audit=1 and on the fast path, and
why the exit work runs on every syscall under audit=1. The same tree gives the same bytes.

options:
  --out DIR                output directory (default reports/upstream/)
  --build B                fixtures <compiler>.<config> (default ${DEFAULT_BUILD})
`,
  options: {
    out: { type: "string" },
    build: { type: "string" },
  },
  run(values: OptionValues): number {
    const build = str(values, "build") ?? DEFAULT_BUILD;
    parseBuild(build);
    const written = writeUpstreamReport(str(values, "out") ?? DEFAULT_REPORT_DIR, { build });
    process.stdout.write(`${written.join("\n")}\n`);
    return 0;
  },
};
