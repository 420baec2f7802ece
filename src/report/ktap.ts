/**
 * KTAP output for a check run (the kernel's Documentation/dev-tools/ktap.rst, version 1): one
 * top-level test per property, a nested KTAP document per property with one result per subject.
 * Failure details go in diagnostic lines (`# ...`), skips as `# SKIP reason`.
 */
import type { CheckSummary, PropertyResult, Status, SubjectResult } from "../harness/results.ts";

function testName(text: string): string {
  return text.replace(/[^A-Za-z0-9_.+-]+/g, "_");
}

function result(status: Status, n: number, name: string, reason?: string): string {
  if (status === "skip") return `ok ${n} ${testName(name)} # SKIP ${reason ?? ""}`.trimEnd();
  return `${status === "pass" ? "ok" : "not ok"} ${n} ${testName(name)}`;
}

function subjectLines(s: SubjectResult, n: number): string[] {
  const lines: string[] = [];
  if (s.status === "fail") {
    lines.push(`# ${s.name}: ${s.detail ?? "failed"}`);
    if (s.report) lines.push(`# report: ${s.report}`);
  }
  lines.push(result(s.status, n, s.name, s.detail));
  return lines;
}

function propertyLines(p: PropertyResult, n: number): string[] {
  const inner = ["KTAP version 1", `# Subtest: ${p.id} ${p.domain}`, `1..${p.subjects.length}`];
  p.subjects.forEach((s, i) => {
    inner.push(...subjectLines(s, i + 1));
  });
  for (const note of p.notes) inner.push(`# ${note}`);
  const name = p.domain === "exit" ? `${p.id}_${p.title}` : `${p.id}_${p.domain}_${p.title}`;
  return [...inner.map((l) => `    ${l}`), result(p.status, n, name)];
}

export function formatKtap(summary: CheckSummary): string {
  const s = summary.settings;
  const lines = [
    "KTAP version 1",
    `# exitwork check: core ${s.core}, ${s.mode} state, seed ${s.seed}`,
    `1..${summary.properties.length}`,
  ];
  summary.properties.forEach((p, i) => {
    lines.push(...propertyLines(p, i + 1));
  });
  for (const n of summary.notChecked) lines.push(`# not checked: ${n}`);
  const count = (st: Status) => summary.properties.filter((p) => p.status === st).length;
  lines.push(`# totals: pass:${count("pass")} fail:${count("fail")} skip:${count("skip")}`);
  return `${lines.join("\n")}\n`;
}
