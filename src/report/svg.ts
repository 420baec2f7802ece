/**
 * A small SVG writer for the report's charts: horizontal grouped bars with value labels, a value
 * axis with ticks, and a legend. Plain SVG 1.1 (https://www.w3.org/TR/SVG11/), no scripts, no
 * external fonts; the same chart gives the same bytes (fixed number formatting, input order kept).
 */
import { fail } from "../errors.ts";

export interface BarGroup {
  readonly label: string;
  /** One value per series, in the chart's series order. */
  readonly values: readonly number[];
}

export interface BarChart {
  readonly title: string;
  /** What the values are, under the axis: "cycles per syscall (steady state)". */
  readonly axisLabel: string;
  readonly series: readonly string[];
  readonly groups: readonly BarGroup[];
  /** Decimals of the value labels (axis ticks use as few as they need). */
  readonly decimals?: number;
}

/** Fill colours per series, in order; distinguishable in greyscale as well. */
export const SERIES_COLOURS = ["#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#76b7b2", "#9c755f"] as const;

const FONT = 'font-family="sans-serif" font-size="12"';
const BAR_HEIGHT = 14;
const BAR_GAP = 2;
const GROUP_GAP = 10;
const LABEL_WIDTH = 210;
const PLOT_WIDTH = 420;
const VALUE_ROOM = 60;
const TITLE_HEIGHT = 28;
const LEGEND_ROW = 18;
const AXIS_HEIGHT = 44;

export function escapeXml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&apos;");
}

/** A coordinate or value with at most `decimals` decimals and no trailing zeros. */
export function num(value: number, decimals = 2): string {
  const text = value.toFixed(decimals);
  return text.includes(".") ? text.replace(/\.?0+$/, "") : text;
}

/** The smallest 1-2-5 step that covers `max` in at most `ticks` steps. */
export function niceStep(max: number, ticks = 5): number {
  if (max <= 0) return 1;
  const raw = max / ticks;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * power >= raw) return m * power;
  return 10 * power;
}

function check(chart: BarChart): void {
  if (chart.series.length === 0) fail("SVG_CHART", chart.title, "no series");
  chart.groups.forEach((g) => {
    if (g.values.length !== chart.series.length)
      fail(
        "SVG_CHART",
        `${chart.title}: ${g.label}`,
        `${g.values.length} values for ${chart.series.length} series`,
      );
    g.values.forEach((v) => {
      if (!Number.isFinite(v) || v < 0)
        fail("SVG_CHART", `${chart.title}: ${g.label}`, `bar values must be finite and >= 0, got ${v}`);
    });
  });
}

/** The chart as a standalone SVG document (one `<rect class="bar">` per value). */
export function barChart(chart: BarChart): string {
  check(chart);
  const decimals = chart.decimals ?? 0;
  const max = Math.max(0, ...chart.groups.flatMap((g) => g.values));
  const step = niceStep(max);
  const axisMax = Math.max(step, Math.ceil(max / step) * step);
  const scale = PLOT_WIDTH / axisMax;
  const groupHeight = chart.series.length * (BAR_HEIGHT + BAR_GAP) - BAR_GAP;
  const legendHeight = chart.series.length * LEGEND_ROW;
  const plotTop = TITLE_HEIGHT + legendHeight + 8;
  const plotHeight = chart.groups.length * (groupHeight + GROUP_GAP);
  const width = LABEL_WIDTH + PLOT_WIDTH + VALUE_ROOM;
  const height = plotTop + plotHeight + AXIS_HEIGHT;
  const x0 = LABEL_WIDTH;
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<title>${escapeXml(chart.title)}</title>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="18" text-anchor="middle" ${FONT} font-weight="bold">${escapeXml(chart.title)}</text>`,
  ];
  chart.series.forEach((name, s) => {
    const y = TITLE_HEIGHT + s * LEGEND_ROW;
    out.push(
      `<rect class="legend" x="${x0}" y="${y}" width="12" height="12" fill="${SERIES_COLOURS[s % SERIES_COLOURS.length]}"/>`,
      `<text x="${x0 + 18}" y="${y + 10}" ${FONT}>${escapeXml(name)}</text>`,
    );
  });
  const ticks = Math.round(axisMax / step);
  for (let k = 0; k <= ticks; k++) {
    const tick = k * step;
    const x = num(x0 + tick * scale);
    out.push(
      `<line x1="${x}" y1="${plotTop}" x2="${x}" y2="${plotTop + plotHeight}" stroke="#dddddd"/>`,
      `<text x="${x}" y="${plotTop + plotHeight + 16}" text-anchor="middle" ${FONT}>${num(tick, 6)}</text>`,
    );
  }
  chart.groups.forEach((group, g) => {
    const top = plotTop + g * (groupHeight + GROUP_GAP) + GROUP_GAP / 2;
    out.push(
      `<text x="${x0 - 8}" y="${num(top + groupHeight / 2 + 4)}" text-anchor="end" ${FONT}>${escapeXml(group.label)}</text>`,
    );
    group.values.forEach((value, s) => {
      const y = top + s * (BAR_HEIGHT + BAR_GAP);
      const w = num(value * scale);
      const label = `${chart.series[s]}: ${num(value, decimals)}`;
      out.push(
        `<rect class="bar" x="${x0}" y="${y}" width="${w}" height="${BAR_HEIGHT}" fill="${SERIES_COLOURS[s % SERIES_COLOURS.length]}"><title>${escapeXml(`${group.label}, ${label}`)}</title></rect>`,
        `<text x="${num(x0 + value * scale + 4)}" y="${y + BAR_HEIGHT - 3}" ${FONT}>${num(value, decimals)}</text>`,
      );
    });
  });
  out.push(
    `<line x1="${x0}" y1="${plotTop}" x2="${x0}" y2="${plotTop + plotHeight}" stroke="#000000"/>`,
    `<line x1="${x0}" y1="${plotTop + plotHeight}" x2="${x0 + PLOT_WIDTH}" y2="${plotTop + plotHeight}" stroke="#000000"/>`,
    `<text x="${x0 + PLOT_WIDTH / 2}" y="${plotTop + plotHeight + 36}" text-anchor="middle" ${FONT}>${escapeXml(chart.axisLabel)}</text>`,
    "</svg>",
  );
  return `${out.join("\n")}\n`;
}
