/**
 * golden/budgets.json: the cycle budget of the inlined layout, per core, build and path, and the
 * regressions a reviewer accepted with a reason.
 *
 * A budget is the most steady-state cycles `inline` may take on a path. An accepted regression
 * lets `inline` be slower than `ref` on one path by at most `maxExtraCycles`; past that it fails
 * again. Both are written by people (or seeded once by `exitwork golden --seed-budgets`), never by
 * `npm test`.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { fail } from "../errors.ts";

const cycles = z.number().int().nonnegative();

/** Seeded regressions start with this reason; P3 accepts none of them until a person writes why. */
export const UNREVIEWED = "UNREVIEWED";

/**
 * An accepted regression names one core, build and path, or a class of them: `*` in a field
 * matches any run of characters ("svc-*.gcc.*", "*tracepoint+ptrace*"), so one reviewed reason
 * covers every path it explains. The limit holds for each matched path on its own.
 */
export const acceptedRegressionSchema = z.object({
  core: z.string().min(1),
  /** `<compiler>.<config>` ("gcc.defconfig"), or the fixture where a build has several layouts ("svc-inline.gcc.defconfig"). */
  build: z
    .string()
    .regex(
      /^[a-z0-9*-]+(\.[a-z0-9*-]+)+$/,
      "a build as <compiler>.<config> or <variant>.<compiler>.<config>",
    ),
  path: z.string().min(1),
  maxExtraCycles: cycles,
  reason: z.string().min(10, "say why the regression is accepted"),
});

export const budgetsSchema = z.object({
  about: z.string(),
  /** core -> build -> path -> most cycles `inline` may take. */
  budgets: z.record(z.string(), z.record(z.string(), z.record(z.string(), cycles))),
  acceptedRegressions: z.array(acceptedRegressionSchema),
});

export type Budgets = z.infer<typeof budgetsSchema>;
export type AcceptedRegression = z.infer<typeof acceptedRegressionSchema>;

export function parseBudgets(json: unknown, where: string): Budgets {
  const parsed = budgetsSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    fail(
      "BUDGETS_INVALID",
      `${where}:${issue?.path.join(".") ?? ""}`,
      issue?.message ?? "invalid budgets file",
    );
  }
  return parsed.data;
}

export function readBudgets(file: string): Budgets {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    fail("BUDGETS_MISSING", file, "no budgets file (create one with: exitwork golden --seed-budgets)");
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    fail("BUDGETS_INVALID", file, `not JSON: ${(e as Error).message}`);
  }
  return parseBudgets(json, file);
}

export function budgetFor(b: Budgets, core: string, build: string, path: string): number | undefined {
  return b.budgets[core]?.[build]?.[path];
}

const patterns = new Map<string, RegExp>();

/** Whether `value` matches `pattern`, where `*` stands for any run of characters. */
export function matchesPattern(pattern: string, value: string): boolean {
  if (!pattern.includes("*")) return pattern === value;
  let re = patterns.get(pattern);
  if (!re) {
    re = new RegExp(
      `^${pattern
        .split("*")
        .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
        .join(".*")}$`,
    );
    patterns.set(pattern, re);
  }
  return re.test(value);
}

/** The first accepted regression that names this core, build and path (wildcards allowed). */
export function acceptedRegressionFor(
  b: Budgets,
  core: string,
  build: string,
  path: string,
): AcceptedRegression | undefined {
  return b.acceptedRegressions.find(
    (r) => matchesPattern(r.core, core) && matchesPattern(r.build, build) && matchesPattern(r.path, path),
  );
}

export type BudgetVerdict =
  | { readonly ok: true; readonly accepted?: AcceptedRegression }
  | {
      readonly ok: false;
      readonly reason:
        | "slower_than_ref"
        | "over_budget"
        | "no_budget"
        | "accepted_regression_exceeded"
        | "accepted_regression_unreviewed";
      readonly message: string;
    };

/**
 * P3 for one input: inline is not slower than ref unless an accepted regression covers the path
 * (and the extra cycles stay within it), and inline stays within the path's budget.
 */
export function judgeCycles(
  b: Budgets,
  where: { core: string; build: string; path: string },
  refCycles: number,
  inlineCycles: number,
): BudgetVerdict {
  const budget = budgetFor(b, where.core, where.build, where.path);
  if (budget === undefined) {
    return {
      ok: false,
      reason: "no_budget",
      message: `no budget for ${where.core} ${where.build} path ${where.path} in golden/budgets.json`,
    };
  }
  if (inlineCycles > budget) {
    return {
      ok: false,
      reason: "over_budget",
      message: `inline takes ${inlineCycles} cycles, over the budget of ${budget}`,
    };
  }
  const extra = inlineCycles - refCycles;
  if (extra <= 0) return { ok: true };
  const accepted = acceptedRegressionFor(b, where.core, where.build, where.path);
  if (!accepted) {
    return {
      ok: false,
      reason: "slower_than_ref",
      message: `inline takes ${inlineCycles} cycles, ${extra} more than ref (${refCycles})`,
    };
  }
  if (accepted.reason.startsWith(UNREVIEWED)) {
    return {
      ok: false,
      reason: "accepted_regression_unreviewed",
      message: `inline is ${extra} cycles slower than ref; golden/budgets.json lists it but nobody wrote why (reason "${UNREVIEWED}...")`,
    };
  }
  if (extra > accepted.maxExtraCycles) {
    return {
      ok: false,
      reason: "accepted_regression_exceeded",
      message: `inline is ${extra} cycles slower than ref, more than the ${accepted.maxExtraCycles} accepted (${accepted.reason})`,
    };
  }
  return { ok: true, accepted };
}
