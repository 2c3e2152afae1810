import { ConfigError } from "../errors.js";

/** Label names and values of one series. */
export type Labels = Record<string, string>;

/** The default histogram buckets (seconds) of `consensus_latency_seconds`. */
export const LATENCY_BUCKETS_SECONDS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5] as const;

/** The most series one metric may hold; a bound against label explosions. */
export const MAX_SERIES_PER_METRIC = 10_000;

interface MetricBase {
  name: string;
  help: string;
}
interface CounterMetric extends MetricBase {
  type: "counter";
  series: Map<string, { labels: Labels; value: number }>;
}
interface GaugeMetric extends MetricBase {
  type: "gauge";
  series: Map<string, { labels: Labels; value: number }>;
}
interface HistogramMetric extends MetricBase {
  type: "histogram";
  buckets: readonly number[];
  series: Map<string, { labels: Labels; counts: number[]; sum: number; count: number }>;
}
type Metric = CounterMetric | GaugeMetric | HistogramMetric;

/**
 * A registry of counters, gauges and histograms with labels, exported in the Prometheus text exposition
 * format. Values in seconds are virtual seconds. Series are kept in first-use order, exports sort them.
 */
export class MetricsRegistry {
  private readonly metrics = new Map<string, Metric>();

  /** Adds `by` (default 1) to a counter. */
  inc(name: string, labels: Labels = {}, by = 1): void {
    if (!(by >= 0)) throw new ConfigError(`${name}.by`, "counter increments must be >= 0", by);
    const m = this.metric(name, "counter");
    const s = this.series(m, labels, () => ({ labels: { ...labels }, value: 0 }));
    s.value += by;
  }

  /** Sets a gauge. */
  set(name: string, labels: Labels, value: number): void {
    const m = this.metric(name, "gauge");
    this.series(m, labels, () => ({ labels: { ...labels }, value: 0 })).value = value;
  }

  /** Records one observation in a histogram. */
  observe(name: string, labels: Labels, value: number): void {
    const m = this.metric(name, "histogram");
    const s = this.series(m, labels, () => ({ labels: { ...labels }, counts: m.buckets.map(() => 0), sum: 0, count: 0 }));
    for (let i = 0; i < m.buckets.length; i++) if (value <= m.buckets[i]!) s.counts[i]!++;
    s.sum += value;
    s.count++;
  }

  /** Declares a metric's help text and, for histograms, its buckets. Optional: metrics are created on first use. */
  describe(name: string, type: Metric["type"], help: string, buckets: readonly number[] = LATENCY_BUCKETS_SECONDS): void {
    const m = this.metric(name, type, buckets);
    m.help = help;
  }

  /** The current value of a counter or gauge series (0 when absent). */
  value(name: string, labels: Labels = {}): number {
    const m = this.metrics.get(name);
    if (m === undefined || m.type === "histogram") return 0;
    return m.series.get(labelKey(labels))?.value ?? 0;
  }

  /** The observation count and sum of a histogram series. */
  histogram(name: string, labels: Labels = {}): { count: number; sum: number; buckets: Array<[number, number]> } | undefined {
    const m = this.metrics.get(name);
    if (m === undefined || m.type !== "histogram") return undefined;
    const s = m.series.get(labelKey(labels));
    if (s === undefined) return undefined;
    return { count: s.count, sum: s.sum, buckets: m.buckets.map((b, i) => [b, s.counts[i]!]) };
  }

  /** Sum of a counter over every series whose labels include `match`. */
  total(name: string, match: Labels = {}): number {
    const m = this.metrics.get(name);
    if (m === undefined || m.type === "histogram") return 0;
    let sum = 0;
    for (const s of m.series.values()) if (Object.entries(match).every(([k, v]) => s.labels[k] === v)) sum += s.value;
    return sum;
  }

  /** The Prometheus text exposition format (version 0.0.4). */
  toPrometheus(): string {
    const lines: string[] = [];
    for (const name of [...this.metrics.keys()].sort()) {
      const m = this.metrics.get(name)!;
      lines.push(`# HELP ${name} ${escapeHelp(m.help)}`, `# TYPE ${name} ${m.type}`);
      const keys = [...m.series.keys()].sort();
      for (const key of keys) {
        if (m.type === "histogram") {
          const s = m.series.get(key)!;
          m.buckets.forEach((b, i) => lines.push(`${name}_bucket${fmtLabels({ ...s.labels, le: String(b) })} ${s.counts[i]}`));
          lines.push(`${name}_bucket${fmtLabels({ ...s.labels, le: "+Inf" })} ${s.count}`);
          lines.push(`${name}_sum${fmtLabels(s.labels)} ${fmtNumber(s.sum)}`, `${name}_count${fmtLabels(s.labels)} ${s.count}`);
        } else {
          const s = m.series.get(key)!;
          lines.push(`${name}${fmtLabels(s.labels)} ${fmtNumber(s.value)}`);
        }
      }
    }
    return lines.join("\n") + (lines.length > 0 ? "\n" : "");
  }

  private metric<T extends Metric["type"]>(name: string, type: T, buckets: readonly number[] = LATENCY_BUCKETS_SECONDS): Extract<Metric, { type: T }> {
    let m = this.metrics.get(name);
    if (m === undefined) {
      if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(name)) throw new ConfigError("metric name", "must match [a-zA-Z_:][a-zA-Z0-9_:]*", name);
      m = type === "histogram"
        ? { name, help: name, type, buckets: [...buckets].sort((a, b) => a - b), series: new Map() }
        : ({ name, help: name, type, series: new Map() } as Metric);
      this.metrics.set(name, m);
    } else if (m.type !== type) {
      throw new ConfigError(name, `is a ${m.type}, not a ${type}`);
    }
    return m as Extract<Metric, { type: T }>;
  }

  private series<S>(m: { name: string; type: Metric["type"]; series: Map<string, S> }, labels: Labels, make: () => S): S {
    const key = labelKey(labels);
    let s = m.series.get(key);
    if (s === undefined) {
      if (m.series.size >= MAX_SERIES_PER_METRIC) throw new ConfigError(m.name, `may have at most ${MAX_SERIES_PER_METRIC} label sets`);
      checkLabelNames(m.name, labels, m.type === "histogram");
      s = make();
      m.series.set(key, s);
    }
    return s;
  }
}

/** The series key: unambiguous (JSON), so `{a:"1,b=2"}` and `{a:"1",b:"2"}` stay distinct series. */
function labelKey(labels: Labels): string {
  const keys = Object.keys(labels);
  if (keys.length === 0) return "";
  return JSON.stringify(keys.sort().map((k) => [k, labels[k]]));
}

/** Label names of the exposition format: `[a-zA-Z_][a-zA-Z0-9_]*`, `__` prefixes reserved, `le` taken by histogram buckets. */
function checkLabelNames(metric: string, labels: Labels, histogram: boolean): void {
  for (const name of Object.keys(labels)) {
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name) || name.startsWith("__") || (histogram && name === "le")) {
      throw new ConfigError(`${metric} label name`, "must match [a-zA-Z_][a-zA-Z0-9_]*, not start with __, and not be le on a histogram", name);
    }
  }
}

function fmtLabels(labels: Labels): string {
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return "";
  return `{${keys.map((k) => `${k}="${String(labels[k]).replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"')}"`).join(",")}}`;
}

function escapeHelp(help: string): string {
  return help.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

function fmtNumber(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "+Inf";
  if (x === -Infinity) return "-Inf";
  return String(x);
}
