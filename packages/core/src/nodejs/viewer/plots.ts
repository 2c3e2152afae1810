import type { Operation } from "../../history/history.js";
import type { TraceEvent } from "../../trace/events.js";
import { renderChart, type ChartSeries } from "./svg.js";

/** The plots `faultline plot --kind` draws. */
export const PLOT_KINDS = ["latency", "commit", "lag", "elections"] as const;
export type PlotKind = (typeof PLOT_KINDS)[number];

/** What the plots read: trace events and client operations (none from a trace file). */
export interface PlotInput {
  events: readonly TraceEvent[];
  operations: readonly Operation[];
}

/** Points kept per series (the last point of each of this many equal time slices): a plot stays small. */
const POINTS_PER_SERIES_MAX = 800;
/** Time windows of the percentile lines: at most this many, and about 20 operations each (fewer make p50 = p99). */
const PERCENTILE_WINDOWS_MAX = 40;
const OPERATIONS_PER_WINDOW = 20;
const HISTOGRAM_BINS = 30;

/** One plot as SVG (latency is two charts side by side in one SVG). */
export function renderPlot(kind: PlotKind, input: PlotInput): string {
  switch (kind) {
    case "latency": return latencyPlot(input.operations);
    case "commit": return commitPlot(input.events);
    case "lag": return lagPlot(input.events);
    case "elections": return electionsPlot(input.events);
    default: { const never: never = kind; throw new Error(`unknown plot kind ${String(never)}`); }
  }
}

