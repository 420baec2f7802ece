/**
 * A failure of the check engine as a counterexample report: both sides run again on the failing
 * input with the stream collected, so the report carries the executed instructions, and for a
 * budget failure the timelines and cycles per effect.
 */

import type { Failure } from "../harness/check.ts";
import { detailRun, type RunDetail } from "../harness/detail.ts";
import { DOMAINS } from "../harness/domain.ts";
import type { Mode, Subject } from "../harness/observe.ts";
import { readManifest } from "../kernel/fixtures.ts";
import { COUNTEREXAMPLE_FORMAT, type CounterexampleJson } from "./counterexample.ts";

export interface ReportContext {
  readonly core: string;
  readonly mode: Mode;
  readonly seed: number;
}

function sideOf(side: Failure["left"], label: string): CounterexampleJson["left"] {
  if (side === "generic" || side === "legacy") return { label, fixture: null, spec: side };
  return { label, fixture: { id: side.info.id, sha256: side.info.sha256 }, spec: null };
}

function labelOf(side: Failure["left"], fallback: string): string {
  if (side === "generic" || side === "legacy") return `spec-${side}`;
  return side.info.mutant ? "mutant" : side.info.variant || fallback;
}

function detailOf(
  side: Failure["left"],
  failure: Failure,
  label: string,
  ctx: ReportContext,
): RunDetail | null {
  if (side === "generic" || side === "legacy") return null;
  const timing = failure.budget ? { core: ctx.core, mode: ctx.mode } : undefined;
  return detailRun(side as Subject, failure.found.input, label, timing);
}

export function reportName(failure: Failure): string {
  return `${failure.property}-${failure.subject}`.replace(/[^A-Za-z0-9._-]+/g, "_");
}

export function toolVersions(): Record<string, string> {
  return { node: process.version, ...readManifest().tools };
}

export function failureToReport(failure: Failure, ctx: ReportContext): CounterexampleJson {
  const leftLabel = labelOf(failure.left, "left");
  const rightLabel = labelOf(failure.right, "right");
  const left = detailOf(failure.left, failure, leftLabel, ctx);
  const right = detailOf(failure.right, failure, rightLabel, ctx);
  const input = failure.found.input;
  const domain = DOMAINS[failure.domain];
  const budget =
    failure.budget && left && right
      ? {
          leftCycles: failure.budget.refCycles,
          rightCycles: failure.budget.inlineCycles,
          budget: failure.budget.budget,
          verdict: failure.budget.verdict,
          perEffect: { left: [...left.perEffect], right: [...right.perEffect] },
          timeline: { left: left.timeline, right: right.timeline },
        }
      : null;
  return {
    format: COUNTEREXAMPLE_FORMAT,
    name: reportName(failure),
    property: failure.property,
    subject: failure.domain,
    kind: failure.budget ? "budget" : "behaviour",
    headline: failure.detail,
    left: sideOf(failure.left, leftLabel),
    right: sideOf(failure.right, rightLabel),
    core: failure.budget ? ctx.core : null,
    mode: failure.budget ? ctx.mode : null,
    input: domain.toJson(input),
    inputText: domain.describe(input),
    path: domain.path(input),
    divergence: failure.divergence
      ? {
          what: failure.divergence.what,
          rule: failure.divergence.rule,
          firstRow: failure.divergence.firstRow,
          rows: failure.divergence.rows.map((r) => ({ ...r })),
        }
      : null,
    budget,
    executed: { left: [...(left?.executed ?? [])], right: [...(right?.executed ?? [])] },
    search: {
      source: failure.found.source,
      seed: ctx.seed,
      path: failure.found.path,
      shrinks: failure.found.shrinks,
      runs: failure.found.runs,
    },
    tools: toolVersions(),
  };
}
