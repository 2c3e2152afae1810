import { describe, expect, it } from "vitest";
import { ConfigError, LATENCY_BUCKETS_SECONDS, MAX_SERIES_PER_METRIC, MetricsRegistry, STANDARD_METRICS, Simulation } from "@faultline/core";
import { behavior } from "../engine/helpers.js";

describe("metrics registry", () => {
  it("counters add per label set and total across label sets", () => {
    const m = new MetricsRegistry();
    m.inc("leader_elections_total", { result: "success" });
    m.inc("leader_elections_total", { result: "success" }, 2);
    m.inc("leader_elections_total", { result: "timeout" });
    expect(m.value("leader_elections_total", { result: "success" })).toBe(3);
    expect(m.value("leader_elections_total", { result: "split_vote" })).toBe(0);
    expect(m.total("leader_elections_total")).toBe(4);
    expect(m.total("leader_elections_total", { result: "timeout" })).toBe(1);
    expect(m.value("never_used")).toBe(0);
  });

  it("a counter never goes down", () => {
    const m = new MetricsRegistry();
    expect(() => m.inc("c", {}, -1)).toThrow(ConfigError);
    expect(() => m.inc("c", {}, Number.NaN)).toThrow(ConfigError);
  });

  it("gauges hold the last value set", () => {
    const m = new MetricsRegistry();
    m.set("replication_lag_seconds", { follower_id: "n2" }, 0.5);
    m.set("replication_lag_seconds", { follower_id: "n2" }, 0.25);
    m.set("replication_lag_seconds", { follower_id: "n3" }, 1);
    expect(m.value("replication_lag_seconds", { follower_id: "n2" })).toBe(0.25);
    expect(m.value("replication_lag_seconds", { follower_id: "n3" })).toBe(1);
  });

  it("histograms count cumulatively into buckets (le is inclusive), with sum and count", () => {
    const m = new MetricsRegistry();
    for (const v of [0.0005, 0.001, 0.003, 0.2, 2]) m.observe("consensus_latency_seconds", { operation_type: "write" }, v);
    const h = m.histogram("consensus_latency_seconds", { operation_type: "write" })!;
    expect(h.count).toBe(5);
    expect(h.sum).toBeCloseTo(2.2045, 10);
    expect(h.buckets).toEqual([[0.001, 2], [0.005, 3], [0.01, 3], [0.05, 3], [0.1, 3], [0.5, 4]]);
    expect(m.histogram("consensus_latency_seconds", { operation_type: "read" })).toBeUndefined();
  });

  it("the default buckets are the architecture's 0.001 .. 0.5 s; describe() may choose others", () => {
    expect([...LATENCY_BUCKETS_SECONDS]).toEqual([0.001, 0.005, 0.01, 0.05, 0.1, 0.5]);
    const m = new MetricsRegistry();
    m.describe("rtt_seconds", "histogram", "round trips", [1, 0.1]);
    m.observe("rtt_seconds", {}, 0.5);
    expect(m.histogram("rtt_seconds")!.buckets).toEqual([[0.1, 0], [1, 1]]);
  });

  it("label order does not matter; distinct label sets never merge", () => {
    const m = new MetricsRegistry();
    m.inc("c", { a: "1", b: "2" });
    m.inc("c", { b: "2", a: "1" });
    m.inc("c", { a: "1,b=2" });
    expect(m.value("c", { a: "1", b: "2" })).toBe(2);
    expect(m.value("c", { a: "1,b=2" })).toBe(1);
  });

  it("bad names, label names, type clashes and label explosions are ConfigErrors", () => {
    const m = new MetricsRegistry();
    expect(() => m.inc("bad-name")).toThrow(/metric name/);
    expect(() => m.inc("c", { "follower-id": "n1" })).toThrow(/label name/);
    expect(() => m.inc("c", { __reserved: "x" })).toThrow(/label name/);
    expect(() => m.observe("h", { le: "1" }, 1)).toThrow(/label name/);
    m.inc("ops_total");
    expect(() => m.set("ops_total", {}, 1)).toThrow(/is a counter, not a gauge/);
    for (let i = 0; i < MAX_SERIES_PER_METRIC; i++) m.inc("wide", { i: String(i) });
    expect(() => m.inc("wide", { i: "one too many" })).toThrow(/at most/);
  });
});

