import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { type BarChart, barChart, escapeXml, niceStep, num } from "./svg.ts";

/**
 * A strict enough XML check for the writer's output: one prolog, balanced and properly nested
 * tags, quoted attributes, only the five predefined entities, one root element.
 */
function xmlProblems(text: string): string[] {
  const problems: string[] = [];
  if (!text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')) problems.push("no XML declaration");
  const body = text.replace(/^<\?xml[^?]*\?>\n/, "");
  const stack: string[] = [];
  let roots = 0;
  const token = /<(\/?)([A-Za-z][\w-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)|(<)/g;
  for (const m of body.matchAll(token)) {
    if (m[6] !== undefined) {
      problems.push(`stray < at ${m.index}`);
      continue;
    }
    if (m[5] !== undefined) {
      const bad = m[5].match(/&(?!(amp|lt|gt|quot|apos);)/);
      if (bad) problems.push(`bare & at ${m.index}`);
      if (stack.length === 0 && m[5].trim() !== "") problems.push("text outside the root");
      continue;
    }
    const [, closing, name, , selfClosing] = m;
    if (closing) {
      const open = stack.pop();
      if (open !== name) problems.push(`</${name}> closes <${open}>`);
    } else {
      if (stack.length === 0) roots++;
      if (!selfClosing) stack.push(name!);
    }
  }
  if (stack.length > 0) problems.push(`unclosed ${stack.join(",")}`);
  if (roots !== 1) problems.push(`${roots} root elements`);
  return problems;
}

const CHART: BarChart = {
  title: "Exit path cycles on tsv110 <gcc & clang>",
  axisLabel: "cycles per syscall",
  series: ["ref (v6.18)", "inline (v7.0)"],
  groups: [
    { label: "no-work", values: [15, 16] },
    { label: "audit", values: [37, 33] },
    { label: "audit+tracepoint+ptrace", values: [58.25, 51] },
  ],
};

describe("barChart", () => {
  it("writes well-formed SVG with the title escaped", () => {
    const svg = barChart(CHART);
    expect(xmlProblems(svg)).toEqual([]);
    expect(svg).toContain("<title>Exit path cycles on tsv110 &lt;gcc &amp; clang&gt;</title>");
    expect(svg).toMatch(/<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  });

  it("the checker catches broken XML", () => {
    expect(xmlProblems('<?xml version="1.0" encoding="UTF-8"?>\n<svg><g></svg>')).not.toEqual([]);
    expect(xmlProblems('<?xml version="1.0" encoding="UTF-8"?>\n<svg>a & b</svg>')).not.toEqual([]);
    expect(xmlProblems('<?xml version="1.0" encoding="UTF-8"?>\n<svg/><svg/>')).not.toEqual([]);
  });

  it("draws one bar per value, each as wide as its value on the axis scale", () => {
    const svg = barChart(CHART);
    const bars = [...svg.matchAll(/<rect class="bar" [^>]*width="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(bars).toHaveLength(6);
    // Axis 0..60 in steps of 20 over 420 px: 7 px per cycle.
    expect(bars).toEqual([15, 16, 37, 33, 58.25, 51].map((v) => Number((v * 7).toFixed(2))));
    expect(svg).toContain(">audit+tracepoint+ptrace<");
  });

  test.prop([
    fc.array(
      fc.record({
        label: fc.string({ maxLength: 12 }),
        values: fc.tuple(
          fc.double({ min: 0, max: 1e6, noNaN: true }),
          fc.double({ min: 0, max: 1e6, noNaN: true }),
        ),
      }),
      { maxLength: 8 },
    ),
  ])("is deterministic, well formed and has one bar per value for any data", (groups) => {
    const chart: BarChart = { ...CHART, groups };
    const svg = barChart(chart);
    expect(barChart(chart)).toBe(svg);
    expect(xmlProblems(svg)).toEqual([]);
    expect(svg.match(/<rect class="bar" /g)?.length ?? 0).toBe(groups.length * 2);
  });

  it("rejects values it cannot draw, as coded errors", () => {
    expect(() => barChart({ ...CHART, groups: [{ label: "x", values: [-1, 2] }] })).toThrow(/SVG_CHART/);
    expect(() => barChart({ ...CHART, groups: [{ label: "x", values: [1] }] })).toThrow(/SVG_CHART/);
    expect(() => barChart({ ...CHART, groups: [{ label: "x", values: [Number.NaN, 1] }] })).toThrow(
      /SVG_CHART/,
    );
  });
});

describe("helpers", () => {
  it("formats numbers without trailing zeros", () => {
    expect(num(12)).toBe("12");
    expect(num(12.5)).toBe("12.5");
    expect(num(1 / 3)).toBe("0.33");
    expect(num(0.1 + 0.2, 6)).toBe("0.3");
  });

  it("picks 1-2-5 axis steps", () => {
    expect(niceStep(58)).toBe(20);
    expect(niceStep(16)).toBe(5);
    expect(niceStep(0.9)).toBe(0.2);
    expect(niceStep(0)).toBe(1);
  });

  it("escapes the five XML specials", () => {
    expect(escapeXml(`<a href="x">&'`)).toBe("&lt;a href=&quot;x&quot;&gt;&amp;&apos;");
  });
});