/** Client operation latency: a histogram of completed operations, and p50/p90/p99 per time window (by invocation). */
function latencyPlot(operations: readonly Operation[]): string {
  const done = operations.filter((o) => o.type !== "info" && Number.isFinite(o.completeUs));
  const latMs = done.map((o) => (o.completeUs - o.invokeUs) / 1000);
  const maxMs = Math.max(0, ...latMs);
  const binMs = maxMs > 0 ? maxMs / HISTOGRAM_BINS : 1;
  const bins = new Array<number>(HISTOGRAM_BINS).fill(0);
  for (const l of latMs) bins[Math.min(HISTOGRAM_BINS - 1, Math.floor(l / binMs))]!++;
  const histogram = renderChart({
    title: `Client operation latency (${done.length} completed, ${operations.length - done.length} open/unknown)`,
    xLabel: "latency (ms)", yLabel: "operations", barWidth: binMs, widthPx: 520,
    series: [{ name: "operations", style: "bars", points: done.length === 0 ? [] : bins.map((n, i) => [i * binMs, n]) }],
  });
  const endUs = Math.max(0, ...done.map((o) => o.invokeUs));
  const windowCount = Math.max(1, Math.min(PERCENTILE_WINDOWS_MAX, Math.floor(done.length / OPERATIONS_PER_WINDOW)));
  const windowUs = Math.max(1, endUs / windowCount);
  const windows: number[][] = [];
  done.forEach((o, i) => (windows[Math.min(windowCount - 1, Math.floor(o.invokeUs / windowUs))] ??= []).push(latMs[i]!));
  const percentile = (q: number): ChartSeries => ({
    name: `p${q}`, style: "line",
    points: windows.flatMap((w, i) => (w === undefined ? [] : [[((i + 0.5) * windowUs) / 1e6, quantile(w, q / 100)] as [number, number]])),
  });
  const overTime = renderChart({ title: "Latency percentiles over time", xLabel: "virtual time (s)", yLabel: "latency (ms)", widthPx: 520, series: [percentile(50), percentile(90), percentile(99)] });
  return sideBySide([histogram, overTime], 520, 260);
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** The applied index a commit event reports: `index` (Raft), `slot` (Paxos), `seq`/`sequence`; undefined if none. */
function appliedIndexOf(e: TraceEvent): number | undefined {
  const d = e.data as Record<string, unknown> | undefined;
  for (const key of ["index", "slot", "seq", "sequence"]) if (typeof d?.[key] === "number") return d[key] as number;
  return undefined;
}

/** Log events that apply (execute) one committed entry: Raft and Paxos `commit_applied`, PBFT `executed`. */
const APPLY_EVENTS = new Set(["commit_applied", "executed"]);

function isCommit(e: TraceEvent): boolean {
  return e.kind === "log" && e.event !== undefined && APPLY_EVENTS.has(e.event);
}

/** Per node, [time s, applied index] at each commit_applied (a count of them when the event names no index). */
function appliedSeries(events: readonly TraceEvent[]): Map<string, [number, number][]> {
  const series = new Map<string, [number, number][]>();
  const count = new Map<string, number>();
  for (const e of events) {
    if (!isCommit(e) || e.node === undefined) continue;
    const n = (count.get(e.node) ?? 0) + 1;
    count.set(e.node, n);
    let points = series.get(e.node);
    if (points === undefined) series.set(e.node, (points = [[0, 0]]));
    points.push([e.timeUs / 1e6, appliedIndexOf(e) ?? n]);
  }
  return series;
}

function commitPlot(events: readonly TraceEvent[]): string {
  const series = [...appliedSeries(events)].sort(([a], [b]) => (a < b ? -1 : 1)).map(([node, points]): ChartSeries => ({ name: node, style: "step", points: thin(points) }));
  return renderChart({ title: "Applied index per node (commit_applied / executed)", xLabel: "virtual time (s)", yLabel: "applied index", series });
}

/**
 * Replication lag in entries, derived from the apply events (appliedSeries): at the end of each of 200 time slices, how far each node's
 * applied index is behind the highest applied index of any node. (replication_lag_seconds is a gauge: the
 * metrics hold only its last value, not its history.)
 */
function lagPlot(events: readonly TraceEvent[]): string {
  const applied = appliedSeries(events);
  const nodes = [...applied.keys()].sort();
  const endS = Math.max(0, ...[...applied.values()].map((p) => p[p.length - 1]![0]));
  const slices = 200;
  const next = new Map<string, number>(nodes.map((n) => [n, 0])); // per node: index of its first point after the slice
  const points = new Map<string, [number, number][]>(nodes.map((n) => [n, []]));
  for (let s = 1; s <= slices && endS > 0; s++) {
    const until = (s * endS) / slices;
    const now = new Map<string, number>();
    for (const n of nodes) {
      const series = applied.get(n)!;
      let k = next.get(n)!;
      while (k < series.length && series[k]![0] <= until) k++;
      next.set(n, k);
      now.set(n, k === 0 ? 0 : series[k - 1]![1]);
    }
    const top = Math.max(...now.values());
    for (const n of nodes) points.get(n)!.push([until, top - now.get(n)!]);
  }
  const series = nodes.map((n): ChartSeries => ({ name: n, style: "line", points: points.get(n)! }));
  return renderChart({ title: "Replication lag (entries behind the most advanced node)", xLabel: "virtual time (s)", yLabel: "entries behind", series });
}

/** A leader (or view) taking over, as a node logs it: Raft/Paxos leader_elected, PBFT new_view_installed (every replica logs it). */
const LEADER_EVENTS = /^(leader_elected|became_leader|leader_changed|new_view_installed|primary_promoted)$/;
const ELECTION_EVENTS = /^(election_started|view_change_started|failover_promoting)$/;

/**
 * Elections started (a step line of the term they start) and leaders elected or new views installed (dots
 * per node that logs it, by term), over time. A leader change is a new term (or view) reaching a leader.
 */
function electionsPlot(events: readonly TraceEvent[]): string {
  const leaders = new Map<string, [number, number][]>();
  const starts: [number, number][] = [];
  const termsLed = new Set<number>();
  for (const e of events) {
    if (e.kind !== "log" || e.event === undefined || e.node === undefined) continue;
    const d = e.data as Record<string, unknown> | undefined;
    const term = typeof d?.term === "number" ? d.term : typeof d?.view === "number" ? d.view : 0;
    if (LEADER_EVENTS.test(e.event)) {
      if (!leaders.has(e.node)) leaders.set(e.node, []);
      leaders.get(e.node)!.push([e.timeUs / 1e6, term]);
      termsLed.add(term);
    } else if (ELECTION_EVENTS.test(e.event)) {
      starts.push([e.timeUs / 1e6, term]);
    }
  }
  const series: ChartSeries[] = [...leaders].sort(([a], [b]) => (a < b ? -1 : 1)).map(([node, p]) => ({ name: `leader/view at ${node}`, style: "points", points: thin(p) }));
  series.push({ name: "elections started", style: "step", points: thin(starts) });
  const total = [...leaders.values()].reduce((n, p) => n + p.length, 0);
  return renderChart({ title: `Elections: ${starts.length} started, ${total} leaders elected or views installed, ${termsLed.size} terms/views led`, xLabel: "virtual time (s)", yLabel: "term / view", series });
}

/** At most POINTS_PER_SERIES_MAX points: the last point in each of that many equal x slices (and the first). */
function thin(points: [number, number][]): [number, number][] {
  if (points.length <= POINTS_PER_SERIES_MAX) return points;
  const xMax = points[points.length - 1]![0] || 1;
  const out: [number, number][] = [points[0]!];
  let slice = -1;
  for (let i = 1; i < points.length; i++) {
    const s = Math.floor((points[i]![0] / xMax) * (POINTS_PER_SERIES_MAX - 1));
    if (s !== slice || i === points.length - 1) out.push(points[i]!);
    else out[out.length - 1] = points[i]!;
    slice = s;
  }
  return out;
}

/** Charts side by side in one SVG (each a nested <svg> at its x offset). */
function sideBySide(charts: string[], widthPx: number, heightPx: number): string {
  const inner = charts.map((c, i) => c.replace("<svg ", `<svg x="${i * widthPx}" y="0" `)).join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" class="fl-chart" width="${widthPx * charts.length}" height="${heightPx}" viewBox="0 0 ${widthPx * charts.length} ${heightPx}">${inner}</svg>`;
}