describe("Prometheus text exposition", () => {
  it("renders HELP (core's description of the standard metrics, or the describe() text) and TYPE lines, labelled samples, and histograms with _bucket{le}, +Inf, _sum and _count", () => {
    const help = (name: string) => STANDARD_METRICS.get(name)!.help;
    const m = new MetricsRegistry();
    m.describe("partition_events_total", "counter", "Partitions detected and healed.");
    m.inc("partition_events_total", { type: "detected" }, 2);
    m.inc("partition_events_total", { type: "healed" });
    m.set("replication_lag_seconds", { follower_id: "n2" }, 0.125);
    m.observe("consensus_latency_seconds", { operation_type: "put" }, 0.004);
    m.observe("consensus_latency_seconds", { operation_type: "put" }, 0.7);
    expect(m.toPrometheus()).toBe(
      [
        `# HELP consensus_latency_seconds ${help("consensus_latency_seconds")}`,
        "# TYPE consensus_latency_seconds histogram",
        'consensus_latency_seconds_bucket{le="0.001",operation_type="put"} 0',
        'consensus_latency_seconds_bucket{le="0.005",operation_type="put"} 1',
        'consensus_latency_seconds_bucket{le="0.01",operation_type="put"} 1',
        'consensus_latency_seconds_bucket{le="0.05",operation_type="put"} 1',
        'consensus_latency_seconds_bucket{le="0.1",operation_type="put"} 1',
        'consensus_latency_seconds_bucket{le="0.5",operation_type="put"} 1',
        'consensus_latency_seconds_bucket{le="+Inf",operation_type="put"} 2',
        'consensus_latency_seconds_sum{operation_type="put"} 0.704',
        'consensus_latency_seconds_count{operation_type="put"} 2',
        "# HELP partition_events_total Partitions detected and healed.",
        "# TYPE partition_events_total counter",
        'partition_events_total{type="detected"} 2',
        'partition_events_total{type="healed"} 1',
        `# HELP replication_lag_seconds ${help("replication_lag_seconds")}`,
        "# TYPE replication_lag_seconds gauge",
        'replication_lag_seconds{follower_id="n2"} 0.125',
        "",
      ].join("\n"),
    );
  });

  it("escapes label values and help text as the format requires", () => {
    const m = new MetricsRegistry();
    m.describe("g", "gauge", "line one\nback\\slash");
    m.set("g", { path: 'a"b\\c\nd' }, Infinity);
    m.set("g", {}, Number.NaN);
    expect(m.toPrometheus()).toBe(['# HELP g line one\\nback\\\\slash', "# TYPE g gauge", "g NaN", 'g{path="a\\"b\\\\c\\nd"} +Inf', ""].join("\n"));
  });

  it("an empty registry exports nothing", () => {
    expect(new MetricsRegistry().toPrometheus()).toBe("");
  });

  it("the four named metrics of the architecture can be recorded from a node's context", () => {
    const sim = new Simulation({ seed: 1 });
    sim.addNode("n1", behavior({
      onStart: (ctx) => {
        ctx.metrics.inc("leader_elections_total", { result: "success" });
        ctx.metrics.inc("leader_elections_total", { result: "split_vote" });
        ctx.metrics.set("replication_lag_seconds", { follower_id: "n2" }, 0.02);
        ctx.metrics.observe("consensus_latency_seconds", { operation_type: "write" }, 0.003);
      },
    }));
    sim.addNode("n2", behavior({}));
    sim.schedule([{ atMs: 1, fault: { kind: "isolate", node: "n2" } }, { atMs: 2, fault: { kind: "heal" } }]);
    sim.run();
    const text = sim.metrics.toPrometheus();
    for (const line of [
      'leader_elections_total{result="success"} 1',
      'leader_elections_total{result="split_vote"} 1',
      'replication_lag_seconds{follower_id="n2"} 0.02',
      'consensus_latency_seconds_bucket{le="0.005",operation_type="write"} 1',
      'partition_events_total{type="detected"} 1',
      'partition_events_total{type="healed"} 1',
    ]) expect(text).toContain(line);
  });
});
