/**
 * The metrics every Faultline protocol shares (ARCHITECTURE.md, "Trace, logs, metrics, events"): their type
 * and help text. Protocol code records them by name (`ctx.metrics.inc("leader_elections_total", ...)`)
 * without registering them; the registry takes their description from here, so the Prometheus text
 * describes them whichever protocol records them, and a use with the wrong type is refused.
 */

/** The kind of a metric in the Prometheus text format. */
export type MetricType = "counter" | "gauge" | "histogram";

/** Type and help text of a metric known before its first use. */
export interface MetricDescription {
  readonly type: MetricType;
  readonly help: string;
}

/** The seed's four metrics, described (a Map: a metric may be named `constructor`, which a plain object would shadow). */
export const STANDARD_METRICS: ReadonlyMap<string, MetricDescription> = new Map<string, MetricDescription>([
  ["leader_elections_total", {
    type: "counter",
    help: "Leader elections by how they ended: success (a leader was chosen), timeout (no leader before the election timer fired again), split_vote (votes split among candidates).",
  }],
  ["replication_lag_seconds", {
    type: "gauge",
    help: "How far each follower trails the leader: seconds (leader's clock) since the leader appended the oldest entry the follower lacks; 0 when it has them all.",
  }],
  ["consensus_latency_seconds", {
    type: "histogram",
    help: "Seconds (virtual) from a leader accepting a client operation into its log to the operation committing, by operation type.",
  }],
  ["partition_events_total", {
    type: "counter",
    help: "Partition faults (partition, block, isolate, ...) applied (type=detected) and heals that ended active partitions (type=healed).",
  }],
]);
