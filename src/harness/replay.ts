/**
 * Replays one input on two sides (fixtures or a specification) for one property, without the
 * generator: what `exitwork replay`, promoted regression cases and their tests run.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { fail } from "../errors.ts";
import type { ExitInput } from "../kernel/state.ts";
import { type Budgets, budgetFor, judgeCycles } from "./budgets.ts";
import { compareObservations, type Divergence, type Observation } from "./compare.ts";
import { DOMAINS, type Domain, type DomainId } from "./domain.ts";
import {
  buildName,
  type Mode,
  runSubject,
  type Subject,
  specObservation,
  subjectOf,
  timeSubject,
} from "./observe.ts";
import type { PropertyId } from "./results.ts";

export interface SideRef {
  readonly label: string;
  readonly fixture: { readonly id: string; readonly sha256: string } | null;
  readonly spec: "generic" | "legacy" | null;
}

export interface ReplayCase {
  readonly property: PropertyId;
  /** The subject the fixtures are of (exit path when absent). */
  readonly subject?: DomainId;
  readonly left: SideRef;
  readonly right: SideRef;
  readonly input: ExitInput;
  readonly core: string | null;
  readonly mode: Mode | null;
}

export interface ReplayResult {
  /** The failure happens again on today's fixtures. */
  readonly reproduced: boolean;
  readonly divergence?: Divergence;
  readonly cycles?: { readonly left: number; readonly right: number; readonly verdict: string };
  /** Things the reader must know, such as a fixture that changed since the report. */
  readonly notes: readonly string[];
}

type Side = { kind: "subject"; subject: Subject } | { kind: "spec"; spec: "generic" | "legacy" };

function resolve(side: SideRef, domain: Domain, notes: string[]): Side {
  if (side.spec) return { kind: "spec", spec: side.spec };
  if (!side.fixture) return fail("REPLAY_SIDE", side.label, "neither a fixture nor a specification");
  const info = domain.fixtureInfo(side.fixture.id);
  if (info.sha256 !== side.fixture.sha256) {
    notes.push(
      `${info.id} changed since the report (sha256 ${side.fixture.sha256.slice(0, 12)} then, ${info.sha256.slice(0, 12)} now): replayed on today's build`,
    );
  }
  return { kind: "subject", subject: subjectOf(info, domain) };
}

function observe(side: Side, input: ExitInput, label: string, domain: Domain): Observation {
  return side.kind === "spec"
    ? specObservation(side.spec, input, domain)
    : runSubject(side.subject, input, label).obs;
}

export function replayCase(c: ReplayCase, budgets: Budgets): ReplayResult {
  const notes: string[] = [];
  const domain = DOMAINS[c.subject ?? "exit"];
  const left = resolve(c.left, domain, notes);
  const right = resolve(c.right, domain, notes);
  if (c.property !== "P3") {
    const divergence = compareObservations(
      observe(left, c.input, c.left.label, domain),
      observe(right, c.input, c.right.label, domain),
    );
    return { reproduced: divergence !== undefined, ...(divergence ? { divergence } : {}), notes };
  }
  if (left.kind !== "subject" || right.kind !== "subject") {
    return fail("REPLAY_SIDE", "P3", "a budget case needs two fixtures");
  }
  const core = c.core ?? "tsv110";
  const mode = c.mode ?? "steady";
  const l = timeSubject(left.subject, c.input, core, mode).cycles;
  const r = timeSubject(right.subject, c.input, core, mode).cycles;
  const build = domain.inlines.length > 1 ? right.subject.info.id : buildName(right.subject.info);
  const where = { core, build, path: domain.path(c.input) };
  const verdict = judgeCycles(budgets, where, l, r);
  const message = verdict.ok
    ? `holds (budget ${budgetFor(budgets, core, where.build, where.path)})`
    : verdict.message;
  return { reproduced: !verdict.ok, cycles: { left: l, right: r, verdict: message }, notes };
}

/** golden/regressions/: promoted counterexamples that `npm test` replays. */
export const REGRESSIONS_DIR = fileURLToPath(new URL("../../golden/regressions/", import.meta.url));

const sideSchema = z.object({
  label: z.string(),
  fixture: z.object({ id: z.string(), sha256: z.string() }).nullable(),
  spec: z.enum(["generic", "legacy"]).nullable(),
});

export const regressionSchema = z.object({
  name: z.string().regex(/^[A-Za-z0-9._-]+$/),
  property: z.enum(["P1", "P2", "P3", "P4"]),
  subject: z.enum(["exit", "syscall"]).default("exit"),
  headline: z.string(),
  /**
   * "holds": the property must hold on this input (the bug it once showed stays fixed);
   * "caught": the right side is a mutant that this input must keep catching.
   */
  expect: z.enum(["holds", "caught"]),
  left: sideSchema,
  right: sideSchema,
  core: z.string().nullable(),
  mode: z.enum(["steady", "cold"]).nullable(),
  /** As the subject's own JSON form writes it. */
  input: z.unknown(),
});

/** A regression case as read, its input parsed by the subject's schema (64-bit values as bigint). */
export type Regression = Omit<z.infer<typeof regressionSchema>, "input"> & { readonly input: ExitInput };
/** A regression case as written (64-bit values as hex strings). */
export type RegressionJson = z.input<typeof regressionSchema>;

export function writeRegression(regression: RegressionJson, dir = REGRESSIONS_DIR): string {
  regressionSchema.parse(regression);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${regression.name}.json`);
  writeFileSync(file, `${JSON.stringify(regression, null, 2)}\n`);
  return file;
}

export function readRegressions(dir = REGRESSIONS_DIR): { file: string; regression: Regression }[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => {
      const file = join(dir, f);
      const parsed = regressionSchema.safeParse(JSON.parse(readFileSync(file, "utf8")));
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return fail(
          "REGRESSION_INVALID",
          `${file}:${issue?.path.join(".") ?? ""}`,
          issue?.message ?? "invalid",
        );
      }
      let input: ExitInput;
      try {
        input = DOMAINS[parsed.data.subject].fromJson(parsed.data.input);
      } catch (e) {
        return fail("REGRESSION_INVALID", `${file}:input`, (e as Error).message);
      }
      return { file, regression: { ...parsed.data, input } };
    });
}
