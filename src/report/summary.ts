/**
 * Human text for a check run: a line per property, a line per failing subject, the notes every
 * reviewer must see (fast path, accepted regressions), what was not checked, and the closing count.
 */
import { type CheckSummary, overallStatus, type PropertyResult } from "../harness/results.ts";

const WIDTH = 72;

function dots(left: string, right: string): string {
  const fill = Math.max(2, WIDTH - left.length - right.length);
  return `${left} ${".".repeat(fill - 2)} ${right}`;
}

function propertyLines(p: PropertyResult): string[] {
  const failed = p.subjects.filter((s) => s.status === "fail");
  const passed = p.subjects.filter((s) => s.status === "pass").length;
  const verdict =
    p.status === "skip"
      ? "skipped"
      : p.status === "pass"
        ? `holds (${passed}/${p.subjects.length})`
        : "FAILS";
  const lines = [dots(`${p.id}  ${p.title}`, verdict)];
  for (const s of p.subjects) {
    if (s.status === "fail")
      lines.push(`    * ${s.name}: ${s.detail ?? ""}${s.report ? ` -> ${s.report}` : ""}`);
    if (s.status === "skip") lines.push(`    - ${s.name}: skipped: ${s.detail ?? ""}`);
  }
  if (failed.length === 0 && p.status === "skip" && p.subjects.length === 0) lines.push("    - skipped");
  for (const note of p.notes) lines.push(`    ${note}`);
  return lines;
}

export function countLine(summary: CheckSummary): string {
  const count = (s: string) => summary.properties.filter((p) => p.status === s).length;
  return `${count("pass")} passed, ${count("fail")} failed, ${count("skip")} skipped`;
}

const SUBJECTS: Record<string, string> = {
  exit: "exit path (syscall_exit_work: ref v6.18, inline v7.0, legacy arm64 v6.18)",
  syscall:
    "whole syscall (el0_svc_common with entry work: svc-ref v6.18, svc-exit-inline v9, svc-inline v7.0)",
};

export function formatSummary(summary: CheckSummary): string {
  const s = summary.settings;
  const shard = s.shard ? `, shard ${s.shard.index + 1}/${s.shard.count}` : "";
  const lines = [
    `exitwork check: core ${s.core}, ${s.mode} state, seed ${s.seed}${shard}`,
    `fixtures: ${s.fixtures} (${s.builds.join(", ")}), ${s.mutants} mutants`,
  ];
  for (const c of summary.coverage) {
    lines.push(
      "",
      `${SUBJECTS[c.domain] ?? c.domain}:`,
      `inputs: ${c.exhaustive} swept exhaustively, then ${c.random} random per property`,
      "",
      ...summary.properties.filter((p) => p.domain === c.domain).flatMap(propertyLines),
    );
  }
  lines.push(
    "",
    "not checked:",
    ...summary.notChecked.map((n) => `  - ${n}`),
    "",
    `${overallStatus(summary.properties) === "fail" ? "FAIL" : "ok"}: ${countLine(summary)}`,
  );
  return `${lines.join("\n")}\n`;
}
