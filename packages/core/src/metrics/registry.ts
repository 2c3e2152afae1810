import { ConfigError } from "../errors.js";
import { STANDARD_METRICS, type MetricType } from "./standard.js";

/** Label names and values of one series. */
export type Labels = Record<string, string>;

/** The default histogram buckets (seconds) of `consensus_latency_seconds`. */
export const LATENCY_BUCKETS_SECONDS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5] as const;

/** The most series one metric may hold; a bound against label explosions. */
export const MAX_SERIES_PER_METRIC = 10_000;

/** One series of a collected metric, as its source reports it at export time. */
export interface CollectedSample {
  readonly labels: Labels;
  readonly value: number;
}

interface MetricBase {
  name: string;
  /** The HELP text; undefined (no HELP line) until someone describes the metric. */
  help: string | undefined;
}
interface ValueMetric extends MetricBase {
  series: Map<string, { labels: Labels; value: number }>;
  /** Set for a collected metric: its series are read from this source whenever the registry is read. */
  collect?: () => Iterable<CollectedSample>;
}
interface CounterMetric extends ValueMetric {
  type: "counter";
}
interface GaugeMetric extends ValueMetric {
  type: "gauge";
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
 *
 * A metric is created on first use. Its HELP text comes from whoever registers it: {@link describe} (before
 * or after its first use), {@link addCollector}, or, for the architecture's shared metrics
 * (`leader_elections_total`, `replication_lag_seconds`, `consensus_latency_seconds`,
 * `partition_events_total`), core's own description. A metric nobody described has no HELP line (the
 * format makes HELP optional; repeating the name would say nothing).
 */
export class MetricsRegistry {
  private readonly metrics = new Map<string, Metric>();

  /** Adds `by` (default 1) to a counter. */
  inc(name: string, labels: Labels = {}, by = 1): void {
    if (!(by >= 0)) throw new ConfigError(`${name}.by`, "counter increments must be >= 0", by);
    const m = this.writable(this.metric(name, "counter"));
    const s = this.series(m, labels, () => ({ labels: { ...labels }, value: 0 }));
    s.value += by;
  }

  /** Sets a gauge. */
  set(name: string, labels: Labels, value: number): void {
    const m = this.writable(this.metric(name, "gauge"));
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

  /**
   * Registers a metric with its help text (the HELP line) and, for a histogram, its buckets. Call it before
   * or after the metric's first use; a metric never described exports no HELP line.
   */
  describe(name: string, type: MetricType, help: string, buckets: readonly number[] = LATENCY_BUCKETS_SECONDS): void {
    if (typeof help !== "string" || help.trim().length === 0) throw new ConfigError(`${name}.help`, "must be a non-empty description", help);
    const m = this.metric(name, type, buckets);
    m.help = help;
  }

  /**
   * Registers a counter or gauge whose series are read from `collect` whenever the registry is read
   * ({@link value}, {@link total}, {@link toPrometheus}) instead of being updated per event: the source
   * (the engine's message counts, say) keeps its own cheap counters and pays nothing until someone reads
   * the metrics. Such a metric cannot be incremented or set, and its series are bounded by its source,
   * not by {@link MAX_SERIES_PER_METRIC}.
   */
  addCollector(name: string, type: "counter" | "gauge", help: string, collect: () => Iterable<CollectedSample>): void {
    if (typeof collect !== "function") throw new ConfigError(`${name}.collect`, "must be a function returning the samples", collect);
    if (this.metrics.has(name)) throw new ConfigError(name, "is already registered; a collected metric must be new");
    this.describe(name, type, help);
    (this.metrics.get(name) as CounterMetric | GaugeMetric).collect = collect;
  }

  /** The current value of a counter or gauge series (0 when absent). */
  value(name: string, labels: Labels = {}): number {
    const m = this.metrics.get(name);
    if (m === undefined || m.type === "histogram") return 0;
    collectInto(m);
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
    collectInto(m);
    let sum = 0;
    for (const s of m.series.values()) if (Object.entries(match).every(([k, v]) => s.labels[k] === v)) sum += s.value;
    return sum;
  }

  /** The Prometheus text exposition format (version 0.0.4). */
  toPrometheus(): string {
    const lines: string[] = [];
    for (const name of [...this.metrics.keys()].sort()) {
      const m = this.metrics.get(name)!;
      if (m.type !== "histogram") collectInto(m);
      if (m.help !== undefined) lines.push(`# HELP ${name} ${escapeHelp(m.help)}`);
      lines.push(`# TYPE ${name} ${m.type}`);
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
      const standard = STANDARD_METRICS.get(name);
      if (standard !== undefined && standard.type !== type) throw new ConfigError(name, `is the architecture's ${standard.type}, not a ${type}`);
      const help = standard?.help;
      m = type === "histogram"
        ? { name, help, type, buckets: [...buckets].sort((a, b) => a - b), series: new Map() }
        : ({ name, help, type, series: new Map() } as Metric);
      this.metrics.set(name, m);
    } else if (m.type !== type) {
      throw new ConfigError(name, `is a ${m.type}, not a ${type}`);
    }
    return m as Extract<Metric, { type: T }>;
  }

  /** Refuses direct updates of a collected metric: its source owns the values. */
  private writable<M extends CounterMetric | GaugeMetric>(m: M): M {
    if (m.collect !== undefined) throw new ConfigError(m.name, "is collected from its source when read; it cannot be incremented or set");
    return m;
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

/**
 * Replaces a collected metric's series with what its source reports now (nothing for an ordinary metric).
 * Label names are checked as for any series; label values are the source's.
 */
function collectInto(m: CounterMetric | GaugeMetric): void {
  if (m.collect === undefined) return;
  m.series.clear();
  for (const sample of m.collect()) {
    checkLabelNames(m.name, sample.labels, false);
    m.series.set(labelKey(sample.labels), { labels: { ...sample.labels }, value: sample.value });
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
