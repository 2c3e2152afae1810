/**
 * Minimal SVG charts, written here rather than taken from a library: the viewer must be one self-contained
 * file, and what it needs (axes, lines, steps, points, bars, a legend) is ~150 lines. d3 needs a DOM to
 * render server-side (jsdom), Vega-Lite embeds a ~800 KB runtime; either would dwarf the data. Every text
 * (node ids, operation names) goes through {@link escapeXml}: data is never markup.
 */

/** Escapes text for XML/HTML text and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** One series of a chart. */
export interface ChartSeries {
  name: string;
  /** [x, y] points in data units, in x order. */
  points: [number, number][];
  style: "line" | "step" | "points" | "bars";
}

/** A chart: axes from 0 (or the data's minimum) to the data's maximum, a legend, a title. */
export interface Chart {
  title: string;
  xLabel: string;
  yLabel: string;
  series: ChartSeries[];
  /** Width of a bar in x units (bars only). */
  barWidth?: number;
  widthPx?: number;
  heightPx?: number;
}

/** A fixed palette (colour-blind friendly, Okabe-Ito), cycled by series index. */
export const PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"];

const MARGIN = { left: 56, right: 130, top: 28, bottom: 40 };

/** Renders a chart as a standalone SVG element (with the xmlns, so it is also a valid .svg file). */
export function renderChart(chart: Chart): string {
  const w = chart.widthPx ?? 720;
  const h = chart.heightPx ?? 260;
  const plotW = w - MARGIN.left - MARGIN.right;
  const plotH = h - MARGIN.top - MARGIN.bottom;
  const all = chart.series.flatMap((s) => s.points);
  const xMax = niceMax(Math.max(0, ...all.map((p) => p[0] + (chart.barWidth ?? 0))));
  const yMax = niceMax(Math.max(0, ...all.map((p) => p[1])));
  const sx = (x: number) => MARGIN.left + (x / xMax) * plotW;
  const sy = (y: number) => MARGIN.top + plotH - (y / yMax) * plotH;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" class="fl-chart" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="sans-serif" font-size="11">`);
  parts.push(`<rect width="${w}" height="${h}" fill="#fff"/>`);
  parts.push(`<text x="${MARGIN.left}" y="16" font-size="13" font-weight="bold">${escapeXml(chart.title)}</text>`);
  parts.push(axes(sx, sy, xMax, yMax, plotW, plotH, chart));
  if (all.length === 0) parts.push(`<text x="${MARGIN.left + 10}" y="${MARGIN.top + plotH / 2}" fill="#888">no data</text>`);
  chart.series.forEach((s, i) => parts.push(seriesSvg(s, PALETTE[i % PALETTE.length]!, sx, sy, chart.barWidth ?? 0)));
  chart.series.slice(0, 12).forEach((s, i) => {
    const y = MARGIN.top + 4 + i * 16;
    const color = PALETTE[i % PALETTE.length]!;
    parts.push(`<rect x="${w - MARGIN.right + 12}" y="${y}" width="10" height="10" fill="${color}"/>`);
    parts.push(`<text x="${w - MARGIN.right + 26}" y="${y + 9}">${escapeXml(clip(s.name, 18))}</text>`);
  });
  parts.push("</svg>");
  return parts.join("");
}

function axes(sx: (x: number) => number, sy: (y: number) => number, xMax: number, yMax: number, plotW: number, plotH: number, chart: Chart): string {
  const parts: string[] = [];
  const x0 = MARGIN.left;
  const y0 = MARGIN.top + plotH;
  parts.push(`<path d="M${x0} ${MARGIN.top}V${y0}H${x0 + plotW}" stroke="#333" fill="none"/>`);
  for (let i = 0; i <= 5; i++) {
    const xv = (xMax * i) / 5;
    const yv = (yMax * i) / 5;
    parts.push(`<text x="${sx(xv).toFixed(1)}" y="${y0 + 14}" text-anchor="middle">${fmt(xv)}</text>`);
    parts.push(`<text x="${x0 - 4}" y="${(sy(yv) + 4).toFixed(1)}" text-anchor="end">${fmt(yv)}</text>`);
    if (i > 0) parts.push(`<path d="M${x0} ${sy(yv).toFixed(1)}H${x0 + plotW}" stroke="#eee"/>`);
  }
  parts.push(`<text x="${x0 + plotW / 2}" y="${y0 + 32}" text-anchor="middle">${escapeXml(chart.xLabel)}</text>`);
  parts.push(`<text transform="translate(14 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(chart.yLabel)}</text>`);
  return parts.join("");
}

function seriesSvg(s: ChartSeries, color: string, sx: (x: number) => number, sy: (y: number) => number, barWidth: number): string {
  if (s.points.length === 0) return "";
  const name = escapeXml(s.name);
  if (s.style === "points") {
    return `<g fill="${color}" data-series="${name}">${s.points.map(([x, y]) => `<circle cx="${sx(x).toFixed(1)}" cy="${sy(y).toFixed(1)}" r="3"/>`).join("")}</g>`;
  }
  if (s.style === "bars") {
    const wPx = Math.max(1, sx(barWidth) - sx(0) - 1);
    return `<g fill="${color}" data-series="${name}">${s.points.map(([x, y]) => `<rect x="${sx(x).toFixed(1)}" y="${sy(y).toFixed(1)}" width="${wPx.toFixed(1)}" height="${(sy(0) - sy(y)).toFixed(1)}"/>`).join("")}</g>`;
  }
  let d = "";
  s.points.forEach(([x, y], i) => {
    if (i === 0) d += `M${sx(x).toFixed(1)} ${sy(y).toFixed(1)}`;
    else if (s.style === "step") d += `H${sx(x).toFixed(1)}V${sy(y).toFixed(1)}`;
    else d += `L${sx(x).toFixed(1)} ${sy(y).toFixed(1)}`;
  });
  return `<path d="${d}" fill="none" stroke="${color}" stroke-width="1.5" data-series="${name}"/>`;
}

/** 1, 2 or 5 times a power of ten at or above `x` (1 for 0). */
export function niceMax(x: number): number {
  if (!(x > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 5, 10]) if (m * p >= x) return m * p;
  return 10 * p;
}

function fmt(v: number): string {
  if (v === 0) return "0";
  if (Math.abs(v) >= 1000) return `${+(v / 1000).toFixed(1)}k`;
  return `${+v.toFixed(2)}`;
}

function clip(text: string, n: number): string {
  return text.length <= n ? text : `${text.slice(0, n - 1)}…`;
}
