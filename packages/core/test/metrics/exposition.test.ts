import { describe, expect, it } from "vitest";
import parsePrometheusTextFormat, { type ParsedFamily } from "parse-prometheus-text-format";
import { MetricsRegistry, STANDARD_METRICS, Simulation } from "@faultline/core";
import { behavior } from "../engine/helpers.js";

/**
 * The Prometheus text is read back with an independent parser (a prom2json-compatible one from npm), not
 * with regular expressions written against our own output.
 */
function parse(text: string): Map<string, ParsedFamily> {
  const families = parsePrometheusTextFormat(text);
  return new Map(families.map((f) => [f.name, f]));
}

/** A run that records the architecture's four metrics (as a protocol does) and sends, delivers and drops messages. */
function instrumentedRun(): Simulation {
  const sim = new Simulation({ seed: 1, network: { default: { latency: { kind: "constant", ms: 1 } } } });
  sim.addNode("n1", behavior({
    onStart: (ctx) => {
      ctx.metrics.inc("leader_elections_total", { result: "success" });
      ctx.metrics.set("replication_lag_seconds", { follower_id: "n2" }, 0.02);
      ctx.metrics.observe("consensus_latency_seconds", { operation_type: "put" }, 0.003);
      ctx.send("n2", { type: "append" });
      ctx.send("n3", { type: "append" });
    },
  }));
  sim.addNode("n2", behavior({ onMessage: (ctx, from) => ctx.send(from, { type: "ack" }) }));
  sim.addNode("n3", behavior({}));
  sim.schedule([{ atMs: 0.5, fault: { kind: "isolate", node: "n3" } }, { atMs: 5, fault: { kind: "heal" } }]);
  sim.run();
  return sim;
}

describe("Prometheus exposition, read by a parser", () => {
  it("every metric has a HELP line that describes it (not its own name) and the right TYPE", () => {
    const families = parse(instrumentedRun().metrics.toPrometheus());
    expect([...families.keys()].sort()).toEqual([
      "consensus_latency_seconds", "leader_elections_total", "messages_delivered_total", "messages_dropped_total",
      "messages_duplicated_total", "messages_sent_total", "partition_events_total", "replication_lag_seconds",
    ]);
    for (const family of families.values()) {
      expect(family.help, family.name).not.toBe(family.name);
      expect(family.help.split(" ").length, `${family.name}: "${family.help}"`).toBeGreaterThanOrEqual(5);
    }
    for (const [name, { type, help }] of STANDARD_METRICS) {
      expect(families.get(name)!.type).toBe(type.toUpperCase());
      expect(families.get(name)!.help).toBe(help);
    }
    for (const name of ["messages_sent_total", "messages_delivered_total", "messages_dropped_total", "messages_duplicated_total"]) {
      expect(families.get(name)!.type).toBe("COUNTER");
    }
  });

  it("the message counters read back as the simulation's counts, labelled by node, type and reason", () => {
    const sim = instrumentedRun();
    const families = parse(sim.metrics.toPrometheus());
    const samples = (name: string) => families.get(name)!.metrics.map((m) => ({ ...m.labels, value: Number(m.value) }));
    expect(samples("messages_sent_total")).toEqual([
      { node: "n1", type: "append", value: 2 },
      { node: "n2", type: "ack", value: 1 },
    ]);
    expect(samples("messages_delivered_total")).toEqual([
      { node: "n1", type: "ack", value: 1 },
      { node: "n2", type: "append", value: 1 },
    ]);
    expect(samples("messages_dropped_total")).toEqual([{ node: "n1", reason: "partitioned", type: "append", value: 1 }]);
    expect(families.get("messages_duplicated_total")!.metrics).toEqual([]);
    expect(sim.messages.dropped("n1", "append", "partitioned")).toBe(1);
  });

  it("the seed's four metrics read back with their values; the histogram with its buckets", () => {
    const families = parse(instrumentedRun().metrics.toPrometheus());
    expect(families.get("leader_elections_total")!.metrics).toEqual([{ labels: { result: "success" }, value: "1" }]);
    expect(families.get("replication_lag_seconds")!.metrics).toEqual([{ labels: { follower_id: "n2" }, value: "0.02" }]);
    expect(families.get("partition_events_total")!.metrics).toEqual([
      { labels: { type: "detected" }, value: "1" },
      { labels: { type: "healed" }, value: "1" },
    ]);
    const histogram = families.get("consensus_latency_seconds")!.metrics[0]!;
    expect(histogram.buckets).toEqual({ "0.001": "0", "0.005": "1", "0.01": "1", "0.05": "1", "0.1": "1", "0.5": "1", "+Inf": "1" });
  });

  it("code that registers a metric gives its help text (escaped, and read back intact); an undescribed metric has no HELP line", () => {
    const m = new MetricsRegistry();
    m.describe("retries_total", "counter", "Client retries,\nby reason (a \\ backslash).");
    m.inc("retries_total", { reason: "timeout" });
    m.set("queue_depth", {}, 3);
    const text = m.toPrometheus();
    const families = parse(text);
    expect(families.get("retries_total")!.help).toBe("Client retries,\nby reason (a \\ backslash).");
    expect(families.get("queue_depth")!.help).toBe("");
    expect(families.get("queue_depth")!.type).toBe("GAUGE");
    expect(text).not.toContain("# HELP queue_depth");
    expect(() => m.describe("queue_depth", "gauge", " ")).toThrow(/non-empty description/);
  });

  it("a standard metric used with the wrong type is refused", () => {
    const m = new MetricsRegistry();
    expect(() => m.set("leader_elections_total", {}, 1)).toThrow(/architecture's counter, not a gauge/);
  });
});
